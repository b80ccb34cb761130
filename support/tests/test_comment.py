"""Both sides of an ask comment on its timeline: add_comment()."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from powershare.audit.models import AuditEvent
from support import actions


def test_partner_and_staff_comment_and_the_other_side_hears(
    cast, ask_a, django_capture_on_commit_callbacks
):
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.liaison)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_comment(actor=cast.partner_a, ask=ask_a, text="The hearing moved up a week.")
    assert [m.to for m in mail.outbox] == [[cast.liaison.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_comment(actor=cast.liaison, ask=ask_a, text="  Noted, we'll hurry. ")
    assert [m.to for m in mail.outbox] == [[cast.partner_a.email]]
    comments = [(e.actor, e.comment) for e in ask_a.events.filter(kind="comment")]
    assert comments == [
        (cast.partner_a, "The hearing moved up a week."),
        (cast.liaison, "Noted, we'll hurry."),
    ]
    assert AuditEvent.objects.filter(event="ask.commented").count() == 2


def test_outsiders_do_not_comment_even_on_a_public_ask(cast, file_ask):
    ask = file_ask(visibility="public")
    for other in (cast.partner_b, cast.board_member, cast.reviewer):
        with pytest.raises(PermissionDenied):
            actions.add_comment(actor=other, ask=ask, text="Hello")
    assert not ask.events.filter(kind="comment").exists()


def test_an_empty_comment_is_refused(cast, ask_a):
    with pytest.raises(ValidationError):
        actions.add_comment(actor=cast.partner_a, ask=ask_a, text="   ")
