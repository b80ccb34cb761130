"""Changes to the department's suppression policy: a department admin proposes, another one
approves (or rejects), the proposer may withdraw. Approval applies the fields through
:func:`update_policy`, the one function that changes the policy, which records a version;
the releases are then protected again in the background.

Every action runs in a transaction and writes the audit log; emails leave after commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from accounts.models import DepartmentRole, User
from data import portal
from data.models import Measure, PolicyChange, PolicySetting, PolicyVersion
from powershare.audit.log import diff, record, snapshot
from powershare.mail import send_to_users


def _require_admin(actor: User) -> None:
    if not actor.is_department_admin:
        raise PermissionDenied


def _engine_error(error: Exception) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    return ValidationError(str(error))


@transaction.atomic
def update_policy(
    *, actor: User, change: PolicyChange | None = None, **fields: Any
) -> PolicySetting:
    """Apply engine fields to the department's policy and record the version: the internal
    apply function of an approved change (and of the demo and tests, without a second admin)."""
    _require_admin(actor)
    policy = PolicySetting.objects.select_for_update().get(pk=PolicySetting.current().pk)
    before = snapshot(policy, PolicySetting.ENGINE_FIELDS)
    for name, value in fields.items():
        if name not in PolicySetting.ENGINE_FIELDS:
            raise TypeError(f"update_policy() cannot change {name}")
        setattr(policy, name, value)
    policy.full_clean()
    portal.engine_policy(policy)  # the engine refuses impossible values
    policy.updated, policy.updated_by = timezone.now(), actor
    policy.save()
    after = snapshot(policy, PolicySetting.ENGINE_FIELDS)
    changes = diff(before, after)
    if changes:
        record(actor=actor, event="policy.updated", target=policy, changes=changes)
        number = (PolicyVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        PolicyVersion.objects.create(
            number=number,
            fields=after,
            changes=changes,
            change=change,
            proposed_by=change.proposed_by if change else actor,
            approved_by=actor if change else None,
            applied_at=policy.updated,
            reason=change.reason if change else "",
        )
    return policy


def check_fields(fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Validate engine fields as :func:`update_policy` would (the model's rules, then the
    engine's), without saving; returns what they change: ``{field: [now, proposed]}``."""
    unknown = set(fields) - set(PolicySetting.ENGINE_FIELDS)
    if unknown:
        raise TypeError(f"not policy fields: {', '.join(sorted(unknown))}")
    current = PolicySetting.current()
    probe = PolicySetting.objects.get(pk=current.pk)
    for name, value in fields.items():
        setattr(probe, name, value)
    try:
        probe.full_clean()
        portal.engine_policy(probe)
    except (ValidationError, ValueError, TypeError) as error:
        raise _engine_error(error) from None
    return diff(
        snapshot(current, PolicySetting.ENGINE_FIELDS),
        snapshot(probe, PolicySetting.ENGINE_FIELDS),
    )


def pending_change() -> PolicyChange | None:
    """The change waiting for a second admin, if any."""
    return PolicyChange.objects.filter(status=PolicyChange.Status.PENDING).first()


def _pending_message(pending: PolicyChange) -> str:
    return _(
        "%(change)s, proposed by %(name)s on %(date)s, is still waiting for a decision. It "
        "must be approved, rejected or withdrawn before another change is proposed."
    ) % {
        "change": pending,
        "name": pending.proposed_by or "—",
        "date": timezone.localtime(pending.proposed_at).date().isoformat(),
    }


