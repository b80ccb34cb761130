"""Every change of state in grants: each runs in a transaction and writes the audit log.

Bad input raises ``ValidationError`` naming the field; nothing is half-saved.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from grants import notifications, rules, scoring
from grants.models import (
    Application,
    ApplicationDocument,
    ApprovalStep,
    Assignment,
    Award,
    ConflictDeclaration,
    Criterion,
    Cycle,
    Decision,
    DeliberationNote,
    PanelMember,
    Payment,
    Program,
    Question,
    Report,
    RequiredDocument,
    Review,
    ReviewerInterest,
    Score,
)
from partners.models import Organization
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_document

ITEM_MODELS: dict[str, type[Question] | type[RequiredDocument] | type[Criterion]] = {
    "question": Question,
    "document": RequiredDocument,
    "criterion": Criterion,
}
DEFAULT_APPROVAL = ["Final approval"]


class NeedsConfirmation(Exception):
    """The decision would take the funded total over the budget by ``excess``."""

    def __init__(self, excess: Decimal) -> None:
        super().__init__(excess)
        self.excess = excess


def _save(instance: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    before = snapshot(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return diff(before, snapshot(instance))


# Programs and cycles ---------------------------------------------------------------------


@transaction.atomic
def create_program(*, actor: User, **fields: Any) -> Program:
    """Create a grant program."""
    program = Program(**fields)
    program.full_clean()
    program.save()
    record(actor=actor, event="grants.program_created", target=program, changes=snapshot(program))
    return program


@transaction.atomic
def update_program(*, actor: User, program: Program, **fields: Any) -> Program:
    """Change a program's description, restrictions or approval chain."""
    changes = _save(program, fields)
    if changes:
        record(actor=actor, event="grants.program_updated", target=program, changes=changes)
    return program


@transaction.atomic
def create_cycle(*, actor: User, program: Program, **fields: Any) -> Cycle:
    """Draft a new cycle of ``program``; it is published by opening it."""
    cycle = Cycle(program=program, **fields)
    cycle.full_clean()
    cycle.save()
    record(actor=actor, event="grants.cycle_created", target=cycle, changes=snapshot(cycle))
    return cycle


@transaction.atomic
def update_cycle(*, actor: User, cycle: Cycle, **fields: Any) -> Cycle:
    """Change a cycle's call, dates, money or review numbers."""
    changes = _save(cycle, fields)
    if changes:
        record(actor=actor, event="grants.cycle_updated", target=cycle, changes=changes)
    return cycle


@transaction.atomic
def add_item(*, actor: User, cycle: Cycle, kind: str, **fields: Any) -> Any:
    """Add a question, a required document or a rubric criterion to a cycle."""
    model = ITEM_MODELS[kind]
    if kind == "criterion" and cycle.reviews_started():
        raise ValidationError(_("The rubric cannot change once reviewers have scored."))
    fields.setdefault("order", model.objects.filter(cycle=cycle).count() + 1)
    item = model(cycle=cycle, **fields)
    item.full_clean()
    item.save()
    record(actor=actor, event=f"grants.{kind}_added", target=cycle, changes=snapshot(item))
    return item


@transaction.atomic
def remove_item(*, actor: User, cycle: Cycle, kind: str, item_id: int) -> None:
    """Remove a question, required document or criterion (criteria only before scoring)."""
    model = ITEM_MODELS[kind]
    item = model.objects.get(cycle=cycle, pk=item_id)
    if kind == "criterion" and cycle.reviews_started():
        raise ValidationError(_("The rubric cannot change once reviewers have scored."))
    record(actor=actor, event=f"grants.{kind}_removed", target=cycle, changes=snapshot(item))
    item.delete()


CYCLE_MOVES = {
    Cycle.Status.DRAFT: [Cycle.Status.OPEN],
    Cycle.Status.OPEN: [Cycle.Status.REVIEW],
    Cycle.Status.REVIEW: [],  # the approval chain moves it on
    Cycle.Status.DECIDED: [Cycle.Status.CLOSED],
    Cycle.Status.CLOSED: [],
}


