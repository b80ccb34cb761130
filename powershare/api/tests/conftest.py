"""The data portal's synthetic county and catalog (its own fixtures), for statistics calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from data.tests.conftest import catalog, county_files, store_root  # noqa: F401


@pytest.fixture
def stats_root(catalog: Any, store_root: Path, settings: Any) -> Path:  # noqa: F811
    """The county in DATA_ROOT with the demo's datasets and measures in the catalog."""
    return store_root
