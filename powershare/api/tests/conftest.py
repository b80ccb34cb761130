"""A small synthetic county in a statistics store, made once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from powershare.stats.synth import generate_county


@pytest.fixture(scope="session")
def county_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("county") / "data"
    generate_county(root, seed=7, scale=20_000)
    return root


@pytest.fixture
def stats_root(county_store: Path, tmp_path: Path, settings) -> Path:
    """A private copy of the county for one test (released custom areas are written to it)."""
    root = tmp_path / "stats"
    shutil.copytree(county_store, root)
    settings.DATA_ROOT = root
    return root
