"""Every change the records module makes: the schedule, legal holds, labels and reasons, the
retention run itself, and answering a public-records request. Each writes the audit log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.audit.log import diff, record, snapshot
from powershare.records import export, labels, retention
from powershare.records.kinds import KINDS, RETENTION_KINDS
from powershare.records.models import (
    MAX_PERIOD,
    ExemptionReason,
    FieldLabel,
    Label,
    LegalHold,
    RecordsRequest,
    RetentionRule,
    RetentionRun,
)

RULE_FIELDS = ["amount", "unit", "runs_from", "action", "active"]


def _require_admin(actor: Any) -> None:
    if not getattr(actor, "is_department_admin", False):
        raise PermissionDenied


@transaction.atomic
def update_retention_rule(
    *, actor: User, kind: str, amount: int, unit: str, runs_from: str, action: str, active: bool
) -> RetentionRule:
    """Change how long one kind of record is kept (department admins)."""
    _require_admin(actor)
    if kind not in RETENTION_KINDS:
        raise ValidationError({"kind": _("Unknown kind of record.")})
    if runs_from not in RETENTION_KINDS[kind].runs_from:
        raise ValidationError({"runs_from": _("This kind of record has no such date.")})
    if unit not in MAX_PERIOD or not 1 <= amount <= MAX_PERIOD[unit]:
        raise ValidationError(
            {
                "amount": _("Choose from 1 to %(most)s %(unit)s.")
                % {"most": MAX_PERIOD.get(unit, 1), "unit": unit}
            }
        )
    rule = retention.rules()[kind]
    before = snapshot(rule, RULE_FIELDS)
    rule.amount, rule.unit, rule.runs_from, rule.action, rule.active = (
        amount,
        unit,
        runs_from,
        action,
        active,
    )
    rule.full_clean()
    rule.updated, rule.updated_by = timezone.now(), actor
    rule.save()
    changes = diff(before, snapshot(rule, RULE_FIELDS))
    if changes:
        record(actor=actor, event="retention.rule_updated", target=rule, changes=changes)
    return rule


def preview_retention(*, now: datetime | None = None) -> dict[str, dict[str, Any]]:
    """What a run would do now, per kind, changing nothing (the dry run)."""
    now = now or timezone.now()
    report: dict[str, dict[str, Any]] = {}
    for key, rule in retention.rules().items():
        kind = RETENTION_KINDS[key]
        if not rule.active:
            report[key] = {"action": "off", "count": 0, "held": 0}
            continue
        report[key] = {
            "action": rule.action,
            "count": retention.due(kind, rule, now).count(),
            "held": retention.held_past_date(kind, rule, now),
        }
    return report


@transaction.atomic
def apply_retention(
    *, actor: User | None = None, now: datetime | None = None, trigger: str = "command"
) -> RetentionRun:
    """Delete or anonymize every record past its date under the schedule, and nothing else;
    writes one audit entry with the counts per kind (never what was removed)."""
    if actor is not None:
        _require_admin(actor)
    now = now or timezone.now()
    report: dict[str, dict[str, Any]] = {}
    for key, rule in retention.rules().items():
        kind = RETENTION_KINDS[key]
        if not rule.active:
            report[key] = {"action": "off", "count": 0, "held": 0}
            continue
        held = retention.held_past_date(kind, rule, now)
        report[key] = {
            "action": rule.action,
            "count": retention.apply_rule(kind, rule, now),
            "held": held,
        }
    run = RetentionRun.objects.create(actor=actor, trigger=trigger, report=report, at=now)
    record(actor=actor, event="retention.applied", target=run, changes=report)
    return run


@transaction.atomic
def place_hold(*, actor: User, kind: str, record_id: int, reason: str) -> LegalHold:
    """Keep one record out of the schedule until the hold is released."""
    _require_admin(actor)
    if kind not in RETENTION_KINDS:
        raise ValidationError({"kind": _("Unknown kind of record.")})
    if not RETENTION_KINDS[kind].objects().filter(pk=record_id).exists():
        raise ValidationError({"record_id": _("There is no such record of this kind.")})
    if LegalHold.objects.filter(kind=kind, record_id=record_id, released_at__isnull=True).exists():
        raise ValidationError({"record_id": _("This record is already on hold.")})
    hold = LegalHold.objects.create(kind=kind, record_id=record_id, reason=reason, placed_by=actor)
    record(
        actor=actor,
        event="retention.hold_placed",
        target=hold,
        changes={"kind": kind, "record_id": record_id, "reason": reason},
    )
    return hold


@transaction.atomic
def release_hold(*, actor: User, hold: LegalHold) -> LegalHold:
    """End a legal hold; the record follows the schedule again from the next run."""
    _require_admin(actor)
    if hold.released_at is None:
        hold.released_at, hold.released_by = timezone.now(), actor
        hold.save()
        record(actor=actor, event="retention.hold_released", target=hold)
    return hold


@transaction.atomic
def add_reason(*, actor: User, name: str) -> ExemptionReason:
    """Add a reason to the department's list of exemptions."""
    _require_admin(actor)
    name = name.strip()
    if ExemptionReason.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This reason is already on the list.")})
    base = slugify(name)[:50] or "reason"
    key, n = base, 1
    while ExemptionReason.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    reason = ExemptionReason.objects.create(key=key, name=name)
    record(actor=actor, event="records.reason_added", target=reason, changes={"name": name})
    return reason


