"""Reminders: a scheduled run emails the department about every unanswered recommendation whose
response is due within 7 days, once each, in each recipient's language."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accountability import actions
from accountability.models import RecommendationEvent
from accountability.tasks import send_response_reminders
from accountability.tests.factories import adopt


def _due_in(rec, days):
    rec.response_due = timezone.localdate() + timedelta(days=days)
    rec.save(update_fields=["response_due"])


def test_the_command_reminds_once_about_responses_due_within_a_week(
    cast, bs, django_capture_on_commit_callbacks
):
    soon = adopt(cast, bs, title="Due in five days")
    later = adopt(cast, bs, title="Due in a month")
    answered = adopt(cast, bs, title="Already answered")
    _due_in(soon, 5)
    _due_in(later, 30)
    _due_in(answered, 3)
    actions.respond(
        actor=cast.liaison, recommendation=answered, decision="decline", rationale="No funds."
    )
    cast.liaison.language = "es"
    cast.liaison.save()
    # The liaison answers for the unit the recommendations are addressed to.
    assert cast.partnership_a.unit == cast.unit
    mail.outbox.clear()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_response_reminders", stdout=out)
    assert "1 reminder(s) sent." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == [cast.admin.email, cast.liaison.email]
    english = next(m for m in mail.outbox if m.to == [cast.admin.email])
    spanish = next(m for m in mail.outbox if m.to == [cast.liaison.email])
    assert english.subject == f"Response due in 5 days: recommendation {soon.number}"
    assert "Due in five days" in english.body and soon.get_absolute_url() in english.body
    assert spanish.subject.startswith("Respuesta pendiente")
    assert soon.events.filter(kind=RecommendationEvent.Kind.REMINDER).count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_response_reminders", stdout=StringIO())
    assert mail.outbox == [], "one reminder per recommendation"


def test_the_reminder_task_runs_on_the_queue(cast, bs, django_capture_on_commit_callbacks):
    rec = adopt(cast, bs)
    _due_in(rec, 7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = send_response_reminders.enqueue()
    assert result.return_value == 1
    assert [m.to[0] for m in mail.outbox] == [cast.admin.email, cast.liaison.email]


def test_the_command_can_queue_the_work(cast, bs):
    out = StringIO()
    call_command("send_response_reminders", queue=True, stdout=out)
    assert "Queued reminder run" in out.getvalue()


def test_no_reminder_for_overdue_or_withdrawn_recommendations(
    cast, bs, django_capture_on_commit_callbacks
):
    overdue = adopt(cast, bs, title="Overdue")
    _due_in(overdue, -1)
    withdrawn = adopt(cast, bs, title="Withdrawn")
    _due_in(withdrawn, 2)
    actions.withdraw_recommendation(
        actor=cast.admin, recommendation=withdrawn, reason="Done elsewhere."
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.send_response_reminders() == []
    assert mail.outbox == []
