"""Background work of grants: the report reminder run, queued by the scheduler or the command."""

from __future__ import annotations

from django_tasks import task

from grants import reminders
from grants.queries import REPORT_REMINDER_DAYS


@task()
def send_report_reminders(days: int = REPORT_REMINDER_DAYS) -> int:
    """Email grantees about progress reports due within ``days`` days or overdue; returns how
    many reports they were reminded of."""
    return len(reminders.send_report_reminders(days=days))
