"""The demo county's power maps: relationships of the department and of partners, funders
and grants, and a map for every campaign whose positions moved over the campaign."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from accounts.models import Membership
from network import actions
from partners import actions as partner_actions
from partners.models import Organization, Person

# name, title, unit index
DEPARTMENT_PEOPLE = [
    ("Nia Freeman", "Health Officer", 0),
    ("Tomás Reyes", "Director of Environmental Health", 1),
    ("Grace Kim", "Community liaison", 0),
]

# from, kind, to, strength, visibility; names resolve among people, then organizations
DEPARTMENT_TIES = [
    ("Nia Freeman", "works_at", "Office of Health Equity", 3),
    ("Tomás Reyes", "works_at", "Environmental Health Division", 3),
    ("Grace Kim", "works_at", "Office of Health Equity", 3),
    ("Nia Freeman", "reports_to", "Riverbend County Board of Supervisors", 3),
    ("Nia Freeman", "ally_of", "Maria Delgado", 2),
    ("Tomás Reyes", "ally_of", "Victor Ramos", 3),
    ("Tomás Reyes", "contracts_with", "Regional Air Quality District", 2),
    ("Grace Kim", "ally_of", "Helen Park", 1),
    ("Nia Freeman", "ally_of", "Olivia Chen", 2),
    ("Maria Delgado", "elected_to", "Riverbend County Board of Supervisors", 3),
    ("James Whitfield", "elected_to", "Riverbend City Council, District 3", 3),
    ("Alan Brooks", "appointed_by", "Riverbend County Board of Supervisors", 2),
    ("Helen Park", "works_at", "Riverbend Planning Department", 3),
    ("Helen Park", "reports_to", "James Whitfield", 1),
    ("Victor Ramos", "works_at", "Regional Air Quality District", 3),
    ("Denise Carter", "works_at", "Riverbend Unified School District", 3),
    ("Olivia Chen", "works_at", "Riverbend Community Foundation", 3),
    ("Alan Brooks", "works_at", "Port of Riverbend", 3),
    ("Riverbend Community Foundation", "funds", "Office of Health Equity", 1),
]

# cpbo index, from, kind, to, strength, visibility
PARTNER_TIES = [
    (0, "Rosa Martinez", "works_at", "Eastside Tenants Union", 3, "department"),
    (0, "Rosa Martinez", "ally_of", "James Whitfield", 2, "private"),
    (0, "Rosa Martinez", "ally_of", "Olivia Chen", 3, "private"),
    (0, "Eastside Tenants Union", "ally_of", "Legal Aid of Riverbend", 3, "liaison"),
    (0, "Devon Price", "member_of", "Eastside Tenants Union", 3, "private"),
    (0, "Gary Holt", "opposes", "Eastside Tenants Union", 3, "private"),
    (1, "Kwame Johnson", "works_at", "Clean Air Eastside Coalition", 3, "department"),
    (1, "Kwame Johnson", "ally_of", "Victor Ramos", 2, "liaison"),
    (1, "Linh Tran", "ally_of", "Denise Carter", 1, "private"),
    (1, "Port of Riverbend", "opposes", "Clean Air Eastside Coalition", 2, "private"),
    (2, "Juan Hernández", "ally_of", "Maria Delgado", 1, "liaison"),
    (
        2,
        "Trabajadores Unidos Worker Center",
        "ally_of",
        "Voces Immigrant Rights Alliance",
        3,
        "private",
    ),
    (3, "Aaliyah Brooks", "ally_of", "James Whitfield", 1, "public"),
    (3, "Aaliyah Brooks", "family", "Alan Brooks", 2, "private"),
    (5, "Rev. Samuel Okafor", "ally_of", "Maria Delgado", 3, "public"),
    (5, "Faith in Action Riverbend", "ally_of", "Eastside Tenants Union", 2, "public"),
]

FUNDERS = [
    ("Riverbend Community Foundation", ["housing", "violence", "healthcare", "language"]),
    ("Harbor Health Fund", ["environment", "workers", "transport"]),
]

# funder, grantee, issue area, amount, year offset, purpose
GRANTS = [
    (
        "Riverbend Community Foundation",
        "Eastside Tenants Union",
        "housing",
        75000,
        1,
        "Tenant organizing",
    ),
    (
        "Riverbend Community Foundation",
        "Faith in Action Riverbend",
        "violence",
        120000,
        0,
        "Peacekeepers",
    ),
    (
        "Riverbend Community Foundation",
        "Legal Aid of Riverbend",
        "housing",
        50000,
        0,
        "Eviction defense",
    ),
    (
        "Harbor Health Fund",
        "Clean Air Eastside Coalition",
        "environment",
        60000,
        1,
        "Air monitoring",
    ),
    (
        "Harbor Health Fund",
        "Trabajadores Unidos Worker Center",
        "workers",
        40000,
        0,
        "Heat safety trainings",
    ),
    ("Harbor Health Fund", "Youth Rising for Safe Streets", "transport", 25000, 0, "Walk audits"),
]

# campaign index: extra actors beyond its targets: (name, tier, role, [(stance, influence)...])
EXTRA_POSITIONS: dict[int, list[tuple[str, str, str, list[tuple[int, int]]]]] = {
    0: [
        ("Helen Park", "secondary", "decision_maker", [(-1, 2), (0, 2)]),
        ("Legal Aid of Riverbend", "none", "ally", [(1, 1), (2, 2)]),
        ("Riverbend Community Foundation", "secondary", "unorganized", [(0, 2), (1, 2)]),
    ],
    1: [
        ("Gary Holt", "primary", "opposition", [(-2, 3), (-1, 3)]),
        ("Legal Aid of Riverbend", "none", "ally", [(2, 2)]),
    ],
    2: [
        ("Victor Ramos", "secondary", "ally", [(0, 2), (1, 2), (2, 2)]),
        ("Port of Riverbend", "secondary", "opposition", [(-2, 3), (-2, 3), (-1, 3)]),
    ],
    3: [
        ("Victor Ramos", "secondary", "ally", [(1, 2)]),
        ("Riverbend Unified School District", "none", "unorganized", [(0, 1), (0, 2)]),
    ],
    4: [("Victor Ramos", "secondary", "decision_maker", [(0, 2), (1, 2)])],
    5: [("Helen Park", "secondary", "decision_maker", [(-1, 2), (1, 2)])],
    6: [("Nia Freeman", "secondary", "ally", [(0, 2), (1, 3)])],
    7: [("Riverbend Community Foundation", "secondary", "ally", [(1, 2), (2, 2)])],
}
# How the primary decision-maker moved on each campaign: (stance, influence) over time.
TARGET_PATHS = {
    "active": [(-1, 3), (0, 3), (1, 3)],
    "planning": [(0, 3), (0, 3)],
    "won": [(-1, 3), (1, 3), (2, 3)],
}
EVIDENCE = [
    "Said at a public meeting that the county cannot afford it.",
    "Met with members and asked for data on the health impact.",
    "Told the press the demand deserves a hearing.",
    "Voted for the proposal in committee.",
]
POWER = [
    ("people", "visible", "Hundreds of members who turn out to hearings and vote."),
    ("alliances", "hidden", "Coalition partners who can call decision-makers directly."),
    ("narrative", "invisible", "Residents' stories of sick children changing what seems normal."),
    ("governance", "visible", "A vote on the board that decides the budget."),
]


def build(builder: Any) -> None:
    admin = builder.users["admin"]
    people: dict[str, Person] = dict(builder.officials)
    orgs: dict[str, Organization] = {o.name: o for o in builder.others.values()}
    orgs.update({o.name: o for o in builder.cpbos + builder.units})
    for person in Person.objects.filter(organization__in=builder.cpbos):
        people[person.name] = person

    for name, title, unit in DEPARTMENT_PEOPLE:
        people[name] = partner_actions.save_person(
            actor=admin, roles=[(builder.units[unit], title)], name=name, visibility="department"
        )
    eastside = builder.cpbos[0]
    people["Gary Holt"] = partner_actions.save_person(
        actor=_member(eastside),
        organization=eastside,
        name="Gary Holt",
        notes="Owner of Maple Court Apartments.",
        visibility="private",
    )
    for name, areas in FUNDERS:
        if name in orgs:
            partner_actions.update_organization(
                actor=admin, organization=orgs[name], issue_areas=areas
            )
        else:
            orgs[name] = partner_actions.create_organization(
                actor=admin, kind="funder", name=name, issue_areas=areas, visibility="public"
            )

    def find(name: str) -> Person | Organization:
        return people.get(name) or orgs[name]

    for source, kind, target, strength in DEPARTMENT_TIES:
        actions.create_relationship(
            actor=admin,
            from_actor=find(source),
            to_actor=find(target),
            kind=kind,
            organization=None,
            strength=strength,
            start=builder.today - timedelta(days=builder.rng.randint(200, 2000)),
            source="Department staff directory and meetings",
            visibility="public" if kind in ("works_at", "elected_to") else "department",
        )
    for index, source, kind, target, strength, visibility in PARTNER_TIES:
        org = builder.cpbos[index]
        actions.create_relationship(
            actor=_member(org),
            from_actor=find(source),
            to_actor=find(target),
            kind=kind,
            organization=org,
            strength=strength,
            source="Our one-to-ones",
            visibility=visibility,
        )
    for funder, grantee, area, amount, offset, purpose in GRANTS:
        actions.record_grant(
            actor=admin,
            organization=None,
            funder=orgs[funder],
            grantee=orgs[grantee],
            issue_area=area,
            amount=amount,
            year=builder.today.year - offset,
            purpose=purpose,
            visibility="department",
        )
    for index, campaign in enumerate(builder.campaigns):
        _map_campaign(builder, campaign, EXTRA_POSITIONS.get(index, []), find)


def _member(org: Organization) -> Any:
    return Membership.objects.filter(organization=org).order_by("pk").first().user


def _map_campaign(builder: Any, campaign: Any, extra: list, find: Any) -> None:
    organizer = _member(campaign.organization)
    start = campaign.start or builder.today - timedelta(days=300)
    span = max((builder.today - start).days, 30)
    path = TARGET_PATHS.get(campaign.status, TARGET_PATHS["active"])
    plan = [(t, "primary", "decision_maker", path) for t in campaign.target_people.all()]
    plan += [(find(name), tier, role, moves) for name, tier, role, moves in extra]
    for who, tier, role, moves in plan:
        position = None
        for step, (stance, influence) in enumerate(moves):
            day = start + timedelta(days=span * (step + 1) // (len(moves) + 1))
            evidence = EVIDENCE[min(step + (stance > 0), len(EVIDENCE) - 1)]
            if position is None:
                position = actions.place_actor(
                    actor=organizer,
                    campaign=campaign,
                    who=who,
                    tier=tier,
                    role=role,
                    stance=stance,
                    influence=influence,
                    assessed_on=day,
                    evidence=evidence,
                )
            else:
                actions.assess_position(
                    actor=organizer,
                    position=position,
                    stance=stance,
                    influence=influence,
                    assessed_on=day,
                    evidence=evidence,
                )
    own = campaign.organization
    kind, form, description = POWER[builder.rng.randrange(len(POWER))]
    actions.add_power(
        actor=organizer,
        campaign=campaign,
        who=own,
        organization=own,
        kind="people",
        form="visible",
        description=POWER[0][2],
        visibility=campaign.visibility,
    )
    targets = list(campaign.target_people.all())
    if targets:
        actions.add_power(
            actor=organizer,
            campaign=campaign,
            who=targets[0],
            organization=own,
            kind="governance",
            form="visible",
            description=POWER[3][2],
            visibility=campaign.visibility,
        )
    actions.add_power(
        actor=organizer,
        campaign=campaign,
        who=own,
        organization=own,
        kind=kind,
        form=form,
        description=description,
        visibility=campaign.visibility,
    )