@transaction.atomic
def set_cycle_status(*, actor: User, cycle: Cycle, status: str) -> Cycle:
    """Publish a call, close it for review, or close a finished cycle."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if status not in CYCLE_MOVES[Cycle.Status(cycle.status)]:
        raise ValidationError(_("A cycle cannot move from that status to that one."))
    if status == Cycle.Status.OPEN:
        missing = []
        if not cycle.questions.exists():
            missing.append(_("at least one question"))
        if not cycle.criteria.exists():
            missing.append(_("a rubric with at least one criterion"))
        if missing:
            raise ValidationError(
                _("Before publishing the call, add %(missing)s.") % {"missing": ", ".join(missing)}
            )
    old = cycle.status
    cycle.status = status
    cycle.save(update_fields=["status"])
    record(
        actor=actor, event="grants.cycle_status", target=cycle, changes={"status": [old, status]}
    )
    return cycle


# Applications ----------------------------------------------------------------------------


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
                % {"low": cycle.award_min, "high": cycle.award_max}
            }
        )
    changes = _save(application, fields)
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
    changes = _save(
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


# The panel -------------------------------------------------------------------------------


@transaction.atomic
def add_panel_member(
    *, actor: User, cycle: Cycle, reviewer: User, at: datetime | None = None
) -> PanelMember:
    """Seat a community reviewer or a staff member on the cycle's panel."""
    if reviewer.is_department:
        kind = PanelMember.Kind.STAFF
    elif reviewer.is_reviewer:
        kind = PanelMember.Kind.COMMUNITY
    else:
        raise ValidationError(
            {"reviewer": _("Only community reviewers and department staff sit on panels.")}
        )
    if PanelMember.objects.filter(cycle=cycle, reviewer=reviewer).exists():
        raise ValidationError(
            {"reviewer": _("%(name)s is already on this panel.") % {"name": reviewer}}
        )
    member = PanelMember.objects.create(
        cycle=cycle, reviewer=reviewer, kind=kind, added=at or timezone.now()
    )
    record(
        actor=actor,
        event="grants.panel_added",
        target=cycle,
        changes={"reviewer": reviewer.pk, "kind": kind},
    )
    return member


@transaction.atomic
def remove_panel_member(*, actor: User, member: PanelMember) -> None:
    """Take a reviewer off a panel; refused once they have submitted a review in this cycle."""
    cycle = member.cycle
    if Review.objects.filter(
        application__cycle=cycle, reviewer=member.reviewer, submitted_at__isnull=False
    ).exists():
        raise ValidationError(_("This reviewer has submitted reviews; they stay on the record."))
    Assignment.objects.filter(application__cycle=cycle, reviewer=member.reviewer).delete()
    Review.objects.filter(application__cycle=cycle, reviewer=member.reviewer).delete()
    record(
        actor=actor,
        event="grants.panel_removed",
        target=cycle,
        changes={"reviewer": member.reviewer_id},
    )
    member.delete()


