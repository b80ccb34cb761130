"""Reads of the support ledger: search, filters, exports and the dashboard figures. Every one
starts from ``Ask.objects.visible_to(user)``."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from partners.models import Campaign, Organization
from support.models import Ask, AskEvent, AskQuerySet

SORTS: dict[str, list[Any]] = {
    "newest": ["-created", "-pk"],
    "needed_by": [F("needed_by").asc(nulls_last=True), "-created", "-pk"],
    "updated": ["-updated", "-pk"],
}
STATUS_GROUPS = {"open": Ask.OPEN_STATUSES}
TRUE_VALUES = {True, "1", "on", "true", "yes"}


def visible_asks(user: Any) -> AskQuerySet:
    """Asks ``user`` may read, with what every list shows, and whether they may see the campaign."""
    campaigns = Campaign.objects.visible_to(user).filter(pk=OuterRef("campaign_id"))
    asks = Ask.objects.visible_to(user).select_related("organization", "campaign", "owner")
    return asks.annotate(campaign_visible=Exists(campaigns))


def can_see_campaign(user: Any, ask: Ask) -> bool:
    """May ``user`` see the campaign an ask is for? (An ask can be seen where its campaign can't.)"""
    if ask.campaign_id is None:
        return False
    return Campaign.objects.visible_to(user).filter(pk=ask.campaign_id).exists()


def is_insider(user: Any, ask: Ask) -> bool:
    """Staff and the asking organization see names of people; others see only who they act for."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_department) or ask.organization_id in user.organization_ids


def search_asks(user: Any, params: Mapping[str, Any]) -> AskQuerySet:
    """Asks ``user`` may see, narrowed by text, kind, status, owner ("mine", "unassigned" or an
    id), organization, campaign and the overdue flag. Unknown values are ignored."""
    asks = visible_asks(user)
    text = str(params.get("q") or "").strip()[:200]
    if text:
        asks = asks.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(organization__name__icontains=text)
            | Q(delivered_summary__icontains=text)
        )
    kind = params.get("kind")
    if kind in Ask.Kind.values:
        asks = asks.filter(kind=kind)
    status = params.get("status")
    if status in STATUS_GROUPS:
        asks = asks.filter(status__in=STATUS_GROUPS[status])
    elif status == "closed":
        asks = asks.exclude(status__in=Ask.OPEN_STATUSES)
    elif status in Ask.Status.values:
        asks = asks.filter(status=status)
    owner = str(params.get("owner") or "")
    if owner == "mine":
        asks = asks.filter(owner_id=getattr(user, "pk", None))
    elif owner == "unassigned":
        asks = asks.filter(owner__isnull=True)
    elif owner.isdigit():
        asks = asks.filter(owner_id=int(owner))
    organization = str(params.get("organization") or "")
    if organization.isdigit():
        asks = asks.filter(organization_id=int(organization))
    campaign = str(params.get("campaign") or "")
    if campaign.isdigit():
        # Only a campaign the user may see narrows the list; asking about another one tells nothing.
        visible = Campaign.objects.visible_to(user).filter(pk=int(campaign))
        asks = asks.filter(campaign__in=visible)
    if params.get("overdue") in TRUE_VALUES:
        asks = asks.overdue()
    return asks.order_by(*SORTS.get(str(params.get("sort") or ""), SORTS["newest"]))


def exportable_asks(user: Any, params: Mapping[str, Any]) -> AskQuerySet:
    """Asks for a CSV export: as the list, without high-risk organizations' asks for outsiders."""
    own = getattr(user, "organization_ids", None) or []
    return search_asks(user, params).filter(
        Q(organization__high_risk=False) | Q(organization__in=own)
    )


def filter_choices(user: Any) -> dict[str, Any]:
    """What the list's filters offer: only organizations, campaigns and owners of visible asks."""
    asks = Ask.objects.visible_to(user)
    # Owners are named only to insiders: staff, and partners for their own organizations' asks.
    if not getattr(user, "is_authenticated", False):
        insiders = asks.none()
    elif user.is_department:
        insiders = asks
    else:
        insiders = asks.filter(organization__in=user.organization_ids)
    return {
        "organizations": Organization.objects.filter(pk__in=asks.values("organization_id"))
        .order_by("name")
        .values_list("pk", "name"),
        "campaigns": Campaign.objects.visible_to(user)
        .filter(pk__in=asks.values("campaign_id"))
        .order_by("title")
        .values_list("pk", "title"),
        "owners": User.objects.filter(pk__in=insiders.values("owner_id")).order_by("name", "email"),
    }


def staff_owners() -> QuerySet[User]:
    """The people an ask may be assigned to: active department staff."""
    return User.objects.filter(is_active=True).exclude(department_role="").order_by("name", "email")


def timeline(ask: Ask) -> QuerySet[AskEvent]:
    """Every entry of the ask's timeline, oldest first."""
    return ask.events.select_related("actor", "assignee").order_by("at", "pk")


# Dashboard ---------------------------------------------------------------------------------


@dataclass
class KindFigures:
    kind: str
    label: str
    open: int = 0
    acknowledged: int = 0
    median_days_to_acknowledge: float | None = None
    delivered: int = 0
    median_days_to_deliver: float | None = None


@dataclass
class Dashboard:
    scope: str  # "department" or "organization"
    open_total: int
    overdue_total: int
    overdue: list[Ask]
    by_kind: list[KindFigures]
    by_owner: list[tuple[str, int, int | None]]  # owner's name, open asks, owner id
    overall: KindFigures
    since: datetime
    organizations: list[Organization] = field(default_factory=list)


def dashboard_asks(user: Any) -> AskQuerySet:
    """The asks a dashboard counts: what staff may see; a partner's own organizations' asks."""
    asks = Ask.objects.visible_to(user)
    if getattr(user, "is_authenticated", False) and not user.is_department:
        asks = asks.filter(organization__in=user.organization_ids)
    return asks


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def dashboard(user: Any, *, now: datetime | None = None, today: date | None = None) -> Dashboard:
    """Open asks by kind and owner, overdue asks, and the median days from filing to
    acknowledgement and to delivery per kind, for asks acknowledged or delivered in the last
    12 months; staff see the department's figures, partners their own organizations'."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    since = now - timedelta(days=365)
    asks = dashboard_asks(user)
    open_asks = asks.open()

    open_by_kind = Counter(open_asks.values_list("kind", flat=True))
    to_ack: defaultdict[str, list[float]] = defaultdict(list)
    for kind, created, acked in asks.filter(acknowledged_at__gte=since).values_list(
        "kind", "created", "acknowledged_at"
    ):
        if acked:
            to_ack[kind].append(_days(created, acked))
    to_deliver: defaultdict[str, list[float]] = defaultdict(list)
    for kind, created, closed in asks.filter(
        status=Ask.Status.DELIVERED, closed_at__gte=since
    ).values_list("kind", "created", "closed_at"):
        if closed:
            to_deliver[kind].append(_days(created, closed))

    by_kind = [
        KindFigures(
            kind=kind,
            label=str(label),
            open=open_by_kind.get(kind, 0),
            acknowledged=len(to_ack[kind]),
            median_days_to_acknowledge=_median(to_ack[kind]),
            delivered=len(to_deliver[kind]),
            median_days_to_deliver=_median(to_deliver[kind]),
        )
        for kind, label in Ask.Kind.choices
    ]
    all_ack = [d for values in to_ack.values() for d in values]
    all_delivered = [d for values in to_deliver.values() for d in values]
    overall = KindFigures(
        kind="",
        label=str(_("All kinds")),
        open=sum(open_by_kind.values()),
        acknowledged=len(all_ack),
        median_days_to_acknowledge=_median(all_ack),
        delivered=len(all_delivered),
        median_days_to_deliver=_median(all_delivered),
    )

    owners = Counter(open_asks.values_list("owner_id", flat=True))
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in owners if k])}
    by_owner = sorted(
        ((names.get(pk, "") if pk else str(_("Unassigned")), n, pk) for pk, n in owners.items()),
        key=lambda row: (row[2] is None, -row[1], row[0]),
    )

    overdue = open_asks.overdue(today).select_related("organization", "owner")
    overdue = overdue.order_by("needed_by", "pk")
    organizations: list[Organization] = []
    if getattr(user, "is_authenticated", False) and not user.is_department:
        organizations = list(Organization.objects.filter(pk__in=user.organization_ids))
    return Dashboard(
        scope="organization" if organizations else "department",
        open_total=overall.open,
        overdue_total=overdue.count(),
        overdue=list(overdue[:25]),
        by_kind=by_kind,
        by_owner=by_owner,
        overall=overall,
        since=since,
        organizations=organizations,
    )
