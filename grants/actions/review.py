"""Review: the panel (members, conflicts of interest, the assignment of applications to
reviewers), reviews and deliberation notes, and the community reviewers who offer to serve."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from grants import notifications, rules, scoring
from grants.models import (
    Application,
    Assignment,
    ConflictDeclaration,
    Cycle,
    DeliberationNote,
    PanelMember,
    Review,
    ReviewerInterest,
    Score,
)
from powershare.audit.log import diff, record, snapshot


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
