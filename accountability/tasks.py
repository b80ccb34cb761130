"""Background work of the board: the reminder run, queued by the scheduler or the command."""

from __future__ import annotations

from django_tasks import task

from accountability import actions


@task()
def send_response_reminders() -> int:
    """Email the department about responses due within a week; returns how many were due."""
    return len(actions.send_response_reminders())
