"""Reads of the board's work: the public tracker and its summary, the meetings calendar and its
iCalendar feed, and the stipend lists (monthly payments, yearly totals)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accountability.models import (
    Attendance,
    Board,
    Commitment,
    Meeting,
    MemberProfile,
    Recommendation,
    Response,
    StipendPayment,
)
from accounts.models import User
from powershare import calendars
from powershare.site import absolute

OPEN_STATUSES = [Recommendation.Status.AWAITING, Recommendation.Status.UNDER_STUDY]
ACCEPTED_STATUSES = [
    Recommendation.Status.ACCEPTED,
    Recommendation.Status.PARTIAL,
    Recommendation.Status.IMPLEMENTED,
]
PUBLIC_STATUSES = [s for s in Recommendation.Status.values if s != Recommendation.Status.DRAFT]


def the_board() -> Board | None:
    """The department's advisory board (the first, where a department keeps several)."""
    return Board.objects.order_by("pk").first()


# The tracker -------------------------------------------------------------------------------


def tracker(params: Mapping[str, Any]) -> QuerySet[Recommendation]:
    """Published recommendations, newest first, narrowed by status ("open" for awaiting or under
    study), unit, year adopted, timing ("on_time", "late", "pending") and text. Unknown values
    are ignored."""
    published_responses = Response.objects.filter(published__isnull=False).order_by(
        "-published", "-pk"
    )
    recommendations = (
        Recommendation.objects.published()
        .select_related("addressed_to", "board")
        .prefetch_related(
            Prefetch("responses", queryset=published_responses, to_attr="published_responses"),
            Prefetch("commitments", queryset=Commitment.objects.select_related("owner")),
        )
    )
    status = params.get("status")
    if status == "open":
        recommendations = recommendations.filter(status__in=OPEN_STATUSES)
    elif status in PUBLIC_STATUSES:
        recommendations = recommendations.filter(status=status)
    unit = str(params.get("unit") or "")
    if unit.isdigit():
        recommendations = recommendations.filter(addressed_to_id=int(unit))
    year = str(params.get("year") or "")
    if year.isdigit():
        recommendations = recommendations.filter(adopted_on__year=int(year))
    text = str(params.get("q") or "").strip()[:200]
    if text:
        recommendations = recommendations.filter(
            Q(title__icontains=text) | Q(text__icontains=text) | Q(number__icontains=text)
        )
    timing = params.get("timing")
    today = timezone.localdate()
    if timing == "pending":
        recommendations = recommendations.filter(
            first_response__isnull=True, response_due__gte=today
        )
    elif timing in ("on_time", "late"):
        keep = [r.pk for r in recommendations if timing_of(r, today) == timing]
        recommendations = recommendations.filter(pk__in=keep)
    return recommendations.order_by("-adopted_on", "-pk")


def timing_of(recommendation: Recommendation, today: date | None = None) -> str:
    """ "on_time" or "late" once the answer came or its deadline passed; "pending" before;
    "withdrawn" for one withdrawn before anyone answered (it counts neither way)."""
    today = today or timezone.localdate()
    due = recommendation.response_due
    if due is None:
        return "pending"
    if recommendation.first_response is not None:
        return "on_time" if timezone.localdate(recommendation.first_response) <= due else "late"
    if recommendation.status == Recommendation.Status.WITHDRAWN:
        return "withdrawn"
    return "late" if today > due else "pending"


@dataclass
class Summary:
    total: int = 0
    due: int = 0  # answered, or unanswered past the deadline (withdrawn unanswered ones aside)
    on_time: int = 0
    answered_late: int = 0
    overdue: int = 0  # unanswered and past the deadline
    answered: int = 0
    accepted: int = 0  # accepted, accepted in part, or implemented
    implemented: int = 0
    declined: int = 0
    under_study: int = 0
    awaiting: int = 0
    withdrawn: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


def summary(recommendations: Iterable[Recommendation], today: date | None = None) -> Summary:
    """At a glance: how many were answered on time (of those due), accepted, implemented."""
    today = today or timezone.localdate()
    result = Summary()
    counts: defaultdict[str, int] = defaultdict(int)
    for rec in recommendations:
        result.total += 1
        counts[rec.status] += 1
        timing = timing_of(rec, today)
        if timing in ("on_time", "late"):
            result.due += 1
        if rec.first_response is not None:
            result.answered += 1
            if timing == "on_time":
                result.on_time += 1
            else:
                result.answered_late += 1
        elif timing == "late":
            result.overdue += 1
    result.accepted = sum(counts[s] for s in ACCEPTED_STATUSES)
    result.implemented = counts[Recommendation.Status.IMPLEMENTED]
    result.declined = counts[Recommendation.Status.DECLINED]
    result.under_study = counts[Recommendation.Status.UNDER_STUDY]
    result.awaiting = counts[Recommendation.Status.AWAITING]
    result.withdrawn = counts[Recommendation.Status.WITHDRAWN]
    result.by_status = dict(counts)
    return result


