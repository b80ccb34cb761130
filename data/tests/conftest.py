"""A small synthetic county, generated once per session and copied into each test's store,
and the catalog the demo registers on it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from data import actions, portal
from data.demo import DATASETS, DEMO_POLICY, MEASURES, demo_params
from data.models import Dataset, Measure
from data.tests import on_commit
from powershare import stats
from powershare.stats.synth import generate_county

SCALE = 200_000


@pytest.fixture(autouse=True)
def _tasks_on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    on_commit._capture = django_capture_on_commit_callbacks
    yield
    on_commit._capture = None


@pytest.fixture(scope="session")
def county_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("county")
    generate_county(root, seed=7, scale=SCALE)
    return root


@pytest.fixture
def store_root(county_files: Path, settings: Any) -> Any:
    root = Path(settings.DATA_ROOT)
    shutil.copytree(county_files, root, dirs_exist_ok=True)
    portal.reset()
    yield root
    portal.reset()


@pytest.fixture
def catalog(cast: Any, store_root: Path) -> dict[str, Any]:
    """Datasets, measures and the policy as the demo registers them; returns them by name."""
    actions.update_policy(actor=cast.admin, **DEMO_POLICY)
    datasets: dict[str, Dataset] = {}
    for name, title, kind, description, source, caveats in DATASETS:
        datasets[name] = actions.create_dataset(
            actor=cast.analyst,
            name=name,
            title=title,
            kind=kind,
            description=description,
            source=source,
            caveats=caveats,
        )
    measures: dict[str, Measure] = {}
    for name, (status, unit, subject, label_es, subject_es) in MEASURES.items():
        engine = stats.DEFAULT_MEASURES[name]
        measures[name] = actions.create_measure(
            actor=cast.analyst,
            name=name,
            label=engine.label,
            short_label=subject,
            label_es=label_es,
            short_label_es=subject_es,
            dataset=datasets[engine.dataset],
            kind=engine.kind,
            causes=", ".join(engine.causes),
            age_min=engine.age_min,
            age_max=engine.age_max,
            sex=engine.sex or "",
            conditions="\n".join(f"{c.column} {c.op} {c.value}" for c in engine.where),
            numerator_conditions="\n".join(
                f"{c.column} {c.op} {c.value}" for c in engine.numerator
            ),
            per=engine.per,
            unit=unit,
            standard=engine.standard,
            description=engine.description,
            status=status,
        )
    return {"datasets": datasets, "measures": measures}


def story_query() -> str:
    """The issue's query as GET parameters."""
    from urllib.parse import urlencode

    return urlencode(demo_params(), doseq=True)


def login(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client