@transaction.atomic
def declare_conflict(
    *,
    actor: User,
    application: Application,
    kind: str,
    note: str = "",
    at: datetime | None = None,
) -> ConflictDeclaration:
    """A panel member says whether they have a conflict with an application, before reading it.

    A conflict drops their assignment (their scores, if any, leave the ranking). Once scores on
    the application exist, a declared conflict cannot be taken back.
    """
    if not rules.is_panelist(actor, application.cycle):
        raise PermissionDenied
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only submitted applications are reviewed."))
    if kind not in ConflictDeclaration.Kind.values:
        raise ValidationError({"kind": _("Choose whether you have a conflict, and which.")})
    has_conflict = kind != ConflictDeclaration.Kind.NONE
    existing = (
        ConflictDeclaration.objects.select_for_update()
        .filter(application=application, reviewer=actor)
        .first()
    )
    if existing and existing.has_conflict and not has_conflict:
        if application.reviews.filter(submitted_at__isnull=False).exists():
            raise ValidationError(
                _(
                    "You declared a conflict and scores on this application exist; the conflict stands."
                )
            )
    declaration = existing or ConflictDeclaration(application=application, reviewer=actor)
    old = snapshot(declaration, ["has_conflict", "kind", "note"]) if existing else {}
    declaration.has_conflict = has_conflict
    declaration.kind = kind
    declaration.note = note.strip()[:500]
    declaration.declared_at = at or timezone.now()
    declaration.save()
    if has_conflict:
        Assignment.objects.filter(application=application, reviewer=actor).delete()
        Review.objects.filter(
            application=application, reviewer=actor, submitted_at__isnull=True
        ).delete()
    record(
        actor=actor,
        event="grants.conflict_declared",
        target=application,
        changes={
            "reviewer": actor.pk,
            **diff(old, snapshot(declaration, ["has_conflict", "kind", "note"])),
        },
    )
    return declaration


def conflict_pairs(cycle: Cycle) -> set[tuple[int, int]]:
    """(reviewer id, application id) for every declared conflict in the cycle."""
    return set(
        ConflictDeclaration.objects.filter(application__cycle=cycle, has_conflict=True).values_list(
            "reviewer_id", "application_id"
        )
    )


@transaction.atomic
def run_assignment(*, actor: User, cycle: Cycle, at: datetime | None = None) -> int:
    """Assign eligible applications to the panel (coverage N, cap per reviewer, no conflicts),
    keeping assignments already made. Returns how many were added."""
    if not actor.is_department:
        raise PermissionDenied
    apps = list(
        cycle.applications.filter(status=Application.Status.SUBMITTED)
        .exclude(eligibility=Application.Eligibility.INELIGIBLE)
        .values_list("pk", flat=True)
    )
    if not apps:
        raise ValidationError(_("There are no submitted, eligible applications to assign."))
    people = list(cycle.panel.values_list("reviewer_id", flat=True))
    if not people:
        raise ValidationError(_("The panel has no reviewers yet."))
    existing: dict[int, set[int]] = {a: set() for a in apps}
    for app_id, reviewer_id in Assignment.objects.filter(application_id__in=apps).values_list(
        "application_id", "reviewer_id"
    ):
        existing[app_id].add(reviewer_id)
    try:
        plan = scoring.assign(
            apps,
            people,
            per_application=cycle.reviewers_per_application,
            cap=cycle.reviewer_cap,
            conflicts=conflict_pairs(cycle),
            existing=existing,
        )
    except scoring.InfeasibleAssignment as error:
        titles = dict(cycle.applications.values_list("pk", "project_title"))
        message = str(error)
        for pk, title in titles.items():
            message = message.replace(f"for: {pk}", f"for: {title}").replace(
                f", {pk},", f", {title},"
            )
        raise ValidationError(
            _("Assignment is not possible: %(reason)s") % {"reason": message}
        ) from error
    added = 0
    moment = at or timezone.now()
    for app_id, reviewers in plan.items():
        for reviewer_id in sorted(reviewers - existing[app_id]):
            Assignment.objects.create(
                application_id=app_id, reviewer_id=reviewer_id, assigned_at=moment
            )
            added += 1
    record(actor=actor, event="grants.assigned", target=cycle, changes={"added": added})
    return added


