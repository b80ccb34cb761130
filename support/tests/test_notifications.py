"""Emails about asks leave only after the change is stored, to people who may read the ask."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from accounts.models import Membership
from powershare.testing import make_user
from support import actions


def test_status_changes_reach_the_organizations_members_after_commit(
    cast, ask_a, django_capture_on_commit_callbacks
):
    colleague = make_user("sam@eastside.example.org", name="Sam Member")
    Membership.objects.create(user=colleague, organization=cast.org_a, role="member")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.acknowledge(actor=cast.liaison, ask=ask_a, comment="We're on it")
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == [cast.partner_a.email, colleague.email]
    message = mail.outbox[0]
    assert "Acknowledged" in message.subject and ask_a.title in message.subject
    assert "New → Acknowledged" in message.body and "We're on it" in message.body
    assert "Lee Liaison" in message.body


def test_a_rolled_back_change_sends_nothing(cast, ask_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.acknowledge(actor=cast.liaison, ask=ask_a)
            raise RuntimeError("the request failed later")
    assert mail.outbox == []


def test_the_owner_hears_when_the_partner_withdraws(
    cast, ask_a, django_capture_on_commit_callbacks
):
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw(actor=cast.partner_a, ask=ask_a, comment="No longer needed")
    assert [m.to for m in mail.outbox] == [[cast.analyst.email]]
    assert "Withdrawn" in mail.outbox[0].subject


def test_declines_and_deliveries_say_why_and_what(cast, ask_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline(actor=cast.liaison, ask=ask_a, reason="The counts are too small to share.")
    assert "The counts are too small to share." in mail.outbox[0].body
    mail.outbox.clear()
    other = actions.submit_ask(
        actor=cast.partner_a, organization=cast.org_a, kind="data", title="t", description="d"
    )
    actions.acknowledge(actor=cast.liaison, ask=other)
    with django_capture_on_commit_callbacks(execute=True):
        actions.deliver(actor=cast.liaison, ask=other, summary="A table of rates by tract.")
    assert "A table of rates by tract." in mail.outbox[-1].body


def test_inactive_members_get_nothing(cast, ask_a, django_capture_on_commit_callbacks):
    cast.partner_a.is_active = False
    cast.partner_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(actor=cast.liaison, ask=ask_a)
    assert mail.outbox == []


def test_a_title_cannot_break_the_subject_line(cast, file_ask, django_capture_on_commit_callbacks):
    ask = file_ask(title="Rates\nBcc: someone@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(actor=cast.liaison, ask=ask)
    assert "\n" not in mail.outbox[0].subject


def test_emails_are_written_in_the_recipients_language(
    cast, ask_a, django_capture_on_commit_callbacks
):
    cast.partner_a.language = "es"
    cast.partner_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(actor=cast.liaison, ask=ask_a)
    assert len(mail.outbox) == 1  # rendered under Spanish without error
