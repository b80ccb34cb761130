"""Reads for grants: lists with filters, the ranking, the panel's numbers, the public awards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from grants import scoring
from grants.models import (
    Application,
    Assignment,
    Award,
    ConflictDeclaration,
    Cycle,
    Decision,
    PanelMember,
    Program,
    Report,
    ReportReminder,
    Review,
)
from partners.models import Organization

REPORT_REMINDER_DAYS = 7


def cycles_for(user: Any) -> QuerySet[Cycle]:
    """Cycles ``user`` may see, newest deadline first."""
    return Cycle.objects.visible_to(user).select_related("program")  # type: ignore[attr-defined, no-any-return]


def programs() -> QuerySet[Program]:
    return Program.objects.annotate(cycle_count=Count("cycles"))


def applications_for(user: Any) -> QuerySet[Application]:
    """Applications ``user`` may read (visibility, assignments and conflicts applied)."""
    return Application.objects.visible_to(user).select_related("cycle", "organization")  # type: ignore[attr-defined, no-any-return]


def cycle_applications(user: Any, cycle: Cycle, filters: dict[str, Any]) -> QuerySet[Application]:
    """A cycle's applications as ``user`` may read them, searched and filtered."""
    qs = applications_for(user).filter(cycle=cycle).exclude(status=Application.Status.DRAFT)
    if filters.get("q"):
        qs = qs.filter(
            Q(project_title__icontains=filters["q"]) | Q(organization__name__icontains=filters["q"])
        )
    if filters.get("eligibility"):
        qs = qs.filter(eligibility=filters["eligibility"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs.annotate(
        reviews_done=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
        reviewers=Count("assignments", distinct=True),
    ).order_by("organization__name")


def my_drafts_and_applications(user: Any) -> QuerySet[Application]:
    """The applications of the organizations ``user`` belongs to."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(organization__in=user.organization_ids)
        .select_related("cycle", "organization")
        .order_by("-created")
    )


def reviewer_queue(user: Any, cycle: Cycle) -> list[dict[str, Any]]:
    """For a panelist: each submitted application with their declaration, assignment, review."""
    apps = (
        cycle.applications.filter(status=Application.Status.SUBMITTED)
        .exclude(eligibility=Application.Eligibility.INELIGIBLE)
        .select_related("organization")
        .order_by("organization__name")
    )
    declarations = {
        d.application_id: d
        for d in ConflictDeclaration.objects.filter(application__cycle=cycle, reviewer=user)
    }
    assigned = set(
        Assignment.objects.filter(application__cycle=cycle, reviewer=user).values_list(
            "application_id", flat=True
        )
    )
    reviews = {
        r.application_id: r for r in Review.objects.filter(application__cycle=cycle, reviewer=user)
    }
    return [
        {
            "application": a,
            "declaration": declarations.get(a.pk),
            "assigned": a.pk in assigned,
            "review": reviews.get(a.pk),
        }
        for a in apps
    ]


def criteria_map(cycle: Cycle) -> dict[int, scoring.Criterion]:
    return {
        c.pk: scoring.Criterion(weight=float(c.weight), low=c.scale_min, high=c.scale_max)
        for c in cycle.criteria.all()
    }


def weighted_scores(cycle: Cycle) -> dict[tuple[int, int], float]:
    """(reviewer, application) → the submitted review's weighted score, 0-100. Reviews by
    reviewers who later declared a conflict, and of ineligible or withdrawn applications, are
    left out."""
    criteria = criteria_map(cycle)
    conflicted = set(
        ConflictDeclaration.objects.filter(application__cycle=cycle, has_conflict=True).values_list(
            "reviewer_id", "application_id"
        )
    )
    result = {}
    reviews = (
        Review.objects.filter(
            application__cycle=cycle,
            application__status=Application.Status.SUBMITTED,
            submitted_at__isnull=False,
        )
        .exclude(application__eligibility=Application.Eligibility.INELIGIBLE)
        .prefetch_related("scores")
    )
    for review in reviews:
        key = (review.reviewer_id, review.application_id)
        if key in conflicted:
            continue
        values = {s.criterion_id: float(s.value) for s in review.scores.all()}
        if set(criteria) - set(values):
            continue  # the rubric changed after scoring: not comparable
        result[key] = scoring.weighted_score(values, criteria)
    return result


@dataclass
class RankingRow:
    application: Application
    ranked: scoring.Ranked
    decision: Decision | None


def ranking(user: Any, cycle: Cycle) -> list[RankingRow]:
    """The cycle's ranking as ``user`` may see it (never applications they are conflicted on)."""
    scores = weighted_scores(cycle)
    hidden = set(
        ConflictDeclaration.objects.filter(
            application__cycle=cycle, reviewer=user, has_conflict=True
        ).values_list("application_id", flat=True)
    )
    apps = {
        a.pk: a for a in cycle.applications.select_related("organization").exclude(pk__in=hidden)
    }
    decisions = {d.application_id: d for d in Decision.objects.filter(application__cycle=cycle)}
    rows = []
    for ranked in scoring.rank(scores):
        app_id = int(ranked.application)  # type: ignore[call-overload]
        if app_id in apps:
            rows.append(RankingRow(apps[app_id], ranked, decisions.get(app_id)))
    return rows


def others_reviews(application: Application) -> QuerySet[Review]:
    return (
        application.reviews.filter(submitted_at__isnull=False)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
        .order_by("submitted_at")
    )


def panel(cycle: Cycle) -> list[dict[str, Any]]:
    """Each panel member with assignments, submitted reviews, conflicts and stipend owed."""
    members = cycle.panel.select_related("reviewer")
    assigned = dict(
        Assignment.objects.filter(application__cycle=cycle)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    done = dict(
        Review.objects.filter(application__cycle=cycle, submitted_at__isnull=False)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    conflicts = dict(
        ConflictDeclaration.objects.filter(application__cycle=cycle, has_conflict=True)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    rows = []
    for m in members:
        reviews = done.get(m.reviewer_id, 0)
        stipend = (
            cycle.stipend_per_review * reviews
            if m.kind == PanelMember.Kind.COMMUNITY
            else Decimal("0")
        )
        rows.append(
            {
                "member": m,
                "assigned": assigned.get(m.reviewer_id, 0),
                "done": reviews,
                "conflicts": conflicts.get(m.reviewer_id, 0),
                "stipend": stipend,
            }
        )
    return rows


def community_share(cycle: Cycle) -> tuple[int, int]:
    """(community members, all members) of the cycle's panel."""
    total = cycle.panel.count()
    community = cycle.panel.filter(kind=PanelMember.Kind.COMMUNITY).count()
    return community, total


def budget_status(cycle: Cycle) -> dict[str, Decimal]:
    """Funded total, budget, what is left and by how much the funded list exceeds the budget."""
    funded = Decision.objects.filter(application__cycle=cycle).exclude(
        outcome=Decision.Outcome.DECLINE
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return {
        "funded": funded,
        "budget": cycle.budget,
        "left": max(Decimal("0"), cycle.budget - funded),
        "excess": max(Decimal("0"), funded - cycle.budget),
    }


def public_cycles(user: Any) -> list[dict[str, Any]]:
    """Every decided cycle with its awards and the community share of its panel. An awardee
    whose organization record the visitor may not see is listed without its name."""
    visible_orgs = set(Organization.objects.visible_to(user).values_list("pk", flat=True))  # type: ignore[attr-defined]
    result = []
    for cycle in Cycle.objects.filter(
        status__in=[Cycle.Status.DECIDED, Cycle.Status.CLOSED]
    ).select_related("program"):
        awards = list(
            Award.objects.filter(application__cycle=cycle).select_related(
                "application__organization"
            )
        )
        community, total = community_share(cycle)
        result.append(
            {
                "cycle": cycle,
                "awards": [
                    {"award": a, "named": a.application.organization_id in visible_orgs}
                    for a in awards
                ],
                "total": sum((a.amount for a in awards), Decimal("0")),
                "community": community,
                "panel": total,
                "share": round(100 * community / total) if total else None,
                "applications": cycle.applications.filter(
                    status=Application.Status.SUBMITTED
                ).count(),
            }
        )
    return result


def awards_for(user: Any) -> QuerySet[Award]:
    """Awards ``user`` may manage or read: staff all, members their organization's."""
    qs = Award.objects.select_related("application__organization", "application__cycle")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_department:
        return qs
    return qs.filter(application__organization__in=user.organization_ids)


def reports_due(
    *, today: date, days: int = REPORT_REMINDER_DAYS, user: Any = None
) -> QuerySet[Report]:
    """Progress reports not yet sent that are overdue or due within ``days`` days, on awards of
    cycles still running (a closed cycle's reports are not chased), soonest first. With
    ``user``, only on the awards they may read."""
    qs = Report.objects.all() if user is None else Report.objects.filter(award__in=awards_for(user))
    return (
        qs.filter(submitted_at__isnull=True, due__lte=today + timedelta(days=days))
        .exclude(award__application__cycle__status=Cycle.Status.CLOSED)
        .select_related("award__application__organization", "award__application__cycle")
        .prefetch_related(
            Prefetch("reminders", queryset=ReportReminder.objects.order_by("sent_at"))
        )
        .order_by("due", "pk")
    )