@transaction.atomic
def save_review(
    *,
    actor: User,
    application: Application,
    scores: dict[int, tuple[int | None, str]],
    comment: str = "",
    submit: bool = False,
    at: datetime | None = None,
) -> Review:
    """Save a reviewer's scores (draft or submitted). Scores outside a criterion's scale are
    refused; submitting needs a score for every criterion. Submitted reviews are final."""
    if not rules.may_review(actor, application):
        raise PermissionDenied
    application.cycle = Cycle.objects.get(pk=application.cycle_id)
    if application.cycle.status != Cycle.Status.REVIEW:
        raise ValidationError(_("This cycle is not under review."))
    review, _created = Review.objects.select_for_update().get_or_create(
        application=application, reviewer=actor
    )
    if review.is_submitted:
        raise ValidationError(_("You already submitted this review."))
    criteria = list(application.cycle.criteria.all())
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        value, _text = scores.get(criterion.pk, (None, ""))
        field = f"score_{criterion.pk}"
        if value is None:
            if submit:
                errors[field] = [_("Score “%(c)s” before submitting.") % {"c": criterion.display}]
        elif not criterion.scale_min <= value <= criterion.scale_max:
            errors[field] = [
                _("“%(c)s” is scored from %(low)s to %(high)s.")
                % {"c": criterion.display, "low": criterion.scale_min, "high": criterion.scale_max}
            ]
    if errors:
        raise ValidationError(errors)
    for criterion in criteria:
        value, text = scores.get(criterion.pk, (None, ""))
        if value is None:
            Score.objects.filter(review=review, criterion=criterion).delete()
            continue
        Score.objects.update_or_create(
            review=review, criterion=criterion, defaults={"value": value, "comment": text.strip()}
        )
    review.comment = comment.strip()
    if submit:
        review.submitted_at = at or timezone.now()
    review.save()
    record(
        actor=actor,
        event="grants.review_submitted" if submit else "grants.review_saved",
        target=application,
        changes={"reviewer": actor.pk, "scores": {str(k): v[0] for k, v in scores.items()}},
    )
    return review


@transaction.atomic
def add_note(
    *, actor: User, application: Application, text: str, at: datetime | None = None
) -> DeliberationNote:
    """Record what the panel said about an application when it met."""
    if not rules.may_deliberate(actor, application):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    note = DeliberationNote.objects.create(
        application=application, author=actor, text=text.strip(), created=at or timezone.now()
    )
    record(
        actor=actor,
        event="grants.note_added",
        target=application,
        changes={"note": note.text[:200]},
    )
    return note


# Decisions and approval ------------------------------------------------------------------


def funded_total(cycle: Cycle, *, excluding: Application | None = None) -> Decimal:
    """The sum of fund and fund-in-part decisions in the cycle."""
    qs = Decision.objects.filter(application__cycle=cycle).exclude(outcome=Decision.Outcome.DECLINE)
    if excluding is not None:
        qs = qs.exclude(application=excluding)
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def decide(
    *,
    actor: User,
    application: Application,
    outcome: str,
    amount: Decimal | None,
    reason: str,
    confirm_over_budget: bool = False,
    at: datetime | None = None,
) -> Decision:
    """Record fund / fund in part / do not fund with its reason. A decision that takes the funded
    total over the budget raises :class:`NeedsConfirmation` unless confirmed."""
    if not actor.is_department:
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().get(pk=application.cycle_id)
    if cycle.status != Cycle.Status.REVIEW or cycle.approvals.exists():
        raise ValidationError(
            _(
                "Decisions can change only while the cycle is under review and before approval starts."
            )
        )
    application.refresh_from_db(fields=["status", "eligibility"])
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("This application was withdrawn; it cannot be decided."))
    if (
        application.status != Application.Status.SUBMITTED
        or application.eligibility == "ineligible"
    ):
        raise ValidationError(_("Only submitted, eligible applications are decided."))
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose a decision.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if outcome == Decision.Outcome.DECLINE:
        amount = Decimal("0")
    elif not amount or amount <= 0:
        raise ValidationError({"amount": _("Enter the amount to fund.")})
    elif application.amount_requested and amount > application.amount_requested:
        raise ValidationError({"amount": _("The amount is more than the application asked for.")})
    elif (
        outcome == Decision.Outcome.FUND
        and application.amount_requested
        and amount != application.amount_requested
    ):
        raise ValidationError(
            {
                "amount": _(
                    "Funding in full means the amount requested; otherwise choose “Fund in part”."
                )
            }
        )
    total = funded_total(cycle, excluding=application) + amount
    if total > cycle.budget and not confirm_over_budget:
        raise NeedsConfirmation(total - cycle.budget)
    decision = Decision.objects.filter(application=application).first() or Decision(
        application=application
    )
    old = snapshot(decision, ["outcome", "amount", "reason"]) if decision.pk else {}
    decision.outcome = outcome
    decision.amount = amount
    decision.reason = reason.strip()
    decision.decided_by = actor
    decision.decided_at = at or timezone.now()
    decision.full_clean()
    decision.save()
    record(
        actor=actor,
        event="grants.decided",
        target=application,
        changes={
            **diff(old, snapshot(decision, ["outcome", "amount", "reason"])),
            "over_budget": total > cycle.budget,
        },
    )
    return decision


