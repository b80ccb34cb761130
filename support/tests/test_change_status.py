"""Staff move an ask along and partners withdraw it: change_status() and Ask.TRANSITIONS."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from powershare.audit.models import AuditEvent
from support import actions
from support.models import Ask


def test_the_liaison_acknowledges_starts_and_delivers(cast, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a, comment="We have this data.")
    assert ask_a.status == "acknowledged" and ask_a.acknowledged_at is not None
    assert ask_a.closed_at is None
    actions.start_work(actor=cast.liaison, ask=ask_a)
    actions.deliver(actor=cast.liaison, ask=ask_a, summary="Rates by tract, 2019-2023.")
    ask_a.refresh_from_db()
    assert ask_a.status == "delivered" and ask_a.closed_at is not None
    steps = [(e.actor, e.from_status, e.to_status) for e in ask_a.events.all()]
    assert steps == [
        (cast.partner_a, "", "new"),
        (cast.liaison, "new", "acknowledged"),
        (cast.liaison, "acknowledged", "in_progress"),
        (cast.liaison, "in_progress", "delivered"),
    ]
    assert ask_a.events.get(to_status="acknowledged").comment == "We have this data."
    audits = AuditEvent.objects.filter(event="ask.status_changed").order_by("pk")
    assert [a.changes["status"] for a in audits] == [
        ["new", "acknowledged"],
        ["acknowledged", "in_progress"],
        ["in_progress", "delivered"],
    ]


def test_an_acknowledged_ask_may_be_delivered_without_starting(cast, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    actions.deliver(actor=cast.liaison, ask=ask_a, summary="Done")
    assert ask_a.status == "delivered"


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], "in_progress"),  # a new ask must be acknowledged first
        ([], "delivered"),
        ([], "new"),
        (["acknowledged"], "acknowledged"),
        (["acknowledged", "in_progress"], "acknowledged"),
        (["declined"], "acknowledged"),
        (["acknowledged", "delivered"], "declined"),
    ],
)
def test_moves_outside_the_transitions_are_refused(cast, ask_a, path, illegal):
    for status in path:
        actions.change_status(
            actor=cast.liaison, ask=ask_a, to_status=status, decline_reason="x", summary="x"
        )
    before = ask_a.events.count()
    with pytest.raises(ValidationError) as refused:
        actions.change_status(
            actor=cast.liaison, ask=ask_a, to_status=illegal, decline_reason="x", summary="x"
        )
    assert "cannot be moved to" in refused.value.messages[0]
    ask_a.refresh_from_db()
    assert ask_a.status == (path[-1] if path else "new")
    assert ask_a.events.count() == before


def test_a_withdrawn_ask_cannot_be_reopened(cast, ask_a):
    actions.withdraw(actor=cast.partner_a, ask=ask_a, comment="The hearing was cancelled.")
    assert ask_a.status == "withdrawn" and ask_a.closed_at is not None
    with pytest.raises(ValidationError):
        actions.acknowledge(actor=cast.liaison, ask=ask_a)


def test_an_unknown_status_is_refused(cast, ask_a):
    with pytest.raises(ValidationError):
        actions.change_status(actor=cast.liaison, ask=ask_a, to_status="bogus")


def test_declining_needs_a_reason(cast, ask_a):
    with pytest.raises(ValidationError) as refused:
        actions.decline(actor=cast.liaison, ask=ask_a, reason="   ")
    assert "why" in refused.value.messages[0]
    ask_a.refresh_from_db()
    assert ask_a.status == "new"
    actions.decline(actor=cast.liaison, ask=ask_a, reason="Outside our authority.")
    ask_a.refresh_from_db()
    assert ask_a.status == "declined" and ask_a.decline_reason == "Outside our authority."
    assert ask_a.acknowledged_at is None and ask_a.closed_at is not None


def test_only_the_asking_organization_withdraws(cast, ask_a):
    for other in (cast.liaison, cast.admin, cast.partner_b):
        with pytest.raises(PermissionDenied):
            actions.withdraw(actor=other, ask=ask_a)
    assert Ask.objects.get().status == "new"


def test_only_staff_who_can_see_the_ask_answer_it(cast, ask_a):
    # A partner can't acknowledge their own ask; the analyst isn't a liaison to org A.
    for other in (cast.partner_a, cast.partner_b, cast.analyst, cast.board_member):
        with pytest.raises(PermissionDenied):
            actions.acknowledge(actor=other, ask=ask_a)
    ask_a.visibility = "department"
    ask_a.save()
    actions.acknowledge(actor=cast.analyst, ask=ask_a)
    assert ask_a.status == "acknowledged"


def test_the_owner_answers_even_without_being_a_liaison(cast, ask_a):
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst)
    actions.acknowledge(actor=cast.analyst, ask=ask_a)
    assert ask_a.status == "acknowledged"


def test_moves_can_be_dated_for_the_demo_history(cast, ask_a):
    from datetime import timedelta

    at = ask_a.created + timedelta(days=3)
    actions.acknowledge(actor=cast.liaison, ask=ask_a, at=at)
    assert ask_a.acknowledged_at == at
    assert ask_a.events.get(to_status="acknowledged").at == at
