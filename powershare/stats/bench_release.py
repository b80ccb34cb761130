"""Benchmark of the protected release: `python -m powershare.stats.bench_release` (in `make bench`).

On the demo-sized synthetic county (about 400,000 events, seed 42; cached under
.bench-data/), prints:

- protecting one measure's cube (asthma ED visits, 2020-2024): cells, small cells, cells
  hidden to protect them and seconds, for neighborhoods and above and for tracts and above,
  with the linear-program method and the hypercube method;
- a query answered from the protected cube (neighborhood x race/ethnicity, adjusted, with
  ratios) against the same query suppressed on its own (the internal path), warm medians;
- the audit of the release: tables, counts shown, hidden small counts, the narrowest
  interval an attacker reaches, seconds;
- under cell key perturbation: the share of small counts an attacker recovers by averaging
  the differences of 1, 10 and 40 pairs of custom areas ("A plus the target neighborhood"
  minus "A"): were each custom area perturbed on its own, the mean would find the count; a
  custom area adds up its tiles' published counts, so more pairs don't help.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from dataclasses import replace
from pathlib import Path

from . import release
from .audit import audit_measure
from .engine import Source
from .geography import CustomArea, load_current
from .measures import DEFAULT_MEASURES
from .policy import PolicyError, SuppressionPolicy
from .query import Query, run_query
from .store import Store

YEARS = tuple(range(2020, 2025))
POLICY = SuppressionPolicy(
    method="suppression",
    year_block=5,
    year_origin=2015,
    age_groups="0-4,5-17,18-44,45-64,65+",
    allowed_levels=("neighborhood", "council_district", "county"),
)


def _store(cache: Path) -> Store:
    root = cache / "release-county-42-400000"
    if not (root / "manifest.json").exists():
        from .synth import generate_county

        print(f"generating the demo-sized county into {root} (cached for next time) ...")
        generate_county(root, seed=42, scale=400_000)
    return Store(root)


def _median(fn, runs: int = 9) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def averaging(store: Store, source: Source, pairs: tuple[int, ...] = (1, 10, 40)) -> dict:
    """Share of small neighborhood x race counts recovered exactly by averaging K
    differences of custom areas under perturbation, for each K in `pairs`."""
    import numpy as np

    perturbed = replace(POLICY, method="perturbation")
    truth = SuppressionPolicy(
        min_count=1,
        min_population=0,
        complementary=False,
        record_releases=False,
        year_block=5,
        year_origin=2015,
        age_groups=POLICY.age_groups,
    )
    q = Query("asthma_ed", YEARS, level="neighborhood", by=("race",), reference=None)
    true = {(r["area"], r["race"]): r["count"] for r in run_query(store, q, policy=truth).rows()}
    codes = list(load_current(store).codes("neighborhood"))
    seen: dict[tuple[str, ...], dict | None] = {}

    def counts(units: tuple[str, ...]) -> dict | None:
        if units not in seen:
            area = CustomArea("x", tuple(f"neighborhood:{c}" for c in units))
            query = Query("asthma_ed", YEARS, custom_areas=(area,), by=("race",), reference=None)
            try:
                rows = run_query(store, query, policy=perturbed, source=source).rows()
                seen[units] = {r["race"]: r["count"] for r in rows if r["area"] == "x"}
            except PolicyError:
                seen[units] = None
        return seen[units]

    rng = np.random.default_rng(1)
    hits: dict[int, list[bool]] = {k: [] for k in pairs}
    for target in codes:
        others = [c for c in codes if c != target]
        subsets = [s for k in range(1, len(others) + 1) for s in itertools.combinations(others, k)]
        order = rng.permutation(len(subsets))[: max(pairs) * 2]
        diffs: dict[str, list[float]] = {}
        for i in order:
            a = counts(tuple(sorted(subsets[i])))
            b = counts(tuple(sorted((*subsets[i], target))))
            if a is None or b is None:
                continue
            for race, value in b.items():
                if race != "total" and value is not None and a.get(race) is not None:
                    diffs.setdefault(race, []).append(value - a[race])
        for race, d in diffs.items():
            if 0 < true[(target, race)] < POLICY.min_count:
                for k in pairs:
                    if len(d) >= k:
                        hits[k].append(round(float(np.mean(d[:k]))) == true[(target, race)])
    return {k: (sum(v), len(v)) for k, v in hits.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=".bench-data")
    args = parser.parse_args(argv)
    store = _store(Path(args.cache))
    source = Source.duckdb(store)
    geo = load_current(store)
    measure = DEFAULT_MEASURES["asthma_ed"]

    print("\nProtected release (complementary suppression over the whole cube)")
    print(f"{'cube':<44}{'method':<11}{'cells':>7}{'small':>7}{'hidden more':>12}{'seconds':>9}")
    for label, levels in (
        ("neighborhood+ x race x 5 age groups", ("neighborhood", "council_district", "county")),
        ("tract+ x race x 5 age groups", None),
    ):
        policy = replace(POLICY, allowed_levels=levels)
        for method in ("lp", "hypercube"):
            release._patterns.clear()
            for path in (store.root / release.RELEASES).glob("*.npz"):
                path.unlink()
            chosen = replace(policy, protection=method)
            p = release.pattern(store, measure, (2020, 2024), chosen, source, geo)
            print(
                f"{label:<44}{method:<11}{p.hidden.size:>7,}{p.primary:>7,}{p.secondary:>12,}"
                f"{p.seconds:>9.2f}"
            )

    release._patterns.clear()
    q = Query("asthma_ed", YEARS, level="neighborhood", by=("race",))
    run_query(store, q, policy=POLICY, source=source)  # protects, then warm
    internal = replace(POLICY, method="internal")
    protected_s = _median(lambda: run_query(store, q, policy=POLICY, source=source))
    internal_s = _median(lambda: run_query(store, q, policy=internal, source=source))
    print(f"\n{'query (neighborhood x race, adjusted, ratios)':<52}{'seconds':>9}{'ratio':>8}")
    print(f"{'  from the protected cube':<52}{protected_s:>9.3f}{protected_s / internal_s:>8.2f}")
    print(f"{'  suppressed on its own (internal)':<52}{internal_s:>9.3f}{1.0:>8.2f}")

    report = audit_measure(store, measure, POLICY, source=source, blocks=[(2020, 2024)])
    print("\n" + report.text())

    print("\nCell key perturbation: small counts recovered by averaging custom-area differences")
    for k, (hit, tried) in averaging(store, source).items():
        share = f"{hit / tried:.0%}" if tried else "-"
        print(f"  after {k:>3} pairs: {hit} of {tried} ({share})")
    return 0 if report.passed else 3


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