def approval_chain(cycle: Cycle) -> list[str]:
    return [s for s in (cycle.program.approval_steps or []) if str(s).strip()] or DEFAULT_APPROVAL


@transaction.atomic
def approve_step(
    *, actor: User, cycle: Cycle, note: str = "", at: datetime | None = None
) -> ApprovalStep:
    """Take the next step of the program's approval chain for the cycle's decisions. The last
    step makes them final: awards are created and applicants told."""
    if not actor.is_department:
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.REVIEW:
        raise ValidationError(_("Only a cycle under review goes through approval."))
    undecided = (
        cycle.applications.filter(status=Application.Status.SUBMITTED, decision__isnull=True)
        .exclude(eligibility=Application.Eligibility.INELIGIBLE)
        .count()
    )
    if undecided:
        raise ValidationError(
            ngettext(
                "%(n)s eligible application has no decision yet.",
                "%(n)s eligible applications have no decision yet.",
                undecided,
            )
            % {"n": undecided}
        )
    chain = approval_chain(cycle)
    step = cycle.approvals.count()
    moment = at or timezone.now()
    approval = ApprovalStep.objects.create(
        cycle=cycle,
        step=step + 1,
        name=chain[step],
        note=note.strip(),
        approved_by=actor,
        approved_at=moment,
    )
    record(
        actor=actor,
        event="grants.approved",
        target=cycle,
        changes={"step": chain[step], "note": note},
    )
    if step + 1 == len(chain):
        _finalize(actor, cycle, moment)
    return approval


def _finalize(actor: User, cycle: Cycle, moment: datetime) -> None:
    for application in cycle.applications.filter(
        status=Application.Status.SUBMITTED, decision__isnull=False
    ).select_related("decision", "organization"):
        decision = application.decision
        if decision.funds:
            Award.objects.create(application=application, amount=decision.amount, created=moment)
        notifications.decision_final(application)
    cycle.status = Cycle.Status.DECIDED
    cycle.save(update_fields=["status"])
    record(
        actor=actor,
        event="grants.cycle_status",
        target=cycle,
        changes={"status": ["review", "decided"]},
    )


# Awards, payments, reports ---------------------------------------------------------------


@transaction.atomic
def update_award(
    *, actor: User, award: Award, agreement: UploadedFile | None = None, **fields: Any
) -> Award:
    """Record the agreement (a checked file) and the grant period."""
    if not actor.is_department:
        raise PermissionDenied
    if agreement is not None:
        check_document(agreement)
        old = award.agreement.name
        if old:
            # The replaced file goes only once the new one is recorded.
            storage = award.agreement.storage
            transaction.on_commit(lambda: storage.delete(old))
        award.agreement.save(agreement.name or "agreement", agreement, save=False)
        fields["agreement"] = award.agreement
    changes = _save(award, fields)
    record(actor=actor, event="grants.award_updated", target=award, changes=changes)
    return award


