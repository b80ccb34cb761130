"""Applications: a partner starts, saves, completes and submits one before the deadline; staff
screen it; the partner may withdraw it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from grants import notifications, rules
from grants.actions.common import save_fields
from grants.models import (
    Application,
    ApplicationDocument,
    Assignment,
    Cycle,
    Decision,
    RequiredDocument,
)
from partners.models import Organization
from powershare import money
from powershare.audit.log import record, snapshot
from powershare.forms import check_document


def _deadline_error(cycle: Cycle) -> ValidationError:
    deadline = formats.date_format(timezone.localtime(cycle.deadline), "DATETIME_FORMAT")
    return ValidationError(
        _("The deadline was %(deadline)s; late applications are not accepted.")
        % {"deadline": deadline}
    )


@transaction.atomic
def start_application(
    *,
    actor: User,
    cycle: Cycle,
    organization: Organization,
    project_title: str,
    at: datetime | None = None,
) -> Application:
    """Open a draft application for ``organization``; only its members may, while the call is open."""
    now = at or timezone.now()
    if organization.pk not in actor.organization_ids:
        raise PermissionDenied
    if organization.kind not in rules.APPLICANT_KINDS:
        raise ValidationError(
            {"organization": _("Only community organizations and nonprofits may apply.")}
        )
    if cycle.status != Cycle.Status.OPEN or now < cycle.opens:
        raise ValidationError(_("This call is not open for applications."))
    if now > cycle.deadline:
        raise _deadline_error(cycle)
    if Application.objects.filter(cycle=cycle, organization=organization).exists():
        raise ValidationError(
            {
                "organization": _("%(org)s already has an application in this cycle.")
                % {"org": organization}
            }
        )
    application = Application.objects.create(
        cycle=cycle,
        organization=organization,
        project_title=project_title,
        language=actor.language or "en",
        created_by=actor,
        created=now,
    )
    record(
        actor=actor,
        event="grants.application_started",
        target=application,
        changes=snapshot(application),
    )
    return application


def _editable_draft(actor: User, application: Application, now: datetime) -> None:
    if application.organization_id not in actor.organization_ids:
        raise PermissionDenied
    if application.status != Application.Status.DRAFT:
        raise ValidationError(_("This application was already submitted and can no longer change."))
    if now > application.cycle.deadline:
        raise _deadline_error(application.cycle)


@transaction.atomic
def save_application(
    *,
    actor: User,
    application: Application,
    answers: dict[str, str],
    at: datetime | None = None,
    **fields: Any,
) -> Application:
    """Save a draft's answers and budget. Drafts may be incomplete."""
    _editable_draft(actor, application, at or timezone.now())
    fields["answers"] = {str(k): v for k, v in answers.items()}
    amount = fields.get("amount_requested")
    cycle = application.cycle
    if amount is not None and not cycle.award_min <= amount <= cycle.award_max:
        raise ValidationError(
            {
                "amount_requested": _("Ask for between $%(low)s and $%(high)s.")
                % {"low": money.amount(cycle.award_min), "high": money.amount(cycle.award_max)}
            }
        )
    changes = save_fields(application, fields)
    if changes:
        record(actor=actor, event="grants.application_saved", target=application, changes=changes)
    return application


@transaction.atomic
def add_document(
    *,
    actor: User,
    application: Application,
    upload: UploadedFile,
    requirement: RequiredDocument | None = None,
    at: datetime | None = None,
) -> ApplicationDocument:
    """Attach a checked file to a draft; a new file for a requirement replaces the old one."""
    _editable_draft(actor, application, at or timezone.now())
    check_document(upload)
    if requirement is not None:
        if requirement.cycle_id != application.cycle_id:
            raise ValidationError({"requirement": _("That document is not part of this call.")})
        for old in application.documents.filter(requirement=requirement):
            old.file.delete(save=False)
            old.delete()
    document = ApplicationDocument(
        application=application,
        requirement=requirement,
        name=(upload.name or "document")[:200],
        uploaded_by=actor,
    )
    document.file.save(upload.name or "document", upload, save=True)
    record(
        actor=actor,
        event="grants.document_added",
        target=application,
        changes={"document": document.name, "requirement": requirement.name if requirement else ""},
    )
    return document


@transaction.atomic
def remove_document(*, actor: User, document: ApplicationDocument) -> None:
    """Take a file off a draft."""
    application = document.application
    _editable_draft(actor, application, timezone.now())
    record(
        actor=actor,
        event="grants.document_removed",
        target=application,
        changes={"document": document.name},
    )
    document.file.delete(save=False)
    document.delete()


