"""A partner edits their organization's open ask: update_ask()."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from powershare.audit.models import AuditEvent
from powershare.testing import make_campaign
from support import actions
from support.models import Ask


def test_a_partner_edits_their_open_ask(cast, ask_a):
    campaign = make_campaign(cast.org_a)
    actions.update_ask(
        actor=cast.partner_a,
        ask=ask_a,
        title="Asthma and mold complaints by tract",
        campaign=campaign,
        needed_by=date(2031, 3, 1),
        visibility="department",
    )
    ask = Ask.objects.get()
    assert ask.title == "Asthma and mold complaints by tract"
    assert ask.campaign == campaign and ask.visibility == "department"
    assert ask.events.filter(kind="edited", actor=cast.partner_a).count() == 1
    updated = AuditEvent.objects.get(event="ask.updated")
    assert updated.changes["visibility"] == ["liaison", "department"]
    assert AuditEvent.objects.filter(event="ask.visibility_changed").count() == 1


def test_saving_without_changes_adds_nothing(cast, ask_a):
    actions.update_ask(actor=cast.partner_a, ask=ask_a, title=ask_a.title)
    assert not ask_a.events.filter(kind="edited").exists()


def test_others_cannot_edit(cast, ask_a):
    for other in (cast.partner_b, cast.liaison, cast.admin):
        with pytest.raises(PermissionDenied):
            actions.update_ask(actor=other, ask=ask_a, title="Changed")
    assert Ask.objects.get().title == ask_a.title


def test_a_closed_ask_is_not_edited(cast, ask_a):
    actions.withdraw(actor=cast.partner_a, ask=ask_a)
    with pytest.raises(ValidationError):
        actions.update_ask(actor=cast.partner_a, ask=ask_a, title="Changed")


def test_another_organizations_campaign_is_refused(cast, ask_a):
    with pytest.raises(ValidationError):
        actions.update_ask(actor=cast.partner_a, ask=ask_a, campaign=make_campaign(cast.org_b))


def test_only_the_ask_fields_can_change(cast, ask_a):
    with pytest.raises(TypeError):
        actions.update_ask(actor=cast.partner_a, ask=ask_a, status="delivered")