@transaction.atomic
def set_field_label(
    *, actor: User, field: str, label: str | None, reason: ExemptionReason | None = None
) -> FieldLabel | None:
    """Label one field public, exempt (with a reason) or personal; ``None`` goes back to the
    default in code."""
    _require_admin(actor)
    if field not in labels.DEFAULTS:
        raise ValidationError(_("Unknown field."))
    current = FieldLabel.objects.filter(field=field).first()
    before = (
        {"label": current.label, "reason": current.reason_id} if current else {"label": "default"}
    )
    if label is None:
        if current:
            record(
                actor=actor, event="records.label_reset", target=current, changes={"field": field}
            )
            current.delete()
        return None
    if label not in Label.values:
        raise ValidationError({"label": _("Unknown label.")})
    if label == Label.EXEMPT and reason is None:
        raise ValidationError({"reason": _("Choose the reason this field is exempt.")})
    if label != Label.EXEMPT:
        reason = None
    override = current or FieldLabel(field=field)
    override.label, override.reason = label, reason
    override.updated, override.updated_by = timezone.now(), actor
    override.save()
    after = {"label": label, "reason": reason.pk if reason else None}
    record(
        actor=actor,
        event="records.label_set",
        target=override,
        changes={"field": field, **diff(before, after)},
    )
    return override


@transaction.atomic
def answer_request(
    *,
    actor: User,
    description: str,
    kinds: list[str],
    since: date | None = None,
    until: date | None = None,
    search: str = "",
) -> RecordsRequest:
    """Gather the records matching a public-records request, redacted, into a ZIP kept with the
    request in its history; audited with who, when, what and the counts."""
    _require_admin(actor)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValidationError({"kinds": _("Choose kinds of record from the list.")})
    if since and until and since > until:
        raise ValidationError({"until": _("The end of the range is before its start.")})
    request = export.Request(kinds=kinds, since=since, until=until, search=search)
    result = export.gather(actor, request)
    now = timezone.now()
    answer = RecordsRequest.objects.create(
        requester=actor,
        at=now,
        description=description,
        since=since,
        until=until,
        kinds=kinds,
        search=search,
        counts=result.counts,
    )
    content = export.to_zip(result, description=description, request=request, when=now)
    answer.file.save(f"public-records-request-{answer.pk}.zip", ContentFile(content), save=True)
    record(
        actor=actor,
        event="records.request_answered",
        target=answer,
        changes={
            "description": description[:200],
            "kinds": kinds,
            "since": str(since or ""),
            "until": str(until or ""),
            "search": search,
            "counts": result.counts,
        },
    )
    return answer