@transaction.atomic
def propose_policy_change(*, actor: User, reason: str, **fields: Any) -> PolicyChange:
    """A department admin proposes new policy fields with a reason; nothing applies until
    another admin approves. Refused while another change is pending."""
    _require_admin(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the policy should change."))
    pending = pending_change()
    if pending is not None:
        raise ValidationError(_pending_message(pending))
    changes = check_fields(fields)
    if not changes:
        raise ValidationError(_("These are the settings in force now: nothing would change."))
    current = PolicySetting.current()
    base = snapshot(current, PolicySetting.ENGINE_FIELDS)
    try:
        with transaction.atomic():
            change = PolicyChange.objects.create(
                fields={**base, **{k: v for k, v in fields.items()}},
                base=base,
                changes=changes,
                reason=reason,
                proposed_by=actor,
            )
    except IntegrityError:  # another admin proposed at the same moment
        pending = pending_change()
        raise ValidationError(
            _pending_message(pending) if pending else str(_("Try again."))
        ) from None
    record(
        actor=actor,
        event="policy_change.proposed",
        target=change,
        changes={"fields": changes, "reason": reason},
    )
    _notify_admins(change, actor=actor)
    transaction.on_commit(lambda: preview_policy_change.enqueue(change.pk))
    return change


def _locked_pending(change: PolicyChange) -> PolicyChange:
    locked = PolicyChange.objects.select_for_update().get(pk=change.pk)
    if not locked.is_pending:
        raise ValidationError(
            _("This change was already decided: %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _decide(change: PolicyChange, *, actor: User, status: str, note: str) -> PolicyChange:
    change.status = status
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return change


@transaction.atomic
def approve_policy_change(*, actor: User, change: PolicyChange, note: str = "") -> PolicyChange:
    """Another department admin (never the proposer) approves: the fields are validated again
    and applied, a version is recorded and the releases are protected again."""
    _require_admin(actor)
    change = _locked_pending(change)
    if change.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Another department administrator must approve your change."))
    current = snapshot(PolicySetting.current(), PolicySetting.ENGINE_FIELDS)
    if current != change.base:
        raise ValidationError(
            _(
                "The policy changed after this proposal was made. Reject it, and propose the "
                "change again against the policy in force now."
            )
        )
    try:
        update_policy(actor=actor, change=change, **change.fields)
    except (ValidationError, ValueError, TypeError) as error:
        raise _engine_error(error) from None
    change = _decide(change, actor=actor, status=PolicyChange.Status.APPROVED, note=note.strip())
    record(
        actor=actor,
        event="policy_change.approved",
        target=change,
        changes={"version": change.version.number, "note": change.decision_note},
    )
    _notify_proposer(change, actor=actor)
    transaction.on_commit(lambda: protect_release.enqueue())
    return change


@transaction.atomic
def reject_policy_change(*, actor: User, change: PolicyChange, note: str) -> PolicyChange:
    """Another department admin rejects the change, saying why; the policy stays as it is."""
    _require_admin(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say why the change is rejected."))
    change = _locked_pending(change)
    if change.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Withdraw your own change instead of rejecting it."))
    change = _decide(change, actor=actor, status=PolicyChange.Status.REJECTED, note=note)
    record(actor=actor, event="policy_change.rejected", target=change, changes={"note": note})
    _notify_proposer(change, actor=actor)
    return change


@transaction.atomic
def withdraw_policy_change(*, actor: User, change: PolicyChange, note: str = "") -> PolicyChange:
    """The proposer withdraws the change before anyone decides."""
    _require_admin(actor)
    change = _locked_pending(change)
    if change.proposed_by_id != actor.pk:
        raise PermissionDenied(_("Only the administrator who proposed a change may withdraw it."))
    note = (note or "").strip()
    change = _decide(change, actor=actor, status=PolicyChange.Status.WITHDRAWN, note=note)
    record(actor=actor, event="policy_change.withdrawn", target=change, changes={"note": note})
    return change


def run_preview(*, change_id: int) -> PolicyChange:
    """Compare the published queries under the current and the proposed policy and store the
    result on the change (the background task's body)."""
    from data import policy_impact

    change = PolicyChange.objects.get(pk=change_id)
    PolicyChange.objects.filter(pk=change.pk).update(preview_status=PolicyChange.Preview.RUNNING)
    current = PolicySetting.current()
    proposed = PolicySetting(**{**snapshot(current, PolicySetting.ENGINE_FIELDS), **change.fields})
    try:
        result = policy_impact.preview(current, proposed)
        status = PolicyChange.Preview.DONE
    except Exception as error:  # any failure is shown on the page, not lost in a worker log
        result = {"error": str(error)[:500]}
        status = PolicyChange.Preview.FAILED
    PolicyChange.objects.filter(pk=change.pk).update(
        preview=result, preview_status=status, preview_at=timezone.now()
    )
    change.refresh_from_db()
    return change


@task()
def preview_policy_change(change_id: int) -> str:
    """Compare the published queries under the current and a proposed policy; returns how
    the comparison ended (a background task)."""
    return run_preview(change_id=change_id).preview_status


@task()
def protect_release() -> int:
    """Protect every measure's release cubes under the department's policy; returns how many
    (a background task, after an approved change or a load)."""
    from data.queries import policy

    measures = Measure.objects.exclude(kind=Measure.Kind.INDICATOR).select_related("dataset")
    return len(portal.protect(list(measures), policy()))


@transaction.atomic
def refresh_preview(*, actor: User, change: PolicyChange) -> PolicyChange:
    """Compare again (the data or the published measures may have changed)."""
    _require_admin(actor)
    change = _locked_pending(change)
    change.preview_status = PolicyChange.Preview.QUEUED
    change.save(update_fields=["preview_status"])
    transaction.on_commit(lambda: preview_policy_change.enqueue(change.pk))
    return change


# -- notifications -------------------------------------------------------------------------


def _link(change: PolicyChange) -> str:
    return (settings.SITE_URL or "").rstrip("/") + change.get_absolute_url()


def _notify_admins(change: PolicyChange, *, actor: User) -> None:
    admins = User.objects.filter(department_role=DepartmentRole.ADMIN, is_active=True).exclude(
        pk=actor.pk
    )
    send_to_users(
        admins,
        actor=actor,
        subject=lambda: _("A change to the suppression policy is waiting for your review"),
        template="data/email/policy_change_proposed.txt",
        context={"change": change, "link": _link(change)},
    )


def _notify_proposer(change: PolicyChange, *, actor: User) -> None:
    send_to_users(
        [change.proposed_by],
        actor=actor,
        subject=lambda: (
            _("%(change)s: %(status)s") % {"change": change, "status": change.get_status_display()}
        ),
        template="data/email/policy_change_decided.txt",
        context={"change": change, "link": _link(change)},
    )
