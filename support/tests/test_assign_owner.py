"""Staff give an ask an owner: assign_owner()."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from powershare.audit.models import AuditEvent
from support import actions
from support.models import Ask


def test_the_liaison_assigns_the_analyst_who_is_emailed(
    cast, ask_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst, comment="Yours")
    assert Ask.objects.get().owner == cast.analyst
    event = ask_a.events.get(kind="assigned")
    assert (event.actor, event.assignee, event.comment) == (cast.liaison, cast.analyst, "Yours")
    audit = AuditEvent.objects.get(event="ask.assigned")
    assert audit.changes == {"owner_id": [None, cast.analyst.pk]}
    assert [m.to for m in mail.outbox] == [[cast.analyst.email]]
    assert "You now own" in mail.outbox[0].subject


def test_the_owner_then_sees_a_liaison_only_ask(cast, ask_a):
    assert not Ask.objects.visible_to(cast.analyst).exists()
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst)
    assert list(Ask.objects.visible_to(cast.analyst)) == [ask_a]


def test_self_assignment_sends_no_email(cast, ask_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.liaison)
    assert mail.outbox == []


def test_the_owner_must_be_department_staff(cast, ask_a):
    for not_staff in (cast.partner_a, cast.board_member, cast.reviewer):
        with pytest.raises(ValidationError):
            actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=not_staff)
    assert Ask.objects.get().owner is None


def test_partners_and_staff_who_cannot_see_it_do_not_assign(cast, ask_a):
    for other in (cast.partner_a, cast.partner_b, cast.analyst):
        with pytest.raises(PermissionDenied):
            actions.assign_owner(actor=other, ask=ask_a, owner=cast.liaison)


def test_unassigning_and_closed_asks(cast, ask_a):
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.liaison)
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=None)
    assert Ask.objects.get().owner is None
    assert ask_a.events.filter(kind="assigned").count() == 2
    actions.decline(actor=cast.liaison, ask=ask_a, reason="No capacity")
    with pytest.raises(ValidationError):
        actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.liaison)
