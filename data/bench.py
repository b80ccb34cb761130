"""The data portal's benchmark: how fast the query page answers for the demo county.

    python -m data.bench [--repeat 30] [--scale 400000]

Builds a throw-away database and store (the demo county at the demo's scale, its catalog as
the demo registers it), then requests the issue's query page with Django's test client: the
first load, then repeated warm requests of the full page, the htmx fragment, the JSON twin and
the CSV. Prints median and 95th percentile in milliseconds. Target: under 300 ms warm.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _setup(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershare.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["DATA_ROOT"] = str(tmp / "store")
    os.environ["TASKS_IMMEDIATE"] = "true"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


def _catalog(scale: int) -> Any:
    from django.conf import settings

    from data import actions
    from data.demo import DATASETS, DEMO_POLICY, MEASURES
    from powershare import stats
    from powershare.stats.synth import generate_county
    from powershare.testing import make_user

    analyst = make_user("bench-analyst@example.org", department_role="analyst")
    admin = make_user("bench-admin@example.org", department_role="admin")
    generate_county(settings.DATA_ROOT, seed=42, scale=scale)
    actions.update_policy(actor=admin, **DEMO_POLICY)  # the demo's policy, as the demo sets it
    datasets = {}
    for name, title, kind, description, source, caveats in DATASETS:
        datasets[name] = actions.create_dataset(
            actor=analyst,
            name=name,
            title=title,
            kind=kind,
            description=description,
            source=source,
            caveats=caveats,
        )
    for name, (status, unit, subject, label_es, subject_es) in MEASURES.items():
        m = stats.DEFAULT_MEASURES[name]
        actions.create_measure(
            actor=analyst, name=name, label=m.label, short_label=subject, label_es=label_es,
            short_label_es=subject_es, dataset=datasets[m.dataset], kind=m.kind,
            causes=", ".join(m.causes), age_min=m.age_min, age_max=m.age_max, sex=m.sex or "",
            conditions="\n".join(f"{c.column} {c.op} {c.value}" for c in m.where),
            numerator_conditions="\n".join(f"{c.column} {c.op} {c.value}" for c in m.numerator),
            per=m.per, unit=unit, standard=m.standard, description=m.description, status=status,
        )  # fmt: skip
    return analyst


def _time(client: Any, url: str, repeat: int, **extra: Any) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url, **extra)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--scale", type=int, default=None, help="events (default: the demo's)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="powershare-data-bench-") as name:
        tmp = Path(name)
        _setup(tmp)
        from urllib.parse import urlencode

        from django.test import Client

        from data.demo import DEMO_SCALE, demo_params

        started = time.perf_counter()
        _catalog(args.scale or DEMO_SCALE)
        build = time.perf_counter() - started
        client = Client()
        qs = urlencode(demo_params(), doseq=True)
        first = _time(client, f"/data/query/?{qs}", 1)[0]
        rows = [
            ("query page, full", _time(client, f"/data/query/?{qs}", args.repeat)),
            (
                "query page, htmx result",
                _time(client, f"/data/query/?{qs}", args.repeat, HTTP_HX_REQUEST="true"),
            ),
            ("JSON twin", _time(client, f"/data/query.json?{qs}", args.repeat)),
            ("CSV download", _time(client, f"/data/query.csv?{qs}", args.repeat)),
        ]
        print(f"data: demo county (scale {args.scale or DEMO_SCALE:,}) built in {build:.1f} s")
        print("data: asthma ED visits, children, neighborhood x race, 2020-2024, vs county")
        print(f"  {'request':<26} {'median ms':>10} {'p95 ms':>8}")
        print(f"  {'query page, first load':<26} {first:>10.0f} {'':>8}")
        for label, times in rows:
            print(f"  {label:<26} {statistics.median(times):>10.0f} {_p95(times):>8.0f}")
        worst = max(statistics.median(t) for _, t in rows[:2])
        verdict = "met" if worst < 300 else "NOT met"
        print(f"  target: warm query page under 300 ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
