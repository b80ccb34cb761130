"""Reads of partners' records that need visibility, search or filters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from partners.duplicates import Candidate, Match, match, normalize_email
from partners.models import Campaign, Organization, Partnership, Person
from partners.rules import contact_value


def search_campaigns(user: Any, params: Mapping[str, Any]) -> QuerySet[Campaign]:
    """Campaigns ``user`` may see, narrowed by free text, status, issue area and organization
    (an id). ``params`` are cleaned values, as ``CampaignFilterForm.filters()`` gives them."""
    campaigns = Campaign.objects.visible_to(user).select_related("organization")
    text = params.get("q", "").strip()
    if text:
        campaigns = campaigns.filter(
            Q(title__icontains=text)
            | Q(goal__icontains=text)
            | Q(demands__icontains=text)
            | Q(geography__icontains=text)
        )
    if params.get("status"):
        campaigns = campaigns.filter(status=params["status"])
    if params.get("issue_area"):
        campaigns = campaigns.filter(issue_area=params["issue_area"])
    if params.get("organization"):
        campaigns = campaigns.filter(organization_id=params["organization"])
    return campaigns.order_by("-updated", "-pk")


def search_organizations(user: Any, params: Mapping[str, Any]) -> QuerySet[Organization]:
    """Organizations ``user`` may see, narrowed by text, kind and issue area (cleaned values)."""
    organizations = Organization.objects.visible_to(user)
    text = params.get("q", "").strip()
    if text:
        organizations = organizations.filter(
            Q(name__icontains=text) | Q(mission__icontains=text) | Q(geographies__icontains=text)
        )
    if params.get("kind"):
        organizations = organizations.filter(kind=params["kind"])
    area = params.get("issue_area", "")
    if area:
        # JSON list membership, done in Python-free SQL portable to SQLite and PostgreSQL.
        organizations = organizations.filter(issue_areas__icontains=f'"{area}"')
    return organizations.order_by("name")


def search_people(user: Any, params: Mapping[str, Any]) -> QuerySet[Person]:
    """People ``user`` may see, narrowed by name and organization (an id)."""
    people = Person.objects.visible_to(user).prefetch_related("roles__organization")
    text = params.get("q", "").strip()
    if text:
        people = people.filter(Q(name__icontains=text) | Q(roles__title__icontains=text))
    if params.get("organization"):
        people = people.filter(roles__organization_id=params["organization"])
    return people.distinct().order_by("name")


def exportable_organizations(user: Any, params: Mapping[str, Any]) -> QuerySet[Organization]:
    """Organizations for a CSV export: high-risk ones only for their own members."""
    return search_organizations(user, params).filter(
        Q(high_risk=False) | Q(pk__in=getattr(user, "organization_ids", []) or [])
    )


def exportable_campaigns(user: Any, params: Mapping[str, Any]) -> QuerySet[Campaign]:
    """Campaigns for a CSV export, without high-risk organizations' campaigns for outsiders."""
    return search_campaigns(user, params).filter(
        Q(organization__high_risk=False)
        | Q(organization__in=getattr(user, "organization_ids", []) or [])
    )


def partnerships_for(user: Any) -> QuerySet[Partnership]:
    """Partnerships ``user`` takes part in: all for staff, their own for partners."""
    return (
        Partnership.objects.visible_to(user)
        .select_related("cpbo", "unit")
        .prefetch_related("liaisons", "ratings")
    )


# Possible duplicates on entry ----------------------------------------------------------------


def _shown_email(user: Any, record: Any, field: str, entered: str) -> str:
    """The stored email when it matches ``entered`` and ``user`` may see it, else "": a match
    on a hidden contact would reveal it."""
    stored = contact_value(user, record, field)
    if entered and normalize_email(stored) == entered:
        return stored
    return ""


def possible_duplicate_people(user: Any, *, name: str, email: str) -> list[Match]:
    """People ``user`` may see who look like the one being entered."""
    entered = normalize_email(email)
    candidates = [
        Candidate(f"p{p.pk}", p.name, _shown_email(user, p, "email", entered), "", p)
        for p in Person.objects.visible_to(user)
    ]
    return match(name, email, "", candidates)


def possible_duplicate_organizations(
    user: Any, *, name: str, email: str, website: str
) -> list[Match]:
    """Organizations ``user`` may see that look like the one being entered."""
    entered = normalize_email(email)
    candidates = [
        Candidate(f"o{o.pk}", o.name, _shown_email(user, o, "contact_email", entered), o.website, o)
        for o in Organization.objects.visible_to(user)
    ]
    return match(name, email, website, candidates)
