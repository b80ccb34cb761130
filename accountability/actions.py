"""Every change of state of meetings, motions, recommendations, responses and commitments.
Each runs in a transaction and writes the audit log; a recommendation's steps also go into its
public history. Seats, terms, applications and organizer positions are in ``roster.py``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accountability import notifications
from accountability.models import (
    Board,
    Commitment,
    CommitmentUpdate,
    Motion,
    Recommendation,
    RecommendationEvent,
    Response,
)
from accountability.rules import require_board_admin, require_staff
from accounts.models import User
from partners.models import Campaign, Organization
from powershare.audit.log import record
from support.models import Ask

REMINDER_DAYS = 7
# The recommendation's status after a published response with each decision.
DECISION_STATUS: dict[str, str] = {
    Response.Decision.ACCEPT: Recommendation.Status.ACCEPTED,
    Response.Decision.PARTIAL: Recommendation.Status.PARTIAL,
    Response.Decision.DECLINE: Recommendation.Status.DECLINED,
    Response.Decision.UNDER_STUDY: Recommendation.Status.UNDER_STUDY,
}


def _event(
    recommendation: Recommendation,
    kind: str,
    *,
    actor: Any,
    note: str = "",
    at: datetime | None = None,
) -> RecommendationEvent:
    return RecommendationEvent.objects.create(
        recommendation=recommendation,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        status=recommendation.status,
        note=note,
        at=at or timezone.now(),
    )


# Recommendations ----------------------------------------------------------------------------


def _next_number(board: Board, year: int) -> str:
    taken = set(
        board.recommendations.filter(number__startswith=f"{year}-").values_list("number", flat=True)
    )
    n = 1
    while f"{year}-{n:02d}" in taken:
        n += 1
    return f"{year}-{n:02d}"


@transaction.atomic
def draft_recommendation(
    *,
    actor: User,
    board: Board,
    title: str,
    text: str,
    rationale: str,
    addressed_to: Organization,
    campaigns: Iterable[Campaign] = (),
    asks: Iterable[Ask] = (),
    at: datetime | None = None,
) -> Recommendation:
    """Write a recommendation for the board to vote on; it is not public until adopted."""
    require_board_admin(actor)
    if addressed_to.kind != Organization.Kind.DEPARTMENT_UNIT:
        raise ValidationError(_("A recommendation is addressed to a unit of the department."))
    at = at or timezone.now()
    recommendation = Recommendation(
        board=board,
        number=_next_number(board, timezone.localdate(at).year),
        title=title.strip(),
        text=text.strip(),
        rationale=rationale.strip(),
        addressed_to=addressed_to,
    )
    recommendation.full_clean()
    recommendation.save()
    recommendation.campaigns.set(campaigns)
    recommendation.asks.set(asks)
    _event(recommendation, RecommendationEvent.Kind.CREATED, actor=actor, at=at)
    record(
        actor=actor, event="recommendation.drafted", target=recommendation, changes={"title": title}
    )
    return recommendation


@transaction.atomic
def adopt_recommendation(
    *, actor: User, recommendation: Recommendation, motion: Motion, at: datetime | None = None
) -> Recommendation:
    """Publish a draft recommendation adopted by a carried, formal motion; the department's
    deadline to respond starts on the meeting's day."""
    require_board_admin(actor)
    recommendation.refresh_from_db()
    if recommendation.is_published:
        raise ValidationError(_("This recommendation was already adopted."))
    if motion.informal or motion.result != Motion.Result.CARRIED:
        raise ValidationError(_("Only a carried, formal motion adopts a recommendation."))
    if motion.meeting.board_id != recommendation.board_id:
        raise ValidationError(_("The motion is not the same board's."))
    at = at or timezone.now()
    board = recommendation.board
    adopted_on = timezone.localdate(motion.meeting.starts)
    recommendation.motion = motion
    recommendation.adopted_on = adopted_on
    recommendation.response_due = adopted_on + timedelta(days=board.response_days)
    recommendation.published = at
    recommendation.status = Recommendation.Status.AWAITING
    if recommendation.number[:4] != str(adopted_on.year):
        recommendation.number = _next_number(board, adopted_on.year)
    recommendation.save()
    _event(recommendation, RecommendationEvent.Kind.ADOPTED, actor=actor, at=at)
    record(
        actor=actor,
        event="recommendation.adopted",
        target=recommendation,
        changes={"motion": motion.pk, "response_due": str(recommendation.response_due)},
    )
    notifications.recommendation_adopted(recommendation, actor=actor)
    return recommendation


