"""Reminders of progress reports: a daily run emails the grantee's members about each report due
within 7 days, and again once it is overdue, never twice in a window, in each member's
language; staff see what is due and overdue, and which reminders went out."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from grants import actions, reminders
from grants.models import ReportReminder
from grants.tasks import send_report_reminders
from grants.tests.conftest import client_for
from grants.tests.factories import make_award
from powershare.audit.models import AuditEvent
from powershare.testing import make_user


@pytest.fixture
def award(cast: Any) -> Any:
    return make_award(cast.admin, cast.partner_a, cast.org_a, title="Mold-free homes")


def _report(cast: Any, award: Any, in_days: int) -> Any:
    due = timezone.localdate() + timedelta(days=in_days)
    return actions.schedule_report(actor=cast.admin, award=award, due=due)


def test_the_command_reminds_the_grantee_once_as_a_report_comes_due_and_once_when_late(
    cast: Any, award: Any, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = make_user("cruz@eastside.example.org", name="Cruz Colleague", language="es")
    Membership.objects.create(user=colleague, organization=cast.org_a, role="member")
    soon = _report(cast, award, 3)
    _report(cast, award, 30)
    sent = _report(cast, award, 2)
    actions.submit_report(actor=cast.partner_a, report=sent, progress="We door-knocked.")
    mail.outbox.clear()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.partner_a.email, colleague.email])
    english = next(m for m in mail.outbox if m.to == [cast.partner_a.email])
    assert english.subject == "Progress report due soon: Mold-free homes"
    assert "That is in 3 days." in english.body
    assert reverse("grants:report", args=[award.pk, soon.pk]) in english.body
    assert list(soon.reminders.values_list("kind", "recipients")) == [("due", 2)]

    # The next day's run sends nothing more about it.
    mail.outbox.clear()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--today", tomorrow, stdout=StringIO())
    assert mail.outbox == [], "one reminder per report per window"

    # Once late, one more reminder, and only one.
    late = (soon.due + timedelta(days=2)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--today", late, stdout=StringIO())
    assert len(mail.outbox) == 2
    english = next(m for m in mail.outbox if m.to == [cast.partner_a.email])
    assert english.subject == "Progress report overdue: Mold-free homes"
    assert "It is 2 days late." in english.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_report_reminders", "--today", late, stdout=StringIO())
    assert mail.outbox == []
    assert sorted(soon.reminders.values_list("kind", flat=True)) == ["due", "overdue"]
    assert AuditEvent.objects.filter(event="grants.report_reminder_sent").count() == 2


def test_the_window_is_a_setting_of_the_run(
    cast: Any, award: Any, django_capture_on_commit_callbacks: Any
) -> None:
    later = _report(cast, award, 12)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_report_reminders() == []
        assert reminders.send_report_reminders(days=14) == [later]
    with pytest.raises(CommandError):
        call_command("send_report_reminders", "--days", "-1", stdout=StringIO())


def test_reports_of_a_closed_cycle_are_not_chased(
    cast: Any, award: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _report(cast, award, -3)
    actions.set_cycle_status(actor=cast.admin, cycle=award.application.cycle, status="closed")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_report_reminders() == []
    assert mail.outbox == []


def test_the_reminder_task_runs_on_the_queue(
    cast: Any, award: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _report(cast, award, -1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_report_reminders.enqueue()
    assert result.return_value == 1
    assert [m.to[0] for m in mail.outbox] == [cast.partner_a.email]
    out = StringIO()
    call_command("send_report_reminders", "--queue", stdout=out)
    assert "Queued report reminder run" in out.getvalue()


def test_the_database_keeps_one_reminder_per_window(cast: Any, award: Any) -> None:
    report = _report(cast, award, 1)
    ReportReminder.objects.create(report=report, kind="due")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportReminder.objects.create(report=report, kind="due")


def test_staff_see_the_reports_due_and_overdue_and_the_reminders_sent(
    cast: Any, award: Any, django_capture_on_commit_callbacks: Any
) -> None:
    overdue = _report(cast, award, -4)
    _report(cast, award, 5)
    _report(cast, award, 40)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_report_reminders()
    staff = client_for(cast.analyst)
    index = staff.get(reverse("grants:index")).content.decode()
    assert "1 progress report is overdue" in index and "1 is due within a week." in index
    page = staff.get(reverse("grants:reports_due")).content.decode()
    overdue_part, coming_part = page.split("Coming due", 1)
    assert "Mold-free homes" in overdue_part and str(overdue.due.year) in overdue_part
    assert "Overdue: " in overdue_part, "the overdue reminder is listed"
    assert "Mold-free homes" in coming_part and "Coming due: " in coming_part
    award_page = staff.get(award.get_absolute_url()).content.decode()
    assert "Reminder sent (Overdue)" in award_page
    # The grantee's page is theirs; the list of every grantee's reports is for staff.
    assert (
        "Reminder sent"
        not in client_for(cast.partner_a).get(award.get_absolute_url()).content.decode()
    )
    assert client_for(cast.partner_a).get(reverse("grants:reports_due")).status_code == 403
    assert (
        "progress report"
        not in client_for(cast.partner_a).get(reverse("grants:index")).content.decode()
    )
