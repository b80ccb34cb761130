"""The test's on-commit hooks, for helpers that post an upload and need its task to have run:
``with tasks_run(): client.post(...)`` (data/tests/conftest.py hands the hooks over)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

_capture: Any = None


def tasks_run() -> AbstractContextManager[Any]:
    """Run the tasks queued on commit when the block ends, as the deployed app would."""
    if _capture is None:
        raise RuntimeError("tasks_run() needs a test (data/tests/conftest.py sets it up)")
    return _capture(execute=True)  # type: ignore[no-any-return]
