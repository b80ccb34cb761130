"""Background work of the records module: the retention run, queued by a scheduler or the
command."""

from __future__ import annotations

from django_tasks import task

from powershare.records import actions


@task()
def apply_retention() -> dict[str, dict[str, int]]:
    """Apply the retention schedule now; returns the counts per kind."""
    return actions.apply_retention(trigger="task").report
