"""Reads of the regulatory module: lists with filters, complaint timelines by audience, and the
patterns of complaints over time. Every one starts from ``visible_to(user)``."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from data import portal
from data.charts import PALETTE, TEXT_ON, ChoroplethMap, MapShape, _breaks
from data.present import fmt_count
from partners.models import Campaign
from regulatory.models import CommentPeriod, Complaint, ComplaintEvent, RegulatoryAction
from regulatory.rules import can_handle


def visible_actions(user: Any) -> QuerySet[RegulatoryAction]:
    return RegulatoryAction.objects.visible_to(user).select_related("authority", "authority__unit")


def search_actions(user: Any, params: Mapping[str, Any]) -> QuerySet[RegulatoryAction]:
    """Actions ``user`` may see, narrowed by text, status, authority and campaign."""
    actions = visible_actions(user)
    text = str(params.get("q") or "").strip()[:200]
    if text:
        actions = actions.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(outcome__icontains=text)
        )
    if params.get("status") in RegulatoryAction.Status.values:
        actions = actions.filter(status=params["status"])
    authority = str(params.get("authority") or "")
    if authority.isdigit():
        actions = actions.filter(authority_id=int(authority))
    campaign = str(params.get("campaign") or "")
    if campaign.isdigit():
        visible = Campaign.objects.visible_to(user).filter(pk=int(campaign))
        actions = actions.filter(campaigns__in=visible).distinct()
    return actions.order_by("-updated", "-pk")


def visible_campaigns_of(user: Any, action: RegulatoryAction) -> QuerySet[Campaign]:
    """The action's campaigns that ``user`` may see."""
    return (
        Campaign.objects.visible_to(user)
        .filter(pk__in=action.campaigns.values("pk"))
        .select_related("organization")
    )


def search_complaints(user: Any, params: Mapping[str, Any]) -> QuerySet[Complaint]:
    """Complaints ``user`` may see (their organization's, or all for staff), with filters.

    The text search never looks at the complainant's name or contact."""
    complaints = Complaint.objects.visible_to(user).select_related(
        "organization", "campaign", "assigned_inspector"
    )
    text = str(params.get("q") or "").strip()[:200]
    if text:
        complaints = complaints.filter(
            Q(issue__icontains=text)
            | Q(address__icontains=text)
            | Q(place_name__icontains=text)
            | Q(building_owner__icontains=text)
            | Q(neighborhood__icontains=text)
        )
    status = params.get("status")
    if status == "open":
        complaints = complaints.filter(status__in=Complaint.OPEN_STATUSES)
    elif status in Complaint.Status.values:
        complaints = complaints.filter(status=status)
    if params.get("category") in Complaint.Category.values:
        complaints = complaints.filter(category=params["category"])
    if params.get("mine") == "1" and getattr(user, "is_authenticated", False):
        complaints = complaints.filter(assigned_inspector=user)
    campaign = str(params.get("campaign") or "")
    if campaign.isdigit():
        complaints = complaints.filter(
            campaign__in=Campaign.objects.visible_to(user).filter(pk=int(campaign))
        )
    return complaints.order_by("-created", "-pk")


