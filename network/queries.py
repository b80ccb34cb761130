"""Reads of the network: every one goes through the visibility rules first.

A relationship shows only when the user may read it and both of its ends; positions and the
power inventory only on campaigns, and about actors, the user may read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from network import graph
from network.models import (
    Assessment,
    Grant,
    Kind,
    Merge,
    Position,
    PowerHolding,
    Relationship,
    Strength,
)
from partners.models import Campaign, Organization, Person
from partners.rules import contact_value, is_high_risk

DEPARTMENT = "department"


def actor_key(actor: Person | Organization) -> str:
    """The node key of a person (``p<id>``) or an organization (``o<id>``)."""
    return f"{'p' if isinstance(actor, Person) else 'o'}{actor.pk}"


def find_actor(user: Any, key: str) -> Person | Organization | None:
    """The visible person or organization named by ``key``, or None."""
    digits = key[1:]
    if len(key) < 2 or key[0] not in "po" or not (digits.isascii() and digits.isdigit()):
        return None
    model = Person if key[0] == "p" else Organization
    return model.objects.visible_to(user).filter(pk=int(key[1:])).first()  # type: ignore[attr-defined]


def visible_relationships(user: Any) -> QuerySet[Relationship]:
    """Relationships ``user`` may read, both ends included, with their ends loaded."""
    return Relationship.objects.visible_to(user).select_related(
        "from_person", "from_organization", "to_person", "to_organization", "organization"
    )


def search_relationships(user: Any, params: Mapping[str, Any]) -> QuerySet[Relationship]:
    """Visible relationships narrowed by name, kinds, strengths, actor (a node key) and recorder
    ("department" or an organization's id): cleaned values, as RelationshipFilterForm gives."""
    rels = visible_relationships(user)
    text = params.get("q", "").strip()
    if text:
        rels = rels.filter(
            Q(from_person__name__icontains=text)
            | Q(from_organization__name__icontains=text)
            | Q(to_person__name__icontains=text)
            | Q(to_organization__name__icontains=text)
            | Q(source__icontains=text)
        )
    if params.get("kind"):
        rels = rels.filter(kind__in=params["kind"])
    if params.get("strength"):
        rels = rels.filter(strength__in=params["strength"])
    actor = find_actor(user, params.get("actor", ""))
    if actor is not None:
        rels = rels.filter(_touching(actor))
    recorder = params.get("recorded_by", "")
    if recorder == DEPARTMENT:
        rels = rels.filter(organization__isnull=True)
    elif recorder:
        rels = rels.filter(organization_id=int(recorder))
    return rels.order_by("-updated", "-pk")


def _touching(actor: Person | Organization) -> Q:
    if isinstance(actor, Person):
        return Q(from_person=actor) | Q(to_person=actor)
    return Q(from_organization=actor) | Q(to_organization=actor)


def relationships_of(user: Any, actor: Person | Organization) -> QuerySet[Relationship]:
    """The visible relationships that touch ``actor``."""
    return visible_relationships(user).filter(_touching(actor))


def edges(relationships: Any) -> list[graph.Edge]:
    """Plain graph edges for the path finder, one per relationship."""
    return [
        graph.Edge(r.pk, r.source_key, r.target_key, r.kind, r.strength, data=r)
        for r in relationships
    ]


# Positions and the power grid -------------------------------------------------------------


def positions(user: Any, campaign: Campaign) -> list[Position]:
    """The campaign's positions ``user`` may see, each with its assessment history loaded and
    ``moved_from`` set to the first assessment when the actor has moved since."""
    found = list(
        Position.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("person", "actor_organization", "campaign")
        .prefetch_related("assessments__judged_by")
    )
    for position in found:
        history = list(position.assessments.all())
        first = history[0] if history else None
        moved = first is not None and (first.stance, first.influence) != (
            position.stance,
            position.influence,
        )
        position.moved_from = first if moved else None  # type: ignore[attr-defined]
    return found


def assessments(position: Position) -> QuerySet[Assessment]:
    """A position's history, oldest first."""
    return position.assessments.select_related("judged_by").order_by("assessed_on", "pk")


@dataclass
class GridCell:
    stance: int
    influence: int
    positions: list[Position] = field(default_factory=list)


def power_grid(items: list[Position]) -> list[list[GridCell]]:
    """Positions by influence (rows, high first) and stance (columns, opponents first)."""
    rows = []
    for influence in (3, 2, 1):
        row = []
        for stance in (-2, -1, 0, 1, 2):
            cell = GridCell(stance, influence)
            cell.positions = [p for p in items if p.stance == stance and p.influence == influence]
            row.append(cell)
        rows.append(row)
    return rows


def power_inventory(user: Any, campaign: Campaign) -> QuerySet[PowerHolding]:
    """The campaign's power inventory ``user`` may read."""
    return (
        PowerHolding.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("person", "actor_organization", "organization")
        .order_by("kind", "form", "pk")
    )


def campaign_actors(user: Any, campaign: Campaign) -> set[str]:
    """Keys of the campaign's own organization, its visible targets and positioned actors."""
    keys = {f"o{campaign.organization_id}"}
    keys |= {
        f"p{pk}" for pk in campaign.target_people.visible_to(user).values_list("pk", flat=True)
    }
    keys |= {
        f"o{pk}"
        for pk in campaign.target_organizations.visible_to(user).values_list("pk", flat=True)
    }
    for position in Position.objects.visible_to(user).filter(campaign=campaign):
        keys.add(position.actor_key)
    return keys


def decision_makers(user: Any, campaign: Campaign) -> list[Person | Organization]:
    """Targets to find paths to: primary targets and decision-makers, then the campaign's own."""
    found: dict[str, Person | Organization] = {}
    for position in positions(user, campaign):
        if position.tier != Position.Tier.NONE or position.role == Position.Role.DECISION_MAKER:
            found[position.actor_key] = position.actor
    for person in campaign.target_people.visible_to(user):
        found.setdefault(actor_key(person), person)
    for org in campaign.target_organizations.visible_to(user):
        found.setdefault(actor_key(org), org)
    return list(found.values())


# The campaign's network -------------------------------------------------------------------


@dataclass
class Network:
    nodes: list[dict[str, Any]]
    relationships: list[Relationship]


def campaign_network(
    user: Any, campaign: Campaign, *, kinds: list[str], strengths: list[int]
) -> Network:
    """Actors around a campaign's targets within one relationship, filtered by kind and strength."""
    rels = list(visible_relationships(user))
    if kinds:
        rels = [r for r in rels if r.kind in kinds]
    if strengths:
        rels = [r for r in rels if r.strength in strengths]
    centres = campaign_actors(user, campaign)
    keep = graph.neighbourhood(edges(rels), centres, hops=1)
    rels = [r for r in rels if r.source_key in keep and r.target_key in keep]
    placed = {p.actor_key: p for p in positions(user, campaign)}
    actors: dict[str, Person | Organization] = {}
    for r in rels:
        actors[r.source_key] = r.source_actor
        actors[r.target_key] = r.target_actor
    for key in centres:
        if key not in actors:
            actor = find_actor(user, key)
            if actor is not None:
                actors[key] = actor
    nodes = []
    for key, actor in sorted(actors.items(), key=lambda kv: str(kv[1]).lower()):
        position = placed.get(key)
        nodes.append(
            {
                "id": key,
                "label": str(actor),
                "type": "person" if key[0] == "p" else "organization",
                "url": actor.get_absolute_url(),
                "centre": key in centres,
                "role": position.get_role_display() if position else "",
                "stance": position.get_stance_display() if position else "",
                "stance_value": position.stance if position else None,
                "tier": position.tier if position else "",
            }
        )
    return Network(nodes=nodes, relationships=rels)


def network_json(network: Network) -> dict[str, Any]:
    """The network as plain data for the graph script (json_script)."""
    return {
        "nodes": network.nodes,
        "edges": [
            {
                "id": f"r{r.pk}",
                "source": r.source_key,
                "target": r.target_key,
                "kind": r.get_kind_display(),
                "strength": r.strength,
                "strength_label": r.get_strength_display(),
                "mutual": r.mutual,
            }
            for r in network.relationships
        ],
    }


# Paths ------------------------------------------------------------------------------------


def path_sources(user: Any) -> list[tuple[str, str]]:
    """Where a chain may start: the department, then the organizations the user may see
    that are community partners (the user's own first)."""
    from django.utils.translation import gettext as _

    options = [(DEPARTMENT, _("The department"))]
    own = set(getattr(user, "organization_ids", []) or [])
    cpbos = Organization.objects.visible_to(user).filter(kind=Organization.Kind.CPBO)
    ordered = sorted(cpbos, key=lambda o: (o.pk not in own, o.name.lower()))
    options += [(f"o{o.pk}", o.name) for o in ordered]
    return options


@dataclass
class Paths:
    shortest: list[graph.Step] | None
    strongest: list[graph.Step] | None


def find_paths(user: Any, source: str, target: str) -> Paths:
    """The shortest and the strongest chains from ``source`` to ``target``, over visible ties only."""
    units = Organization.objects.visible_to(user).filter(kind=Organization.Kind.DEPARTMENT_UNIT)
    g = graph.build(
        edges(visible_relationships(user)),
        links={DEPARTMENT: [f"o{pk}" for pk in units.values_list("pk", flat=True)]},
    )
    return Paths(graph.shortest_path(g, source, target), graph.strongest_path(g, source, target))


# Funders ----------------------------------------------------------------------------------


def visible_grants(user: Any) -> QuerySet[Grant]:
    """Grants ``user`` may read."""
    return Grant.objects.visible_to(user).select_related("funder", "grantee", "organization")


def funders(user: Any, params: Mapping[str, Any]) -> QuerySet[Organization]:
    """Funders ``user`` may see, narrowed by name and issue area (cleaned values)."""
    found = Organization.objects.visible_to(user).filter(kind=Organization.Kind.FUNDER)
    text = params.get("q", "").strip()
    if text:
        found = found.filter(name__icontains=text)
    area = params.get("issue_area", "")
    if area:
        found = found.filter(
            Q(issue_areas__icontains=f'"{area}"')
            | Q(pk__in=visible_grants(user).filter(issue_area=area).values("funder"))
        )
    return found.order_by("name")


@dataclass
class FunderLead:
    funder: Organization
    grants: list[Grant]
    relationships: list[Relationship]


def funders_for_campaign(user: Any, campaign: Campaign) -> list[FunderLead]:
    """Funders of the campaign's issue area, with their grants in it and the visible ties the
    department (its units and their people) or partners have with them."""
    params = {"issue_area": campaign.issue_area}
    leads = []
    for funder in funders(user, params):
        grants = list(visible_grants(user).filter(funder=funder, issue_area=campaign.issue_area))
        # People who work at the funder count as the funder for "who knows them".
        staff = Person.objects.visible_to(user).filter(roles__organization=funder)
        rels = list(
            visible_relationships(user)
            .filter(_touching(funder) | Q(from_person__in=staff) | Q(to_person__in=staff))
            .exclude(kind__in=[Kind.WORKS_AT])
            .distinct()
        )
        leads.append(FunderLead(funder, grants, rels))
    return leads


# Exports ----------------------------------------------------------------------------------


def exportable(user: Any, actor: Person | Organization) -> bool:
    """High-risk people and organizations stay out of exports for anyone outside their
    organization."""
    if not getattr(actor, "high_risk", False):
        return True
    if isinstance(actor, Organization):
        return actor.pk in (getattr(user, "organization_ids", []) or [])
    return bool(actor.organization_id and actor.organization_id in (user.organization_ids or []))


def export_contact(user: Any, actor: Person | Organization) -> str:
    """An export's contact column: never for high-risk records, otherwise as the page shows."""
    if is_high_risk(actor):
        return ""
    if isinstance(actor, Organization):
        return contact_value(user, actor, "contact_email") or actor.website
    return contact_value(user, actor, "email")


def exportable_relationships(user: Any, rels: Any) -> list[Relationship]:
    """The relationships of ``rels`` whose both ends may leave the system in a file."""
    return [
        r for r in rels if exportable(user, r.source_actor) and exportable(user, r.target_actor)
    ]


# Duplicates -------------------------------------------------------------------------------


def merges(user: Any) -> QuerySet[Merge]:
    """The merge history ``user`` may read."""
    return Merge.objects.visible_to(user).select_related(
        "kept_person", "kept_organization", "merged_by"
    )


def strength_label(value: int) -> str:
    return str(Strength(value).label)
