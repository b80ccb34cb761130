"""Reminders to grantees about progress reports coming due or overdue. Like ``actions.py``:
in a transaction, written to the audit log, emails sent after the commit. (A module of its own
because ``actions.py`` is already past the size we split at.)"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from grants import notifications
from grants.models import Report, ReportReminder
from grants.queries import REPORT_REMINDER_DAYS, reports_due
from powershare.audit.log import record


def reminder_kind(report: Report, today: date) -> str:
    """Which reminder window ``report`` is in on ``today``: coming due, or overdue."""
    return ReportReminder.Kind.OVERDUE if report.due < today else ReportReminder.Kind.DUE


@transaction.atomic
def send_report_reminders(
    *, today: date | None = None, days: int = REPORT_REMINDER_DAYS
) -> list[Report]:
    """Email each grantee's members about every report not yet sent that is due within ``days``
    days or overdue: once as it comes due and once when it is late, never twice in a window."""
    if days < 0:
        raise ValueError("days must be zero or more")
    today = today or timezone.localdate()
    reminded = []
    for report in reports_due(today=today, days=days).select_for_update(of=("self",)):
        kind = reminder_kind(report, today)
        if any(r.kind == kind for r in report.reminders.all()):
            continue
        sent = notifications.report_reminder(report, today=today)
        ReportReminder.objects.create(report=report, kind=kind, recipients=sent)
        record(
            actor=None,
            event="grants.report_reminder_sent",
            target=report.award,
            changes={"report_due": str(report.due), "kind": kind, "recipients": sent},
        )
        reminded.append(report)
    return reminded