def missing_parts(application: Application) -> list[str]:
    """What a draft still lacks before it can be submitted, in words for the applicant."""
    missing = []
    if not application.summary.strip():
        missing.append(_("a summary"))
    if application.amount_requested is None:
        missing.append(_("the amount requested"))
    if not application.budget.strip():
        missing.append(_("a budget"))
    for question in application.cycle.questions.all():
        if not str(application.answers.get(str(question.pk), "")).strip():
            missing.append(_("an answer to “%(q)s”") % {"q": question.display})
    attached = set(application.documents.values_list("requirement_id", flat=True))
    for requirement in application.cycle.required_documents.all():
        if requirement.pk not in attached:
            missing.append(_("the document “%(d)s”") % {"d": requirement.display})
    return missing


@transaction.atomic
def submit_application(
    *, actor: User, application: Application, at: datetime | None = None
) -> Application:
    """Submit before the deadline; the department can then read it, and members get a receipt."""
    application = (
        Application.objects.select_for_update().select_related("cycle").get(pk=application.pk)
    )
    now = at or timezone.now()
    _editable_draft(actor, application, now)
    if application.cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("This call is not open for applications."))
    missing = missing_parts(application)
    if missing:
        raise ValidationError(
            _("Before submitting, add: %(missing)s.") % {"missing": "; ".join(missing)}
        )
    application.status = Application.Status.SUBMITTED
    application.visibility = "department"
    application.submitted_at = now
    application.submitted_by = actor
    application.save()
    record(
        actor=actor,
        event="grants.application_submitted",
        target=application,
        changes={"status": ["draft", "submitted"], "submitted_at": str(now)},
    )
    notifications.application_submitted(application)
    return application


@transaction.atomic
def screen_application(
    *,
    actor: User,
    application: Application,
    eligibility: str,
    reason: str,
    at: datetime | None = None,
) -> Application:
    """Staff record whether a submitted application is eligible, and why."""
    if not actor.is_department:
        raise PermissionDenied
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only submitted applications are screened."))
    if eligibility not in (Application.Eligibility.ELIGIBLE, Application.Eligibility.INELIGIBLE):
        raise ValidationError({"eligibility": _("Choose eligible or not eligible.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the screening result.")})
    if (
        application.reviews.filter(submitted_at__isnull=False).exists()
        and eligibility == "ineligible"
    ):
        raise ValidationError(_("Reviewers have already scored this application."))
    changes = save_fields(
        application,
        {
            "eligibility": eligibility,
            "eligibility_reason": reason.strip(),
            "screened_by": actor,
            "screened_at": at or timezone.now(),
        },
    )
    record(actor=actor, event="grants.application_screened", target=application, changes=changes)
    return application


@transaction.atomic
def withdraw_application(
    *, actor: User, application: Application, reason: str = "", at: datetime | None = None
) -> Application:
    """The applicant takes a submitted application out of the cycle before it is decided: it
    leaves review (assignments without a submitted review, draft reviews and any draft decision
    go; submitted reviews stay on the record but out of the ranking) and members get a receipt."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cycle", "organization")
        .get(pk=application.pk)
    )
    if not rules.is_applicant(actor, application):
        raise PermissionDenied
    # Lock the cycle too: approval steps and decisions wait while this runs.
    Cycle.objects.select_for_update().get(pk=application.cycle_id)
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("This application was already withdrawn."))
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be withdrawn."))
    if not rules.withdrawal_open(application):
        raise ValidationError(
            _("The decisions on this cycle are already being approved; it is too late to withdraw.")
        )
    dropped: dict[str, Any] = {}
    decision = Decision.objects.filter(application=application).first()
    if decision is not None:
        dropped = snapshot(decision, ["outcome", "amount", "reason"])
        decision.delete()
    reviewed = application.reviews.filter(submitted_at__isnull=False).values("reviewer_id")
    unreviewed = Assignment.objects.filter(application=application).exclude(
        reviewer_id__in=reviewed
    )
    unassigned = unreviewed.count()
    unreviewed.delete()
    application.reviews.filter(submitted_at__isnull=True).delete()
    moment = at or timezone.now()
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = moment
    application.withdrawn_by = actor
    application.withdrawal_reason = reason.strip()
    application.full_clean()
    application.save()
    record(
        actor=actor,
        event="grants.application_withdrawn",
        target=application,
        changes={
            "status": ["submitted", "withdrawn"],
            "withdrawn_at": str(moment),
            "reason": application.withdrawal_reason,
            "assignments_removed": unassigned,
            **({"decision_dropped": dropped} if dropped else {}),
        },
    )
    notifications.application_withdrawn(application)
    return application
