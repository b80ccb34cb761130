"""A partner files an ask with the department: submit_ask()."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from powershare.audit.models import AuditEvent
from powershare.testing import make_campaign
from support import actions
from support.models import Ask


def test_a_partner_files_an_ask_for_their_campaign(cast, django_capture_on_commit_callbacks):
    campaign = make_campaign(cast.org_a, title="Healthy homes ordinance")
    with django_capture_on_commit_callbacks(execute=True):
        ask = actions.submit_ask(
            actor=cast.partner_a,
            organization=cast.org_a,
            campaign=campaign,
            kind=Ask.Kind.DATA,
            title="Asthma ED visits by tract",
            description="For the hearing.",
            visibility="liaison",
        )
    ask.refresh_from_db()
    assert ask.status == Ask.Status.NEW
    assert ask.created_by == cast.partner_a
    assert ask.campaign == campaign
    event = ask.events.get()
    assert (event.actor, event.from_status, event.to_status) == (cast.partner_a, "", "new")
    audit = AuditEvent.objects.get(event="ask.submitted")
    assert audit.record_id == str(ask.pk) and audit.actor == cast.partner_a
    assert audit.changes["title"] == "Asthma ED visits by tract"
    # The organization's liaison hears about it, once the ask is stored.
    assert [m.to for m in mail.outbox] == [[cast.liaison.email]]
    assert "Asthma ED visits by tract" in mail.outbox[0].subject
    assert f"/support/asks/{ask.pk}/" in mail.outbox[0].body


def test_the_campaign_must_be_the_organizations_own(cast):
    other = make_campaign(cast.org_b)
    with pytest.raises(ValidationError):
        actions.submit_ask(
            actor=cast.partner_a,
            organization=cast.org_a,
            campaign=other,
            kind="data",
            title="x",
            description="y",
        )
    assert not Ask.objects.exists()


def test_only_members_file_for_an_organization(cast):
    for outsider in (cast.partner_b, cast.liaison, cast.admin):
        with pytest.raises(PermissionDenied):
            actions.submit_ask(
                actor=outsider, organization=cast.org_a, kind="data", title="x", description="y"
            )
    assert not Ask.objects.exists()


def test_an_ask_is_never_private_and_has_a_known_kind(cast):
    with pytest.raises(ValidationError):
        actions.submit_ask(
            actor=cast.partner_a,
            organization=cast.org_a,
            kind="data",
            title="x",
            description="y",
            visibility="private",
        )
    with pytest.raises(ValidationError):
        actions.submit_ask(
            actor=cast.partner_a, organization=cast.org_a, kind="bogus", title="x", description="y"
        )
    assert not Ask.objects.exists()