def timeline(user: Any, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The complaint's timeline; internal staff notes only for staff."""
    events = complaint.events.select_related("actor")
    if not can_handle(user, complaint):
        events = events.filter(internal=False)
    return events.order_by("at", "pk")


# Patterns -------------------------------------------------------------------------------------


@dataclass
class Pattern:
    """Counts of complaints by a grouping (owner or neighborhood) and month."""

    months: list[date]
    rows: list[tuple[str, list[int], int]]


def _month(moment: Any) -> date:
    day = timezone.localtime(moment).date() if hasattr(moment, "tzinfo") else moment
    return date(day.year, day.month, 1)


def last_months(today: date, n: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _ in range(n):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def patterns(
    complaints: QuerySet[Complaint], field: str, months: list[date], limit: int = 25
) -> Pattern:
    """Complaints per ``field`` value per month, busiest first; blank values are grouped."""
    counts: dict[str, Counter[date]] = defaultdict(Counter)
    for value, created in complaints.filter(created__date__gte=months[0]).values_list(
        field, "created"
    ):
        key = (value or "").strip()
        counts[key][_month(created)] += 1
    rows = []
    for key, by_month in counts.items():
        series = [by_month.get(m, 0) for m in months]
        rows.append((key, series, sum(series)))
    rows.sort(key=lambda row: (-row[2], row[0]))
    return Pattern(months=months, rows=rows[:limit])


def monthly_chart(complaints: QuerySet[Complaint], months: list[date]) -> dict[str, Any]:
    """Bars of complaints per month for a small server-rendered SVG chart."""
    counts = Counter(
        _month(c)
        for c in complaints.filter(created__date__gte=months[0]).values_list("created", flat=True)
    )
    values = [counts.get(m, 0) for m in months]
    top = max(values + [1])
    height, bar, gap = 160, 28, 8
    bars = []
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        h = round(height * value / top, 1)
        bars.append(
            {
                "month": month,
                "value": value,
                "x": 30 + i * (bar + gap),
                "y": 20 + height - h,
                "h": h,
                "w": bar,
            }
        )
    return {
        "bars": bars,
        "width": 40 + len(months) * (bar + gap),
        "height": height + 60,
        "base": 20 + height,
    }


@dataclass
class NeighborhoodMap:
    """Complaints per neighborhood over the months shown, drawn on the data portal's shapes.

    ``map`` is None when no neighborhood shapes are loaded. ``rows`` (name, count) is the text
    alternative, one per shape; ``unmatched`` are neighborhood names on complaints that match no
    shape (compared without regard to case or surrounding spaces)."""

    map: ChoroplethMap | None
    rows: list[tuple[str, int]]
    unmatched: list[tuple[str, int]]


def neighborhood_map(complaints: QuerySet[Complaint], months: list[date]) -> NeighborhoodMap:
    """A choropleth of complaints by neighborhood, grouped as the patterns table groups them."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    for value in complaints.filter(created__date__gte=months[0]).values_list(
        "neighborhood", flat=True
    ):
        name = (value or "").strip()
        if name:
            counts[name.casefold()] += 1
            names.setdefault(name.casefold(), name)
    shapes = portal.shapes("neighborhood")
    if not shapes:
        return NeighborhoodMap(None, [], [])
    matched = {s.name.strip().casefold() for s in shapes}
    unmatched = sorted(
        ((names[k], n) for k, n in counts.items() if k not in matched), key=lambda r: (-r[1], r[0])
    )
    values = sorted({counts.get(s.name.strip().casefold(), 0) for s in shapes} - {0})
    # Counts are whole numbers: class limits are too.
    breaks = [int(b) for b in _breaks([float(v) for v in values])]
    drawn, rows = [], []
    for s in shapes:
        n = counts.get(s.name.strip().casefold(), 0)
        rows.append((s.name, n))
        if n:
            k = sum(1 for b in breaks if n > b)
            fill, text_fill = PALETTE[k], TEXT_ON[k]
        else:
            fill, text_fill = "#ffffff", "#1b1b1b"
        drawn.append(
            MapShape(s.code, s.name, s.path, s.cx, s.cy, fill, text_fill, fmt_count(n), False)
        )
    legend = [("#ffffff", fmt_count(0))]
    lower = values[0] if values else 0
    for k, upper in enumerate([*breaks, values[-1]] if values else []):
        label = fmt_count(lower) if lower == upper else f"{fmt_count(lower)}–{fmt_count(upper)}"
        legend.append((PALETTE[k], label))
        lower = upper + 1
    rows.sort(key=lambda r: (-r[1], r[0]))
    chart = ChoroplethMap(drawn, legend, show_labels=len(shapes) <= 24)
    return NeighborhoodMap(chart, rows, unmatched)


def upcoming_periods(user: Any) -> QuerySet[CommentPeriod]:
    """Comment periods still open or yet to open, soonest closing first."""
    return (
        CommentPeriod.objects.visible_to(user)
        .filter(closes__gte=timezone.localdate())
        .order_by("closes", "pk")
    )
