"""Every change of state of meetings, motions, recommendations, responses and commitments.
Each runs in a transaction and writes the audit log; a recommendation's steps also go into its
public history. Seats, terms, applications and organizer positions are in ``roster.py``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import notifications, rules
from accountability.models import (
    AccessRequest,
    AgendaItem,
    Attendance,
    Board,
    Commitment,
    CommitmentUpdate,
    Material,
    Meeting,
    Motion,
    Recommendation,
    RecommendationEvent,
    Response,
    Term,
    Vote,
)
from accounts.models import User
from partners.models import Campaign, Organization
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_document
from support.models import Ask

REMINDER_DAYS = 7
# The recommendation's status after a published response with each decision.
DECISION_STATUS: dict[str, str] = {
    Response.Decision.ACCEPT: Recommendation.Status.ACCEPTED,
    Response.Decision.PARTIAL: Recommendation.Status.PARTIAL,
    Response.Decision.DECLINE: Recommendation.Status.DECLINED,
    Response.Decision.UNDER_STUDY: Recommendation.Status.UNDER_STUDY,
}
MEETING_FIELDS = ["title", "starts", "ends", "location", "is_public", "interpretation", "status"]


def _require_board_admin(actor: Any) -> None:
    if not rules.is_board_admin(actor):
        raise PermissionDenied


def _require_staff(actor: Any) -> None:
    if not rules.can_answer(actor):
        raise PermissionDenied


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


# Meetings -----------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    actor: User,
    board: Board,
    title: str,
    starts: datetime,
    ends: datetime,
    location: str,
    is_public: bool = True,
    interpretation: str = "",
    agenda: Sequence[str] = (),
) -> Meeting:
    """Put a meeting on the board's calendar with its agenda items, in order."""
    _require_board_admin(actor)
    meeting = Meeting(
        board=board,
        title=title,
        starts=starts,
        ends=ends,
        location=location,
        is_public=is_public,
        interpretation=interpretation,
    )
    _check_times(meeting)
    meeting.full_clean()
    meeting.save()
    _set_agenda(meeting, agenda)
    record(
        actor=actor,
        event="meeting.scheduled",
        target=meeting,
        changes=snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


def _check_times(meeting: Meeting) -> None:
    if meeting.starts and meeting.ends and meeting.ends < meeting.starts:
        raise ValidationError(_("The meeting cannot end before it starts."))


def _set_agenda(meeting: Meeting, agenda: Sequence[str]) -> None:
    meeting.agenda.all().delete()
    items = [line.strip() for line in agenda if line.strip()]
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, title=title[:300]) for n, title in enumerate(items)
    )


@transaction.atomic
def update_meeting(
    *, actor: User, meeting: Meeting, agenda: Sequence[str] | None = None, **fields: Any
) -> Meeting:
    """Change a meeting's details (``MEETING_FIELDS``) and, when given, its agenda."""
    _require_board_admin(actor)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"update_meeting() cannot change {', '.join(sorted(unknown))}")
    before = snapshot(meeting, MEETING_FIELDS)
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check_times(meeting)
    meeting.full_clean()
    meeting.save()
    if agenda is not None:
        _set_agenda(meeting, agenda)
    record(
        actor=actor,
        event="meeting.updated",
        target=meeting,
        changes=diff(before, snapshot(meeting, MEETING_FIELDS)),
    )
    return meeting


@transaction.atomic
def add_material(
    *, actor: User, meeting: Meeting, title: str, file: UploadedFile, is_public: bool = False
) -> Material:
    """Attach a file to a meeting; only the board's admins may."""
    _require_board_admin(actor)
    check_document(file)
    material = Material(meeting=meeting, title=title, is_public=is_public, uploaded_by=actor)
    material.file.save(file.name or "material", file, save=False)
    material.save()
    record(actor=actor, event="meeting.material_added", target=meeting, changes={"material": title})
    return material


