"""Every change of state of the board's proceedings: scheduling meetings and their agendas,
materials, access needs requested in advance, attendance, minutes, and motions with their
votes. Like ``actions.py``: each in a transaction, each written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accountability import notifications, rules
from accountability.actions import adopt_recommendation
from accountability.models import (
    AccessRequest,
    AgendaItem,
    Attendance,
    Board,
    Material,
    Meeting,
    Motion,
    Recommendation,
    Term,
    Vote,
)
from accountability.rules import require_board_admin
from accounts.models import User
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_document

MEETING_FIELDS = ["title", "starts", "ends", "location", "is_public", "interpretation", "status"]


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
    require_board_admin(actor)
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
    require_board_admin(actor)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"update_meeting() cannot change {', '.join(sorted(unknown))}")
    before = snapshot(meeting, MEETING_FIELDS)
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check_times(meeting)
    meeting.full_clean()
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    old_agenda = [item.title for item in meeting.agenda.all()]
    agenda_changed = agenda is not None and old_agenda != [
        a.strip()[:300] for a in agenda if a.strip()
    ]
    if changes or agenda_changed:
        meeting.sequence += 1  # calendars replace their copy only when SEQUENCE goes up
    meeting.save()
    if agenda is not None:
        _set_agenda(meeting, agenda)
    record(actor=actor, event="meeting.updated", target=meeting, changes=changes)
    return meeting


@transaction.atomic
def add_material(
    *, actor: User, meeting: Meeting, title: str, file: UploadedFile, is_public: bool = False
) -> Material:
    """Attach a file to a meeting; only the board's admins may."""
    require_board_admin(actor)
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
    require_board_admin(actor)
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
    require_board_admin(actor)
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
    require_board_admin(actor)
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
            ngettext(
                "%(cast)s votes were counted but only %(present)s member was present.",
                "%(cast)s votes were counted but only %(present)s members were present.",
                len(present),
            )
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
    motion can only be recorded as informal. A formal motion may put a draft recommendation to
    the vote: if it carries, the recommendation is published and sent to the department; if it
    fails, the draft stays a draft."""
    require_board_admin(actor)
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the motion."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if adopts is not None and informal:
        raise ValidationError(_("Only a carried, formal motion adopts a recommendation."))
    present = set(meeting.attendance.filter(present=True).values_list("term_id", flat=True))
    if not meeting.attendance.exists():
        raise ValidationError(_("Record who attended the meeting before recording a motion."))
    for term in (moved_by, seconded_by):
        if term is not None and term.pk not in present:
            raise ValidationError(_("The members who move and second a motion must be present."))
    present_count, needed = meeting.quorum()
    if not informal and present_count < needed:
        raise ValidationError(
            ngettext(
                "There is no quorum: %(present)s member present, %(needed)s needed. Record the "
                "vote as informal, or not at all.",
                "There is no quorum: %(present)s members present, %(needed)s needed. Record the "
                "vote as informal, or not at all.",
                present_count,
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
    if adopts is not None and motion.result == Motion.Result.CARRIED:
        adopt_recommendation(actor=actor, recommendation=adopts, motion=motion, at=at)
    return motion