@transaction.atomic
def delete_recommendation(*, actor: User, recommendation: Recommendation) -> None:
    """Delete a draft. A published recommendation is never deleted: withdraw it instead."""
    require_board_admin(actor)
    if recommendation.is_published:
        raise ValidationError(
            _("A published recommendation cannot be deleted. Withdraw it, and say why.")
        )
    record(
        actor=actor,
        event="recommendation.deleted",
        target=recommendation,
        changes={"title": recommendation.title},
    )
    recommendation.delete()


@transaction.atomic
def withdraw_recommendation(
    *, actor: User, recommendation: Recommendation, reason: str, at: datetime | None = None
) -> Recommendation:
    """Withdraw a published recommendation; the reason stays in its public history."""
    require_board_admin(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the recommendation is withdrawn."))
    if not recommendation.is_published:
        raise ValidationError(_("A draft is not withdrawn; delete it instead."))
    if recommendation.status == Recommendation.Status.WITHDRAWN:
        raise ValidationError(_("This recommendation was already withdrawn."))
    old = recommendation.status
    recommendation.status = Recommendation.Status.WITHDRAWN
    recommendation.save(update_fields=["status", "updated"])
    _event(recommendation, RecommendationEvent.Kind.WITHDRAWN, actor=actor, note=reason, at=at)
    record(
        actor=actor,
        event="recommendation.withdrawn",
        target=recommendation,
        changes={"status": [old, recommendation.status], "reason": reason},
    )
    return recommendation


# Responses and commitments ------------------------------------------------------------------


@transaction.atomic
def respond(
    *,
    actor: User,
    recommendation: Recommendation,
    decision: str,
    rationale: str,
    publish: bool = True,
    at: datetime | None = None,
) -> Response:
    """The department's response: accept, accept in part, decline or under study. A draft may
    lack a rationale; a published response never does. Publishing sets the recommendation's
    status, and the first one published stops the clock of the deadline."""
    require_staff(actor)
    if decision not in Response.Decision.values:
        raise ValidationError(_("Choose a decision."))
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not recommendation.is_published:
        raise ValidationError(_("The board has not adopted this recommendation yet."))
    if recommendation.status in (
        Recommendation.Status.WITHDRAWN,
        Recommendation.Status.IMPLEMENTED,
    ):
        raise ValidationError(
            _("This recommendation is %(status)s; it takes no new response.")
            % {"status": recommendation.get_status_display().lower()}
        )
    rationale = rationale.strip()
    if publish and not rationale:
        raise ValidationError(_("A response cannot be published without a rationale."))
    at = at or timezone.now()
    response = Response.objects.create(
        recommendation=recommendation,
        decision=decision,
        rationale=rationale,
        author=actor,
        created=at,
        published=at if publish else None,
    )
    if publish:
        _publish(recommendation, response, actor=actor, at=at)
    record(
        actor=actor,
        event="recommendation.response_published" if publish else "recommendation.response_drafted",
        target=recommendation,
        changes={"decision": decision, "rationale": rationale},
    )
    return response


def _publish(
    recommendation: Recommendation, response: Response, *, actor: User, at: datetime
) -> None:
    recommendation.status = DECISION_STATUS[response.decision]
    if recommendation.first_response is None:
        recommendation.first_response = at
    recommendation.save(update_fields=["status", "first_response", "updated"])
    _event(
        recommendation,
        RecommendationEvent.Kind.RESPONSE,
        actor=actor,
        note=response.rationale,
        at=at,
    )
    _check_implemented(recommendation, actor=actor, at=at)


@transaction.atomic
def publish_response(*, actor: User, response: Response, rationale: str | None = None) -> Response:
    """Publish a drafted response, with its rationale (which it must have by now)."""
    require_staff(actor)
    if response.published:
        raise ValidationError(_("This response is already published."))
    if rationale is not None:
        response.rationale = rationale.strip()
    if not response.rationale:
        raise ValidationError(_("A response cannot be published without a rationale."))
    recommendation = response.recommendation
    if recommendation.status in (
        Recommendation.Status.WITHDRAWN,
        Recommendation.Status.IMPLEMENTED,
    ):
        raise ValidationError(_("This recommendation takes no new response."))
    at = timezone.now()
    response.published = at
    response.save(update_fields=["rationale", "published"])
    _publish(recommendation, response, actor=actor, at=at)
    record(
        actor=actor,
        event="recommendation.response_published",
        target=recommendation,
        changes={"decision": response.decision},
    )
    return response


@transaction.atomic
def add_commitment(
    *,
    actor: User,
    recommendation: Recommendation,
    description: str,
    owner: User,
    due: date,
    at: datetime | None = None,
) -> Commitment:
    """Commit to a step for a recommendation the department accepted, in whole or in part."""
    require_staff(actor)
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status not in (Recommendation.Status.ACCEPTED, Recommendation.Status.PARTIAL):
        raise ValidationError(_("Commitments follow a published acceptance, in whole or in part."))
    if not owner.is_department or not owner.is_active:
        raise ValidationError(_("The owner must be active department staff."))
    description = description.strip()
    if not description:
        raise ValidationError(_("Say what the department commits to do."))
    at = at or timezone.now()
    commitment = Commitment.objects.create(
        recommendation=recommendation, description=description, owner=owner, due=due, created=at
    )
    _event(
        recommendation, RecommendationEvent.Kind.COMMITMENT, actor=actor, note=description, at=at
    )
    record(
        actor=actor,
        event="recommendation.commitment_added",
        target=recommendation,
        changes={"commitment": description, "owner": owner.pk, "due": str(due)},
    )
    return commitment


@transaction.atomic
def update_commitment(
    *, actor: User, commitment: Commitment, status: str, note: str, at: datetime | None = None
) -> CommitmentUpdate:
    """A status update on a commitment. When every commitment is done (or dropped, with at
    least one done), the recommendation is implemented."""
    require_staff(actor)
    if status not in Commitment.Status.values:
        raise ValidationError(_("Choose a status."))
    note = note.strip()
    if not note:
        raise ValidationError(_("Say what happened."))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    recommendation = commitment.recommendation
    if recommendation.status == Recommendation.Status.WITHDRAWN:
        raise ValidationError(_("This recommendation was withdrawn."))
    at = at or timezone.now()
    old = commitment.status
    commitment.status = status
    commitment.completed = timezone.localdate(at) if status == Commitment.Status.DONE else None
    commitment.save(update_fields=["status", "completed"])
    update = CommitmentUpdate.objects.create(
        commitment=commitment, status=status, note=note, author=actor, at=at
    )
    _event(recommendation, RecommendationEvent.Kind.UPDATE, actor=actor, note=note, at=at)
    record(
        actor=actor,
        event="recommendation.commitment_updated",
        target=recommendation,
        changes={"commitment": commitment.pk, "status": [old, status], "note": note},
    )
    _check_implemented(recommendation, actor=actor, at=at)
    return update


def _check_implemented(recommendation: Recommendation, *, actor: Any, at: datetime) -> None:
    if recommendation.status not in (Recommendation.Status.ACCEPTED, Recommendation.Status.PARTIAL):
        return
    statuses = list(recommendation.commitments.values_list("status", flat=True))
    if not statuses or Commitment.Status.DONE not in statuses:
        return
    if any(s in Commitment.OPEN for s in statuses):
        return
    recommendation.status = Recommendation.Status.IMPLEMENTED
    recommendation.save(update_fields=["status", "updated"])
    _event(recommendation, RecommendationEvent.Kind.IMPLEMENTED, actor=actor, at=at)
    record(actor=actor, event="recommendation.implemented", target=recommendation)


# Reminders ----------------------------------------------------------------------------------


@transaction.atomic
def send_response_reminders(*, today: date | None = None) -> list[Recommendation]:
    """Email the department about every recommendation whose response is due within
    ``REMINDER_DAYS`` days and that is still unanswered; once per recommendation."""
    today = today or timezone.localdate()
    due = Recommendation.objects.filter(
        status=Recommendation.Status.AWAITING,
        response_due__gte=today,
        response_due__lte=today + timedelta(days=REMINDER_DAYS),
    ).select_related("addressed_to", "board")
    reminded = []
    for recommendation in due:
        window_start = recommendation.response_due - timedelta(days=REMINDER_DAYS)  # type: ignore[operator]
        if recommendation.events.filter(
            kind=RecommendationEvent.Kind.REMINDER, at__date__gte=window_start
        ).exists():
            continue
        sent = notifications.response_reminder(recommendation, today=today)
        _event(
            recommendation,
            RecommendationEvent.Kind.REMINDER,
            actor=None,
            note=ngettext("%(n)s person reminded", "%(n)s people reminded", sent) % {"n": sent},
        )
        reminded.append(recommendation)
    return reminded