def tracker_filters() -> dict[str, Any]:
    """What the tracker's filters offer: the units and years that have recommendations."""
    published = Recommendation.objects.published()
    from partners.models import Organization

    return {
        "units": Organization.objects.filter(pk__in=published.values("addressed_to"))
        .order_by("name")
        .values_list("pk", "name"),
        "years": sorted(
            {d.year for d in published.values_list("adopted_on", flat=True) if d}, reverse=True
        ),
    }


def public_history(recommendation: Recommendation) -> QuerySet[Any]:
    """The recommendation's history as the public reads it (reminders are internal)."""
    return recommendation.events.exclude(kind="reminder").order_by("at", "pk")


# Meetings ----------------------------------------------------------------------------------


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(user).select_related("board").prefetch_related("agenda")


def calendar(user: Any) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first) and the past year's (latest first) that ``user`` may see."""
    now = timezone.now()
    meetings = meetings_for(user)
    upcoming = list(meetings.filter(ends__gte=now).order_by("starts"))
    past = list(
        meetings.filter(ends__lt=now, starts__gte=now - timedelta(days=366)).order_by("-starts")
    )
    return upcoming, past


def icalendar_feed(meetings: Iterable[Meeting]) -> bytes:
    """The meetings as an iCalendar file that calendar programs subscribe to: UIDs on the
    site's domain, SEQUENCE and LAST-MODIFIED from each meeting's revisions."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Powershare//Advisory board meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Community advisory board")
    for meeting in meetings:
        event = Event()
        event.add("uid", calendars.uid("meeting", meeting.pk))
        event.add("sequence", meeting.sequence)
        event.add("summary", meeting.title)
        event.add("dtstart", meeting.starts)
        event.add("dtend", meeting.ends)
        event.add("dtstamp", meeting.updated)
        event.add("last-modified", meeting.updated)
        event.add("location", meeting.location)
        event.add("url", absolute(meeting.get_absolute_url()))
        agenda = [item.title for item in meeting.agenda.all()]
        if agenda:
            event.add("description", "\n".join(f"- {title}" for title in agenda))
        event.add(
            "status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
        )
        cal.add_component(event)
    return cal.to_ical()


# Stipends -----------------------------------------------------------------------------------


@dataclass
class StipendLine:
    """What one member is owed for one month's meetings, and what was paid for it."""

    member: User
    profile: MemberProfile | None
    meetings: list[Meeting]
    days: int
    amount: Decimal
    paid: bool  # whether the member takes a stipend at all (eligible, not declined)
    payments: list[StipendPayment] = field(default_factory=list)

    @property
    def amount_paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), start=Decimal("0.00"))

    @property
    def outstanding(self) -> Decimal:
        """Still owed: the amount less what was paid (never below zero)."""
        return max(Decimal("0.00"), self.amount - self.amount_paid)

    @property
    def payment_status(self) -> str:
        """``paid``, ``part`` (paid in part), ``owed``, or ``none`` when nothing is owed."""
        if self.amount_paid and self.outstanding == 0:
            return "paid"
        if self.amount_paid:
            return "part"
        return "owed" if self.amount > 0 else "none"


def _attended(
    board: Board, start: date, end: date, member: User | None = None
) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(
        present=True,
        meeting__board=board,
        meeting__starts__date__gte=start,
        meeting__starts__date__lte=end,
    ).exclude(meeting__status=Meeting.Status.CANCELLED)
    if member is not None:
        rows = rows.filter(term__member=member)
    return rows.select_related("meeting", "term__member__board_profile").order_by("meeting__starts")