@transaction.atomic
def schedule_payment(*, actor: User, award: Award, due: date, amount: Decimal) -> Payment:
    """Add an installment; the schedule may not add up to more than the award."""
    if not actor.is_department:
        raise PermissionDenied
    scheduled = award.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if scheduled + amount > award.amount:
        raise ValidationError(
            {
                "amount": _(
                    "The schedule would total $%(total)s, more than the award of $%(award)s."
                )
                % {"total": scheduled + amount, "award": award.amount}
            }
        )
    payment = Payment.objects.create(award=award, due=due, amount=amount)
    record(actor=actor, event="grants.payment_scheduled", target=award, changes=snapshot(payment))
    return payment


@transaction.atomic
def record_payment(*, actor: User, payment: Payment, paid_on: date, reference: str = "") -> Payment:
    """Mark an installment paid."""
    if not actor.is_department:
        raise PermissionDenied
    if payment.paid_on:
        raise ValidationError(_("This installment is already marked paid."))
    changes = _save(payment, {"paid_on": paid_on, "reference": reference.strip()})
    record(actor=actor, event="grants.payment_made", target=payment.award, changes=changes)
    return payment


@transaction.atomic
def schedule_report(*, actor: User, award: Award, due: date) -> Report:
    """Ask the grantee for a short progress report on ``due``."""
    if not actor.is_department:
        raise PermissionDenied
    if award.reports.filter(due=due).exists():
        raise ValidationError({"due": _("A report is already due that day.")})
    report = Report.objects.create(award=award, due=due)
    record(actor=actor, event="grants.report_scheduled", target=award, changes={"due": str(due)})
    return report


@transaction.atomic
def submit_report(
    *, actor: User, report: Report, at: datetime | None = None, **fields: Any
) -> Report:
    """A grantee's short progress report, in their own language; at least one answer."""
    if report.award.application.organization_id not in actor.organization_ids:
        raise PermissionDenied
    if report.submitted_at:
        raise ValidationError(_("This report was already sent."))
    if not any(str(fields.get(k) or "").strip() for k in ("progress", "change", "challenges")):
        raise ValidationError({"progress": _("Tell us at least what you did so far.")})
    fields.update(
        language=actor.language or "en", submitted_at=at or timezone.now(), submitted_by=actor
    )
    changes = _save(report, fields)
    record(actor=actor, event="grants.report_submitted", target=report.award, changes=changes)
    return report


# Community reviewers ---------------------------------------------------------------------


@transaction.atomic
def submit_interest(*, at: datetime | None = None, **fields: Any) -> ReviewerInterest:
    """A resident offers to review (public form)."""
    interest = ReviewerInterest(created=at or timezone.now(), **fields)
    interest.full_clean()
    interest.save()
    record(
        actor=None,
        event="grants.interest_received",
        target=interest,
        changes={"language": interest.language},
    )
    return interest


@transaction.atomic
def handle_interest(*, actor: User, interest: ReviewerInterest, accept: bool) -> User | None:
    """Accept a resident into the reviewer pool (an account, and a link to set a password),
    or decline for now."""
    if not actor.is_department:
        raise PermissionDenied
    if interest.status != ReviewerInterest.Status.NEW:
        raise ValidationError(_("This offer was already handled."))
    user = None
    if accept:
        user = User.objects.filter(email__iexact=interest.email).first()
        if user is None:
            user = User.objects.create_user(
                interest.email, None, name=interest.name, language=interest.language
            )
        user.is_reviewer = True
        user.save(update_fields=["is_reviewer"])
        notifications.reviewer_welcome(user, reverse("account_reset_password"))
    interest.status = (
        ReviewerInterest.Status.ACCEPTED if accept else ReviewerInterest.Status.DECLINED
    )
    interest.handled_by = actor
    interest.save()
    record(
        actor=actor,
        event="grants.interest_handled",
        target=interest,
        changes={"status": interest.status},
    )
    return user