@transaction.atomic
def request_access(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    name: str,
    email: str,
    language: str = "",
    details: str = "",
) -> AccessRequest:
    """Ask for interpretation or another access need before a meeting. Anyone may, for a public
    meeting; board members and staff for any meeting they can read."""
    if not (meeting.is_public or rules.is_board_insider(actor)):
        raise PermissionDenied
    if not rules.can_request_access(meeting):
        raise ValidationError(_("Access needs must be requested before the meeting starts."))
    if kind == AccessRequest.Kind.INTERPRETATION and not language.strip():
        raise ValidationError(_("Say which language you need interpreted."))
    access = AccessRequest(
        meeting=meeting,
        kind=kind,
        language=language.strip(),
        details=details.strip(),
        name=name.strip(),
        email=email.strip(),
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    access.full_clean()
    access.save()
    # The log names the meeting and the kind of need only: the requester's details stay private.
    record(actor=actor, event="meeting.access_requested", target=meeting, changes={"kind": kind})
    notifications.access_requested(access)
    return access


@transaction.atomic
def set_access_status(*, actor: User, access: AccessRequest, status: str) -> AccessRequest:
    """Mark an access request arranged, or say it could not be arranged."""
    _require_board_admin(actor)
    if status not in AccessRequest.Status.values:
        raise ValidationError(_("Choose a status."))
    old = access.status
    access.status = status
    access.save(update_fields=["status"])
    record(
        actor=actor,
        event="meeting.access_status",
        target=access.meeting,
        changes={"status": [old, status]},
    )
    return access


@transaction.atomic
def record_attendance(
    *, actor: User, meeting: Meeting, present: Iterable[Term], today: date | None = None
) -> list[Attendance]:
    """Record who of the members seated on the meeting's day was there; the meeting is held."""
    _require_board_admin(actor)
    today = today or timezone.localdate()
    day = timezone.localdate(meeting.starts)
    if day > today:
        raise ValidationError(_("Attendance can be recorded on the day of the meeting or after."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    seated = {t.pk: t for t in meeting.board.seated_terms(day)}
    present_ids = {t.pk for t in present}
    strangers = present_ids - set(seated)
    if strangers:
        raise ValidationError(_("Only members seated on the day of the meeting can be present."))
    rows = []
    for pk, term in seated.items():
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, term=term, defaults={"present": pk in present_ids}
        )
        rows.append(row)
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    record(
        actor=actor,
        event="meeting.attendance",
        target=meeting,
        changes={"present": len(present_ids), "seated": len(seated)},
    )
    return rows


@transaction.atomic
def publish_minutes(
    *, actor: User, meeting: Meeting, minutes: str, publish: bool = True
) -> Meeting:
    """Save the minutes and, with ``publish``, make them public with the meeting."""
    _require_board_admin(actor)
    minutes = minutes.strip()
    if publish and not minutes:
        raise ValidationError(_("Write the minutes before publishing them."))
    meeting.minutes = minutes
    if publish and meeting.minutes_published is None:
        meeting.minutes_published = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_published"])
    record(actor=actor, event="meeting.minutes", target=meeting, changes={"published": publish})
    return meeting


# Motions ------------------------------------------------------------------------------------


def _tally(
    meeting: Meeting,
    present: set[int],
    votes: Mapping[Term, str] | None,
    counts: Sequence[int] | None,
) -> tuple[int, int, int]:
    secret = meeting.board.secret_ballot
    if secret and votes:
        raise ValidationError(_("The charter makes votes secret: record the counts only."))
    if not secret and counts is not None and votes is None:
        raise ValidationError(_("The charter asks for each member's vote to be recorded."))
    if votes is not None and not secret:
        if any(term.pk not in present for term in votes):
            raise ValidationError(_("Only members present can vote."))
        if any(choice not in Vote.Choice.values for choice in votes.values()):
            raise ValidationError(_("Each vote is yes, no or abstain."))
        chosen = list(votes.values())
        return chosen.count("yes"), chosen.count("no"), chosen.count("abstain")
    yes, no, abstain = (int(n) for n in (counts or (0, 0, 0)))
    if min(yes, no, abstain) < 0:
        raise ValidationError(_("Vote counts cannot be negative."))
    if yes + no + abstain > len(present):
        raise ValidationError(
            _("%(cast)s votes were counted but only %(present)s members were present.")
            % {"cast": yes + no + abstain, "present": len(present)}
        )
    return yes, no, abstain


@transaction.atomic
def record_motion(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    moved_by: Term | None = None,
    seconded_by: Term | None = None,
    informal: bool = False,
    votes: Mapping[Term, str] | None = None,
    counts: Sequence[int] | None = None,
    adopts: Recommendation | None = None,
    at: datetime | None = None,
) -> Motion:
    """Record a motion and its vote: each present member's vote, or only the counts where the
    charter makes votes secret. A vote that decides anything needs quorum; without it the
    motion can only be recorded as informal. A carried formal motion may adopt a draft
    recommendation, which is then published and sent to the department."""
    _require_board_admin(actor)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the motion."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    present = set(meeting.attendance.filter(present=True).values_list("term_id", flat=True))
    if not meeting.attendance.exists():
        raise ValidationError(_("Record who attended the meeting before recording a motion."))
    for term in (moved_by, seconded_by):
        if term is not None and term.pk not in present:
            raise ValidationError(_("The members who move and second a motion must be present."))
    present_count, needed = meeting.quorum()
    if not informal and present_count < needed:
        raise ValidationError(
            _(
                "There is no quorum: %(present)s members present, %(needed)s needed. Record the "
                "vote as informal, or not at all."
            )
            % {"present": present_count, "needed": needed}
        )
    yes, no, abstain = _tally(meeting, present, votes, counts)
    motion = Motion.objects.create(
        meeting=meeting,
        text=text,
        moved_by=moved_by,
        seconded_by=seconded_by,
        informal=informal,
        secret=meeting.board.secret_ballot,
        yes=yes,
        no=no,
        abstain=abstain,
        present=present_count,
        quorum_needed=needed,
        result=Motion.Result.CARRIED if yes > no else Motion.Result.FAILED,
        recorded_by=actor,
        recorded=at or timezone.now(),
    )
    if votes is not None and not motion.secret:
        Vote.objects.bulk_create(Vote(motion=motion, term=t, choice=c) for t, c in votes.items())
    record(
        actor=actor,
        event="meeting.motion",
        target=meeting,
        changes={
            "motion": text[:200],
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "informal": informal,
        },
    )
    if adopts is not None:
        adopt_recommendation(actor=actor, recommendation=adopts, motion=motion, at=at)
    return motion


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
    _require_board_admin(actor)
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
    _require_board_admin(actor)
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
    _require_board_admin(actor)
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
    _require_board_admin(actor)
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
    _require_staff(actor)
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
    _require_staff(actor)
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
    _require_staff(actor)
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
    _require_staff(actor)
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
            note=_("%(n)s people reminded") % {"n": sent},
        )
        reminded.append(recommendation)
    return reminded
