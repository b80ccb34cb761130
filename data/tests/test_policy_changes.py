"""Changing the suppression policy takes two department admins: Alice proposes, Bob approves or
rejects, Alice may withdraw. Every step is in the audit log, and an approval becomes a version."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from data import actions, policy_changes
from data.models import PolicyChange, PolicySetting, PolicyVersion
from powershare.audit.models import AuditEvent
from powershare.testing import make_user


@pytest.fixture
def bob(cast: Any) -> Any:
    """A second department admin."""
    return make_user("bob@health.example.gov", name="Bob Admin", department_role="admin")


def propose(cast: Any, **fields: Any) -> PolicyChange:
    fields.setdefault("min_count", 5)
    return policy_changes.propose_policy_change(
        actor=cast.admin, reason="Smaller counts for the housing campaign's tables", **fields
    )


def test_a_proposal_waits_and_changes_nothing(cast: Any, bob: Any) -> None:
    change = propose(cast)
    assert change.status == PolicyChange.Status.PENDING
    assert change.proposed_by == cast.admin
    assert change.changes == {"min_count": [11, 5]}
    assert change.fields["min_count"] == 5 and change.fields["year_block"] == 1
    assert PolicySetting.current().min_count == 11
    event = AuditEvent.objects.get(event="policy_change.proposed")
    assert event.actor == cast.admin and event.record_id == str(change.pk)
    assert event.changes["fields"] == {"min_count": [11, 5]}
    assert "housing campaign" in event.changes["reason"]


def test_the_other_admins_are_told_by_email(
    cast: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        change = propose(cast)
    assert [m.to for m in mail.outbox] == [[bob.email]]  # never the proposer
    assert change.get_absolute_url() in mail.outbox[0].body


def test_only_department_admins_propose(cast: Any) -> None:
    for user in (cast.analyst, cast.liaison, cast.partner_a, cast.board_member):
        with pytest.raises(PermissionDenied):
            policy_changes.propose_policy_change(actor=user, reason="r", min_count=5)
    assert not PolicyChange.objects.exists()


def test_a_proposal_needs_a_reason_and_a_change(cast: Any) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        policy_changes.propose_policy_change(actor=cast.admin, reason="  ", min_count=5)
    with pytest.raises(ValidationError, match="nothing would change"):
        policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=11)


def test_a_proposal_is_validated_by_the_model_and_the_engine(cast: Any) -> None:
    with pytest.raises(ValidationError):
        propose(cast, min_count=0)  # the model's validator
    with pytest.raises(ValidationError, match="perturbation_small"):
        propose(cast, perturbation_small=5, perturbation_max_noise=3)  # the engine's rule
    with pytest.raises(ValidationError):
        propose(cast, age_groups="0-4,banana")
    with pytest.raises(TypeError):
        propose(cast, updated_by=cast.admin)
    assert not PolicyChange.objects.exists()


def test_one_pending_change_at_a_time(cast: Any, bob: Any) -> None:
    first = propose(cast)
    with pytest.raises(ValidationError) as refused:
        policy_changes.propose_policy_change(actor=bob, reason="Other idea", year_block=3)
    message = " ".join(refused.value.messages)
    assert f"Policy change {first.pk}" in message and "Alice Admin" in message
    # The database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyChange.objects.create(reason="x", proposed_by=bob, fields={}, base={})


def test_another_admin_approves_and_the_policy_applies(
    cast: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    change = propose(cast)
    with django_capture_on_commit_callbacks() as callbacks:
        change = policy_changes.approve_policy_change(actor=bob, change=change, note="Agreed")
    assert PolicySetting.current().min_count == 5
    assert PolicySetting.current().updated_by == bob
    change.refresh_from_db()
    assert change.status == PolicyChange.Status.APPROVED
    assert change.decided_by == bob and change.decided_at and change.decision_note == "Agreed"
    version = change.version
    assert version.number == 1
    assert (version.proposed_by, version.approved_by) == (cast.admin, bob)
    assert version.changes == {"min_count": [11, 5]}
    assert version.fields["min_count"] == 5
    assert version.reason == change.reason
    events = list(AuditEvent.objects.order_by("pk").values_list("event", flat=True))
    assert events == ["policy_change.proposed", "policy.updated", "policy_change.approved"]
    assert AuditEvent.objects.get(event="policy_change.approved").actor == bob
    # The releases are protected again, after commit (with the proposer's email).
    assert len(callbacks) == 2


def test_the_proposer_cannot_approve_their_own_change(cast: Any, bob: Any) -> None:
    change = propose(cast)
    with pytest.raises(PermissionDenied):
        policy_changes.approve_policy_change(actor=cast.admin, change=change)
    with pytest.raises(PermissionDenied):
        policy_changes.reject_policy_change(actor=cast.admin, change=change, note="no")
    assert PolicySetting.current().min_count == 11
    change.refresh_from_db()
    assert change.is_pending
    # Nor can the database be made to say otherwise.
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyChange.objects.filter(pk=change.pk).update(
            status="approved", decided_by=cast.admin, decided_at=change.proposed_at
        )


def test_staff_who_are_not_admins_cannot_decide(cast: Any) -> None:
    change = propose(cast)
    for user in (cast.analyst, cast.liaison, cast.partner_a):
        with pytest.raises(PermissionDenied):
            policy_changes.approve_policy_change(actor=user, change=change)
        with pytest.raises(PermissionDenied):
            policy_changes.reject_policy_change(actor=user, change=change, note="no")
        with pytest.raises(PermissionDenied):
            policy_changes.withdraw_policy_change(actor=user, change=change)


def test_another_admin_rejects_with_a_note(cast: Any, bob: Any) -> None:
    change = propose(cast)
    with pytest.raises(ValidationError, match="Say why"):
        policy_changes.reject_policy_change(actor=bob, change=change, note="")
    change = policy_changes.reject_policy_change(
        actor=bob, change=change, note="Counts of 5 would identify people in Northgate"
    )
    assert change.status == PolicyChange.Status.REJECTED and change.decided_by == bob
    assert PolicySetting.current().min_count == 11
    assert not PolicyVersion.objects.exists()
    event = AuditEvent.objects.get(event="policy_change.rejected")
    assert event.actor == bob and "Northgate" in event.changes["note"]
    with pytest.raises(ValidationError, match="already decided"):
        policy_changes.approve_policy_change(actor=bob, change=change)


def test_the_proposer_withdraws_and_may_propose_again(cast: Any, bob: Any) -> None:
    change = propose(cast)
    with pytest.raises(PermissionDenied):
        policy_changes.withdraw_policy_change(actor=bob, change=change)
    change = policy_changes.withdraw_policy_change(actor=cast.admin, change=change, note="Later")
    assert change.status == PolicyChange.Status.WITHDRAWN
    assert AuditEvent.objects.filter(event="policy_change.withdrawn", actor=cast.admin).exists()
    assert propose(cast, min_count=8).is_pending


def test_approval_validates_again(cast: Any, bob: Any) -> None:
    change = propose(cast)
    # The engine's rules may have moved since the proposal: the stored fields are re-checked.
    PolicyChange.objects.filter(pk=change.pk).update(fields={**change.fields, "min_count": 0})
    change.refresh_from_db()
    with pytest.raises(ValidationError):
        policy_changes.approve_policy_change(actor=bob, change=change)
    assert PolicySetting.current().min_count == 11
    change.refresh_from_db()
    assert change.is_pending and not PolicyVersion.objects.exists()
    assert not AuditEvent.objects.filter(event="policy_change.approved").exists()


def test_approval_is_refused_when_the_policy_moved_under_the_proposal(cast: Any, bob: Any) -> None:
    change = propose(cast)
    actions.update_policy(actor=bob, year_block=5, year_origin=2015)  # the direct path
    with pytest.raises(ValidationError, match="policy changed after this proposal"):
        policy_changes.approve_policy_change(actor=bob, change=change)
    assert PolicySetting.current().min_count == 11


def test_every_applied_policy_is_a_version(cast: Any, bob: Any) -> None:
    actions.update_policy(actor=cast.admin, year_block=5, year_origin=2015)
    actions.update_policy(actor=cast.admin, year_block=5)  # nothing changes: no version
    policy_changes.approve_policy_change(actor=bob, change=propose(cast))
    versions = list(PolicyVersion.objects.all())
    assert [v.number for v in versions] == [2, 1]  # newest first
    direct = versions[1]
    assert direct.approved_by is None and direct.change is None
    assert direct.changes == {"year_block": [1, 5], "year_origin": [2000, 2015]}


def test_the_audit_entries_keep_no_contact_values(cast: Any, bob: Any) -> None:
    change = policy_changes.propose_policy_change(
        actor=cast.admin, reason="Asked by pat@eastside.example.org at 555-0100", min_count=5
    )
    policy_changes.reject_policy_change(
        actor=bob, change=change, note="Write to alice@health.example.gov"
    )
    for event in AuditEvent.objects.filter(event__startswith="policy_change."):
        text = str(event.changes) + event.record_repr
        assert "@" not in text, text
