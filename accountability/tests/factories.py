"""A small advisory board for the tests: five seats, the cast's board member and three other
members seated, a meeting held yesterday with everyone present, and meetings to come."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accountability import actions, proceedings, roster
from accountability.models import Board, Meeting, Recommendation, Seat, Term
from accounts.models import User
from powershare.testing import Cast, make_user, pdf_bytes

PDF = pdf_bytes()


def pdf(name: str = "packet.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def moment(day: date, hour: int = 18) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass
class BoardSet:
    board: Board
    seats: list[Seat]
    terms: list[Term]  # the cast's board member's term first
    members: list[User]
    held: Meeting  # yesterday, everyone present
    upcoming: Meeting  # in a week, public
    closed: Meeting  # in two weeks, closed to the public
    extra: dict[str, Any] = field(default_factory=dict)


def make_board(cast: Cast, *, secret: bool = False, **board_fields: Any) -> BoardSet:
    board = Board.objects.create(
        name="Riverbend Community Health Advisory Board",
        purpose="Residents advise the department and hold it to account.",
        secret_ballot=secret,
        **board_fields,
    )
    seats = [
        Seat.objects.create(board=board, name=f"Seat {n}", kind="resident", is_chair=False)
        for n in range(1, 6)
    ]
    start = timezone.localdate() - timedelta(days=200)
    members = [cast.board_member] + [
        make_user(f"member{n}@example.net", name=f"Member {n}") for n in range(2, 5)
    ]
    terms = [
        roster.seat_member(actor=cast.admin, seat=seat, member=member, start=start)
        for seat, member in zip(seats, members, strict=False)
    ]
    today = timezone.localdate()
    held = proceedings.schedule_meeting(
        actor=cast.admin,
        board=board,
        title="September meeting",
        starts=moment(today - timedelta(days=1)),
        ends=moment(today - timedelta(days=1), 20),
        location="Eastside Community Center",
        agenda=["Welcome", "Public comment"],
    )
    proceedings.record_attendance(actor=cast.admin, meeting=held, present=terms)
    upcoming = proceedings.schedule_meeting(
        actor=cast.admin,
        board=board,
        title="October meeting",
        starts=moment(today + timedelta(days=7)),
        ends=moment(today + timedelta(days=7), 20),
        location="Eastside Community Center",
        agenda=["Heat and cooling centers"],
    )
    closed = proceedings.schedule_meeting(
        actor=cast.admin,
        board=board,
        title="Closed session: member stipends",
        starts=moment(today + timedelta(days=14)),
        ends=moment(today + timedelta(days=14), 19),
        location="Room 4",
        is_public=False,
    )
    return BoardSet(board, seats, terms, members, held, upcoming, closed)


def adopt(
    cast: Cast, bs: BoardSet, title: str = "Cooling centers open late", **fields: Any
) -> Recommendation:
    """Draft a recommendation and adopt it by a unanimous motion at the meeting held yesterday."""
    draft = actions.draft_recommendation(
        actor=cast.admin,
        board=bs.board,
        title=title,
        text=fields.pop("text", "Keep cooling centers open until 10 p.m. on heat-advisory days."),
        rationale=fields.pop("rationale", "Apartments stay hottest in the evening."),
        addressed_to=fields.pop("addressed_to", cast.unit),
        **fields,
    )
    proceedings.record_motion(
        actor=cast.admin,
        meeting=bs.held,
        text=f"To adopt “{title}”.",
        votes={t: "yes" for t in bs.terms} if not bs.board.secret_ballot else None,
        counts=(len(bs.terms), 0, 0) if bs.board.secret_ballot else None,
        adopts=draft,
    )
    draft.refresh_from_db()
    return draft
