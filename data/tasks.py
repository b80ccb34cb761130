"""Background work of the data portal: validating and loading uploaded files."""

from __future__ import annotations

from django_tasks import task

from data import actions


@task()
def load_upload(upload_id: int) -> str:
    """Validate and load one staged upload; returns its final status."""
    return actions.run_upload(upload_id=upload_id).status
