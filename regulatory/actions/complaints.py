"""Complaints from the community, from filing to closing: triage, inspections, violations,
updates to the complainant and retaliation reports. The complainant's identity never goes
into the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from partners.models import Campaign, Organization
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_document
from powershare.visibility import is_member_of
from regulatory.actions.common import require_staff
from regulatory.models import (
    Complaint,
    ComplaintEvent,
    ComplaintFile,
    Inspection,
    Retaliation,
    Violation,
)
from regulatory.rules import can_handle, can_report_retaliation

IDENTITY_FIELDS = ("complainant_name", "complainant_phone", "complainant_email")


COMPLAINT_AUDIT_FIELDS = [
    "organization_id",
    "campaign_id",
    "category",
    "violation_type",
    "neighborhood",
    "building_owner",
    "ongoing",
    "anonymous",
    "status",
    "assigned_inspector_id",
    "resolution",
]


PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}


MAX_FILES = 10


def _check_files(files: Sequence[UploadedFile], *, photos_only: bool) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(n)s files.") % {"n": MAX_FILES}})
    for upload in files:
        if photos_only and Path(upload.name or "").suffix.lower() not in PHOTO_SUFFIXES:
            raise ValidationError({"files": _("Photos must be JPEG or PNG images.")})
        try:
            check_document(upload)
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from None


def _save_files(
    complaint: Complaint, files: Sequence[UploadedFile], actor: User, kind: str
) -> None:
    for upload in files:
        stored = ComplaintFile(
            complaint=complaint,
            kind=kind,
            name=Path(upload.name or "file").name[:200],
            uploaded_by=actor,
        )
        stored.file.save(stored.name, upload, save=False)
        stored.save()


def _event(
    complaint: Complaint,
    actor: User | None,
    *,
    to_status: str = "",
    message: str = "",
    internal: bool = False,
    at: Any = None,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        to_status=to_status,
        message=message,
        internal=internal,
        at=at or timezone.now(),
    )


@transaction.atomic
def file_complaint(
    *,
    actor: User,
    organization: Organization,
    campaign: Campaign | None = None,
    photos: Sequence[UploadedFile] = (),
    at: Any = None,
    **fields: Any,
) -> Complaint:
    """A partner files a complaint for a resident or worker. Anonymous complaints keep no name
    or contact; photos are checked (type, size, content) before anything is stored."""
    if not is_member_of(actor, organization.pk):
        raise PermissionDenied
    if campaign is not None and campaign.organization_id != organization.pk:
        raise ValidationError(
            {
                "campaign": _("The campaign must be one of %(org)s's campaigns.")
                % {"org": organization.name}
            }
        )
    if fields.get("anonymous"):
        for name in IDENTITY_FIELDS:
            fields[name] = ""
        fields["contact_ok"] = False
    elif fields.get("contact_ok") and not (
        fields.get("complainant_phone") or fields.get("complainant_email")
    ):
        raise ValidationError(
            {"complainant_phone": _("To be contacted, give a phone number or an email.")}
        )
    _check_files(photos, photos_only=True)
    complaint = Complaint(organization=organization, campaign=campaign, filed_by=actor, **fields)
    if at:
        complaint.created = at
    complaint.full_clean()
    complaint.save()
    _save_files(complaint, photos, actor, ComplaintFile.Kind.PHOTO)
    _event(complaint, actor, to_status=Complaint.Status.RECEIVED, at=at)
    record(
        actor=actor,
        event="complaint.filed",
        target=complaint,
        changes=snapshot(complaint, COMPLAINT_AUDIT_FIELDS),
    )
    return complaint


def _move(
    complaint: Complaint, actor: User, to_status: str, message: str = "", at: Any = None
) -> None:
    before = complaint.status
    if before == to_status:
        return
    complaint.status = to_status
    complaint.save(update_fields=["status", "updated"])
    _event(complaint, actor, to_status=to_status, message=message, at=at)
    record(
        actor=actor,
        event="complaint.status_changed",
        target=complaint,
        changes={"status": [before, to_status]},
    )


@transaction.atomic
def triage_complaint(
    *,
    actor: User,
    complaint: Complaint,
    inspector: User | None,
    message: str = "",
    internal_note: str = "",
    at: Any = None,
) -> Complaint:
    """Staff take the complaint on: assign an inspector, note what happens next."""
    require_staff(actor)
    if not complaint.is_open:
        raise ValidationError(_("This complaint is closed."))
    if inspector is not None and not inspector.is_department:
        raise ValidationError({"inspector": _("The inspector must be on department staff.")})
    if inspector is not None and inspector.pk != complaint.assigned_inspector_id:
        before = complaint.assigned_inspector_id
        complaint.assigned_inspector = inspector
        complaint.save(update_fields=["assigned_inspector", "updated"])
        record(
            actor=actor,
            event="complaint.assigned",
            target=complaint,
            changes={"assigned_inspector_id": [before, inspector.pk]},
        )
    if complaint.status == Complaint.Status.RECEIVED:
        _move(complaint, actor, Complaint.Status.TRIAGED, message, at=at)
    elif message:
        _event(complaint, actor, message=message, at=at)
    if internal_note:
        _event(complaint, actor, message=internal_note, internal=True, at=at)
    return complaint


@transaction.atomic
def schedule_inspection(
    *,
    actor: User,
    complaint: Complaint,
    scheduled_for: date,
    inspector: User | None = None,
    at: Any = None,
) -> Inspection:
    """Schedule an inspection; the complaint moves to Inspection."""
    require_staff(actor)
    if not complaint.is_open:
        raise ValidationError(_("This complaint is closed."))
    inspection = Inspection.objects.create(
        complaint=complaint,
        scheduled_for=scheduled_for,
        inspector=inspector or complaint.assigned_inspector,
    )
    _move(
        complaint,
        actor,
        Complaint.Status.INSPECTION,
        _("An inspection is scheduled for %(day)s.") % {"day": scheduled_for.isoformat()},
        at=at,
    )
    record(
        actor=actor,
        event="complaint.inspection_scheduled",
        target=complaint,
        changes={"scheduled_for": str(scheduled_for)},
    )
    return inspection


@transaction.atomic
def record_inspection(
    *, actor: User, inspection: Inspection, inspected_on: date, findings: str, at: Any = None
) -> Inspection:
    """Record what an inspection found."""
    require_staff(actor)
    inspection.inspected_on = inspected_on
    inspection.findings = findings
    inspection.save()
    _event(
        inspection.complaint,
        actor,
        message=_("The inspection took place on %(day)s.") % {"day": inspected_on.isoformat()},
        at=at,
    )
    record(
        actor=actor,
        event="complaint.inspected",
        target=inspection.complaint,
        changes={"inspected_on": str(inspected_on)},
    )
    return inspection


@transaction.atomic
def add_violation(*, actor: User, complaint: Complaint, at: Any = None, **fields: Any) -> Violation:
    """Record a violation found and the corrective action required."""
    require_staff(actor)
    if not complaint.is_open:
        raise ValidationError(_("This complaint is closed."))
    violation = Violation(complaint=complaint, **fields)
    violation.full_clean()
    violation.save()
    _move(
        complaint,
        actor,
        Complaint.Status.CORRECTIVE_ACTION,
        _("A violation was found; corrective action is required."),
        at=at,
    )
    record(
        actor=actor,
        event="complaint.violation_added",
        target=complaint,
        changes=snapshot(violation, ["code", "description", "due", "fine"]),
    )
    return violation


@transaction.atomic
def correct_violation(
    *, actor: User, violation: Violation, corrected_on: date, at: Any = None
) -> Violation:
    """Mark a violation corrected."""
    require_staff(actor)
    violation.corrected_on = corrected_on
    violation.save(update_fields=["corrected_on"])
    _event(
        violation.complaint,
        actor,
        message=_("A violation was corrected on %(day)s.") % {"day": corrected_on.isoformat()},
        at=at,
    )
    record(
        actor=actor,
        event="complaint.violation_corrected",
        target=violation.complaint,
        changes={"violation": violation.pk},
    )
    return violation


@transaction.atomic
def close_complaint(
    *,
    actor: User,
    complaint: Complaint,
    resolution: str,
    evidence: str,
    resident_confirmed: bool = False,
    files: Sequence[UploadedFile] = (),
    at: Any = None,
) -> Complaint:
    """Close a case with its evidence: what was done, whether the resident confirmed the fix, photos."""
    require_staff(actor)
    if not complaint.is_open:
        raise ValidationError(_("This complaint is already closed."))
    if resolution not in Complaint.Resolution.values:
        raise ValidationError({"resolution": _("Choose how the complaint was resolved.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Describe the evidence of the outcome.")})
    open_violations = complaint.violations.filter(corrected_on__isnull=True).count()
    if resolution == Complaint.Resolution.FIXED and open_violations:
        raise ValidationError(
            {
                "resolution": ngettext(
                    "%(n)s violation is not corrected yet; mark it corrected first.",
                    "%(n)s violations are not corrected yet; mark them corrected first.",
                    open_violations,
                )
                % {"n": open_violations}
            }
        )
    _check_files(files, photos_only=False)
    complaint.resolution = resolution
    complaint.closure_evidence = evidence
    complaint.resident_confirmed = resident_confirmed
    complaint.closed_at = at or timezone.now()
    complaint.save()
    _save_files(complaint, files, actor, ComplaintFile.Kind.EVIDENCE)
    _move(complaint, actor, Complaint.Status.CLOSED, complaint.get_resolution_display(), at=at)
    record(
        actor=actor,
        event="complaint.closed",
        target=complaint,
        changes={"resolution": resolution, "resident_confirmed": resident_confirmed},
    )
    return complaint


@transaction.atomic
def add_update(
    *, actor: User, complaint: Complaint, message: str, internal: bool = False, at: Any = None
) -> ComplaintEvent:
    """A message on the complaint's timeline: from the filing partner, or from staff (shared or
    internal)."""
    if not message.strip():
        raise ValidationError({"message": _("Write a message.")})
    staff = can_handle(actor, complaint)
    if not staff and not is_member_of(actor, complaint.organization_id):
        raise PermissionDenied
    event = _event(complaint, actor, message=message, internal=internal and staff, at=at)
    record(
        actor=actor,
        event="complaint.message",
        target=complaint,
        changes={"internal": event.internal},
    )
    return event


@transaction.atomic
def report_retaliation(
    *, actor: User, complaint: Complaint, at: Any = None, **fields: Any
) -> Retaliation:
    """Report retaliation against the complainant: its own record, tracked to a resolution."""
    if not can_report_retaliation(actor, complaint):
        raise PermissionDenied
    retaliation = Retaliation(complaint=complaint, reported_by=actor, **fields)
    if at:
        retaliation.created = at
    retaliation.full_clean()
    retaliation.save()
    _event(
        complaint,
        actor,
        message=_("Retaliation was reported: %(kind)s.") % {"kind": retaliation.get_kind_display()},
        at=at,
    )
    record(
        actor=actor,
        event="retaliation.reported",
        target=complaint,
        changes={"retaliation": retaliation.pk, "kind": retaliation.kind},
    )
    return retaliation


@transaction.atomic
def update_retaliation(
    *, actor: User, retaliation: Retaliation, status: str, response: str
) -> Retaliation:
    """Staff move a retaliation report along and say what they did."""
    require_staff(actor)
    if status not in Retaliation.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    before = snapshot(retaliation, ["status", "response"])
    retaliation.status, retaliation.response = status, response
    retaliation.save()
    changes = diff(before, snapshot(retaliation, ["status", "response"]))
    if "status" in changes:
        _event(
            retaliation.complaint,
            actor,
            message=_("The retaliation report is now: %(status)s.")
            % {"status": retaliation.get_status_display()},
        )
    record(
        actor=actor,
        event="retaliation.updated",
        target=retaliation.complaint,
        changes={"retaliation": retaliation.pk, **changes},
    )
    return retaliation
