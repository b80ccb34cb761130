"""The data portal's synthetic county and catalog (its own fixtures), for statistics calls;
a fake HTTP post for webhooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from data.tests.conftest import catalog, county_files, store_root  # noqa: F401
from powershare.api import webhooks


@pytest.fixture
def stats_root(catalog: Any, store_root: Path, settings: Any) -> Path:  # noqa: F811
    """The county in DATA_ROOT with the demo's datasets and measures in the catalog."""
    return store_root


@pytest.fixture
def sent(monkeypatch: Any, settings: Any) -> Any:
    """Capture posts instead of sending them; ``sent.codes`` lists the answers to give."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    calls = []

    def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
        calls.append({"url": url, "body": body, "headers": headers})
        return post.codes.pop(0) if post.codes else 200

    post.codes = []
    post.calls = calls
    monkeypatch.setattr(webhooks, "post", post)
    return post