def _lines(board: Board, rows: Iterable[Attendance]) -> list[StipendLine]:
    by_member: dict[int, list[Meeting]] = defaultdict(list)
    members: dict[int, User] = {}
    for row in rows:
        member = row.term.member
        members[member.pk] = member
        by_member[member.pk].append(row.meeting)
    lines = []
    for pk, meetings in by_member.items():
        member = members[pk]
        profile = getattr(member, "board_profile", None)
        paid = profile is None or profile.is_paid
        per_day: defaultdict[date, int] = defaultdict(int)
        for meeting in meetings:
            per_day[timezone.localdate(meeting.starts)] += 1
        amount = Decimal("0.00")
        if paid:
            for count in per_day.values():
                owed = board.stipend_rate * (
                    count if board.stipend_unit == Board.StipendUnit.MEETING else 1
                )
                amount += min(owed, board.daily_cap)
        lines.append(
            StipendLine(
                member=member,
                profile=profile,
                meetings=meetings,
                days=len(per_day),
                amount=amount,
                paid=paid,
            )
        )
    return _sorted(lines)


def _sorted(lines: list[StipendLine]) -> list[StipendLine]:
    return sorted(lines, key=lambda line: (line.member.name or line.member.email).lower())


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def _with_payments(
    board: Board, lines: list[StipendLine], month: date, member: User | None = None
) -> list[StipendLine]:
    """Attach the month's recorded payments to its lines; a payment for a member without a
    line (their attendance was corrected after) gets a line of its own, so none is hidden."""
    payments = StipendPayment.objects.filter(board=board, month=month).select_related(
        "member__board_profile", "recorded_by"
    )
    if member is not None:
        payments = payments.filter(member=member)
    by_member = {line.member.pk: line for line in lines}
    for payment in payments:
        line = by_member.get(payment.member_id)
        if line is None:
            profile = getattr(payment.member, "board_profile", None)
            line = StipendLine(
                member=payment.member,
                profile=profile,
                meetings=[],
                days=0,
                amount=Decimal("0.00"),
                paid=profile is None or profile.is_paid,
            )
            by_member[payment.member_id] = line
            lines.append(line)
        line.payments.append(payment)
    return _sorted(lines)


def monthly_payments(board: Board, year: int, month: int) -> list[StipendLine]:
    """The month's payment list for finance: each member's meetings attended, the amount owed
    and the payments recorded against it."""
    start, end = _month_bounds(year, month)
    return _with_payments(board, _lines(board, _attended(board, start, end)), start)


def member_month(board: Board, member: User, month: date) -> StipendLine | None:
    """One member's line for the month that ``month`` falls in, or ``None``."""
    start, end = _month_bounds(month.year, month.month)
    lines = _with_payments(
        board, _lines(board, _attended(board, start, end, member)), start, member
    )
    return lines[0] if lines else None


@dataclass
class YearTotal:
    """A member's stipend for a year, as the tax threshold counts it: what was paid in the
    year (whatever month it was for), plus what is still owed for the year's months."""

    member: User
    profile: MemberProfile | None
    total: Decimal
    meetings: int
    over_threshold: bool
    paid: Decimal = Decimal("0.00")
    outstanding: Decimal = Decimal("0.00")

    @property
    def needs_tax_form(self) -> bool:
        return self.over_threshold and not (self.profile and self.profile.tax_form_on_file)


def yearly_totals(board: Board, year: int, member: User | None = None) -> list[YearTotal]:
    """Each member's total for the year (or only ``member``'s), flagged once it reaches the
    tax threshold. Recorded payments count in the year they were paid; months not (fully)
    paid count what is still owed."""
    totals: dict[int, YearTotal] = {}

    def entry(person: User, profile: MemberProfile | None) -> YearTotal:
        return totals.setdefault(person.pk, YearTotal(person, profile, Decimal("0.00"), 0, False))

    for month in range(1, 13):
        if member is None:
            lines = monthly_payments(board, year, month)
        else:
            found = member_month(board, member, date(year, month, 1))
            lines = [found] if found else []
        for line in lines:
            item = entry(line.member, line.profile)
            item.outstanding += line.outstanding
            item.meetings += len(line.meetings)
    paid_in_year = StipendPayment.objects.filter(board=board, paid_on__year=year).select_related(
        "member__board_profile"
    )
    if member is not None:
        paid_in_year = paid_in_year.filter(member=member)
    for payment in paid_in_year:
        item = entry(payment.member, getattr(payment.member, "board_profile", None))
        item.paid += payment.amount
    for item in totals.values():
        item.total = item.paid + item.outstanding
        item.over_threshold = item.total >= board.tax_threshold
    return sorted(totals.values(), key=lambda t: (-t.total, str(t.member)))


def member_stipend(board: Board, member: User, year: int) -> list[tuple[date, StipendLine]]:
    """One member's own record: each month of ``year`` with meetings attended or a payment."""
    months = []
    for month in range(1, 13):
        line = member_month(board, member, date(year, month, 1))
        if line is not None:
            months.append((date(year, month, 1), line))
    return months
