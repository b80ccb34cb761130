"""The demo county's regulatory levers: authorities, actions tied to three campaigns,
complaints through every stage (one with retaliation), and comment periods."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from accounts.models import Membership, User
from regulatory import actions
from regulatory.models import Authority, Complaint

AUTHORITIES = [
    (
        "Housing code inspections",
        "inspection",
        "State Health and Safety Code § 17961; County Code ch. 11.20",
        1,
        "Entry and inspection of rental housing; notices to repair substandard conditions.",
        "Inspection within 10 business days of a complaint; 30 days to repair.",
    ),
    (
        "Proactive rental inspection program",
        "inspection",
        "County Code ch. 11.24",
        1,
        "Scheduled inspection of every unit in buildings with repeated violations.",
        "A building list each quarter; inspections over 60 days.",
    ),
    (
        "Health officer orders",
        "order",
        "State Health and Safety Code § 101040",
        0,
        "Orders to protect health in an emergency, e.g. heat protections for outdoor workers.",
        "Days, in an emergency; renewed every 30 days.",
    ),
    (
        "Rules for environmental health permits",
        "rulemaking",
        "County Code ch. 8.04 (rulemaking by the health officer)",
        1,
        "Conditions on permits for facilities that affect health.",
        "Six to nine months, with a 45-day comment period.",
    ),
    (
        "Hazardous materials facility permits",
        "permit",
        "State Health and Safety Code ch. 6.95",
        1,
        "Permit conditions on storage and handling; permit denial or revocation.",
        "90 days for a new permit; public hearing for major facilities.",
    ),
    (
        "Nuisance abatement",
        "nuisance",
        "County Code ch. 1.14",
        1,
        "Abatement of conditions dangerous to health, with costs charged to the owner.",
        "30 days' notice, then abatement.",
    ),
    (
        "Comments in environmental review (CEQA)",
        "environmental_review",
        "Public Resources Code § 21104",
        2,
        "Comments on health impacts of proposed projects, which the lead agency must answer.",
        "30 to 45 days per comment period.",
    ),
    (
        "Enforcement of retail food and housing orders",
        "enforcement",
        "County Code ch. 1.25 (administrative penalties)",
        1,
        "Administrative fines and compliance orders.",
        "Fines after a missed correction date; appeal within 15 days.",
    ),
]

# cpbo index, campaign index, category, violation type, neighborhood, owner, address, issue
COMPLAINTS = [
    (
        0,
        1,
        "housing",
        "mold",
        "Eastside",
        "Maple Holdings LLC",
        "Maple Court, Bldg A",
        "Mold in bathrooms and bedrooms; children with asthma.",
    ),
    (
        0,
        1,
        "housing",
        "pests",
        "Eastside",
        "Maple Holdings LLC",
        "Maple Court, Bldg B",
        "Cockroaches and mice in several units.",
    ),
    (
        0,
        1,
        "housing",
        "leaks",
        "Eastside",
        "Maple Holdings LLC",
        "Maple Court, Bldg C",
        "Roof leak into top-floor units since winter.",
    ),
    (
        0,
        0,
        "housing",
        "no_heat",
        "Riverside",
        "Riverbend Property Group",
        "410 River Rd",
        "No heat for two weeks in January.",
    ),
    (
        0,
        0,
        "housing",
        "lead",
        "Riverside",
        "Riverbend Property Group",
        "418 River Rd",
        "Peeling paint in a 1950s building with toddlers.",
    ),
    (
        0,
        0,
        "housing",
        "mold",
        "Eastside",
        "Eastgate Apartments Inc.",
        "77 Eastgate Ave",
        "Damp walls, mold behind furniture.",
    ),
    (
        0,
        0,
        "housing",
        "mold",
        "Riverside",
        "Riverbend Property Group",
        "422 River Rd",
        "Mold returning after a cosmetic repaint.",
    ),
    (
        2,
        4,
        "workplace",
        "heat_illness",
        "Harbor Flats",
        "Harbor Logistics",
        "Warehouse 7, Port Way",
        "No water or breaks on 100-degree days at the loading dock.",
    ),
    (
        2,
        4,
        "workplace",
        "heat_illness",
        "Northgate",
        "Valley Green Landscaping",
        "Crew yard, 9 Elm St",
        "Crews work through the afternoon heat with no shade.",
    ),
    (
        2,
        4,
        "workplace",
        "heat_illness",
        "Harbor Flats",
        "Harbor Logistics",
        "Warehouse 3, Port Way",
        "A worker fainted; no cooling in the trailer-unloading area.",
    ),
    (
        2,
        4,
        "workplace",
        "chemicals",
        "Harbor Flats",
        "Portside Cold Storage",
        "12 Dock Rd",
        "Ammonia smell; workers with headaches.",
    ),
    (
        1,
        2,
        "environment",
        "air",
        "Harbor Flats",
        "Harbor Logistics",
        "Port Way and 3rd St",
        "Diesel trucks idling next to the elementary school.",
    ),
    (
        1,
        2,
        "environment",
        "air",
        "Eastside",
        "Eastside Freight Terminal",
        "1200 Industrial Blvd",
        "Dust and diesel smoke from the new terminal.",
    ),
    (
        1,
        2,
        "environment",
        "noise",
        "Eastside",
        "Eastside Freight Terminal",
        "1200 Industrial Blvd",
        "Trucks all night on residential streets.",
    ),
]
WORK_TYPES = {"heat_illness": "Warehouse and outdoor work", "chemicals": "Cold storage"}
NAMES = ["María G.", "Tran V.", "Josefina R.", "Darnell W.", "Ana P.", "Luis M.", "Keisha B."]


def _member(builder: Any, index: int) -> User:
    return Membership.objects.filter(organization=builder.cpbos[index]).first().user  # type: ignore[union-attr]


def build(builder: Any) -> None:
    admin = builder.users["admin"]
    inspector = builder.users.get("inspector") or builder.users["liaison"]
    for name, kind, basis, unit, can_require, timeline in AUTHORITIES:
        actions.save_authority(
            actor=admin,
            name=name,
            kind=kind,
            legal_basis=basis,
            unit=builder.units[unit],
            can_require=can_require,
            typical_timeline=timeline,
        )
    by_name = {a.name: a for a in Authority.objects.all()}
    c = builder.campaigns
    maple = actions.save_action(
        actor=admin,
        title="Proactive inspections of Maple Holdings buildings",
        authority=by_name["Proactive rental inspection program"],
        description="Every unit at Maple Court inspected after repeated tenant complaints.",
        status="completed",
        started=builder.today - timedelta(days=200),
        completed=builder.today - timedelta(days=60),
        violations_found=47,
        orders_issued=3,
        fines=Decimal("12500"),
        outcome="Mold remediation in 31 units; roof replaced; monthly re-inspection for a year.",
        visibility="department",
        campaigns=[c[1], c[0]],
        at=builder.at(200),
    )
    heat = actions.save_action(
        actor=admin,
        title="Heat-illness health officer order for outdoor and warehouse work",
        authority=by_name["Health officer orders"],
        description="Water, shade, rest and cooling above 85°F, with a complaint line in four languages.",
        status="underway",
        started=builder.today - timedelta(days=90),
        next_date=builder.today + timedelta(days=20),
        next_date_label="Order renewal and report to the Board",
        orders_issued=1,
        visibility="public",
        campaigns=[c[4]],
        at=builder.at(90),
    )
    trucks = actions.save_action(
        actor=admin,
        title="Health comments on the Eastside freight terminal expansion",
        authority=by_name["Comments in environmental review (CEQA)"],
        description="Comments on diesel exposure near two schools, with asthma data by neighborhood.",
        status="underway",
        started=builder.today - timedelta(days=45),
        next_date=builder.today + timedelta(days=12),
        next_date_label="Comment deadline",
        visibility="public",
        campaigns=[c[2]],
        at=builder.at(45),
    )
    actions.save_action(
        actor=admin,
        title="Nuisance abatement at Riverbend Property Group buildings",
        authority=by_name["Nuisance abatement"],
        status="proposed",
        visibility="department",
        campaigns=[c[0]],
        at=builder.at(10),
    )

    for n, (org, campaign, category, kind, hood, owner, address, issue) in enumerate(COMPLAINTS):
        filer = _member(builder, org)
        days_ago = builder.rng.randint(5, 330)
        anonymous = n % 4 == 3
        complaint = actions.file_complaint(
            actor=filer,
            organization=builder.cpbos[org],
            campaign=c[campaign],
            category=category,
            violation_type=kind,
            issue=issue,
            address=address,
            neighborhood=hood,
            building_owner=owner,
            ongoing=n % 3 != 0,
            occurred_on=builder.today - timedelta(days=days_ago + 7),
            work_type=WORK_TYPES.get(kind, "") if category == "workplace" else "",
            worksite_size="50-249" if category == "workplace" else "",
            language=builder.rng.choice(["Spanish", "English", "Vietnamese", "Mam"]),
            anonymous=anonymous,
            contact_ok=not anonymous and n % 2 == 0,
            complainant_name="" if anonymous else NAMES[n % len(NAMES)],
            complainant_phone="" if anonymous else f"(555) 03{n:02d}-{4000 + n}",
            at=builder.at(days_ago, 9),
        )
        _work(builder, complaint, n % 5, days_ago, admin, inspector)
    # Retaliation after the Maple Court inspections: its own record.
    first = Complaint.objects.filter(building_owner="Maple Holdings LLC").order_by("pk").first()
    if first:
        retaliation = actions.report_retaliation(
            actor=_member(builder, 0),
            complaint=first,
            kind="eviction",
            occurred_on=builder.today - timedelta(days=20),
            description="A notice to vacate arrived a week after the inspection.",
            at=builder.at(18),
        )
        actions.update_retaliation(
            actor=admin,
            retaliation=retaliation,
            status="referred",
            response="Referred to the tenant legal-aid clinic and the county's anti-retaliation unit.",
        )

    actions.save_comment_period(
        actor=admin,
        title="Eastside freight terminal expansion: draft environmental impact report",
        kind="environmental_review",
        authority=by_name["Comments in environmental review (CEQA)"],
        action=trucks,
        description="The Port's draft report on the terminal expansion, open for comment.",
        opens=builder.today - timedelta(days=33),
        closes=builder.today + timedelta(days=12),
        how_to_comment="Written comments to the Port's planning office; the department will share its health comments a week before the deadline.",
        visibility="public",
    )
    actions.save_comment_period(
        actor=admin,
        title="Portside Cold Storage hazardous materials permit hearing",
        kind="permit_hearing",
        authority=by_name["Hazardous materials facility permits"],
        opens=builder.today - timedelta(days=5),
        closes=builder.today + timedelta(days=30),
        hearing_at=builder.at(-30, 18),
        location="County Hall, Room 101, and online",
        how_to_comment="Sign up to testify at the hearing or send written comments before it.",
        visibility="public",
    )
    actions.save_comment_period(
        actor=admin,
        title="Heat-illness order: rules for the renewal",
        kind="rulemaking",
        authority=by_name["Rules for environmental health permits"],
        action=heat,
        opens=builder.today + timedelta(days=10),
        closes=builder.today + timedelta(days=55),
        description="Proposed standing rules so the heat protections no longer depend on an emergency order.",
        visibility="public",
    )
    actions.save_comment_period(
        actor=admin,
        title="Proactive inspection rule amendments (internal draft)",
        kind="rulemaking",
        authority=by_name["Proactive rental inspection program"],
        action=maple,
        opens=builder.today + timedelta(days=40),
        closes=builder.today + timedelta(days=85),
        visibility="department",
    )


def _work(
    builder: Any, complaint: Complaint, stage: int, days_ago: int, admin: User, inspector: User
) -> None:
    """Move a complaint through triage, inspection, violation and closing, a few days a step."""
    if stage == 0:
        return
    step = max(1, days_ago // 5)
    day = days_ago - step
    actions.triage_complaint(
        actor=admin,
        complaint=complaint,
        inspector=inspector,
        message="Assigned to an inspector.",
        at=builder.at(day, 11),
    )
    if stage == 1:
        return
    day -= step
    inspection = actions.schedule_inspection(
        actor=inspector,
        complaint=complaint,
        scheduled_for=builder.today - timedelta(days=day),
        at=builder.at(day, 12),
    )
    actions.record_inspection(
        actor=inspector,
        inspection=inspection,
        inspected_on=builder.today - timedelta(days=day),
        findings="Conditions confirmed on site; photographs taken.",
        at=builder.at(day, 15),
    )
    if stage == 2:
        return
    violation = actions.add_violation(
        actor=inspector,
        complaint=complaint,
        code="CC 11.20.040",
        description=complaint.get_violation_type_display(),
        corrective_action="Correct the condition and provide proof of repair.",
        due=builder.today - timedelta(days=day) + timedelta(days=30),
        fine=Decimal("500") if stage == 4 else Decimal("0"),
        at=builder.at(day, 16),
    )
    if stage == 3:
        return
    day = max(0, day - step)
    actions.correct_violation(
        actor=inspector,
        violation=violation,
        corrected_on=builder.today - timedelta(days=day),
        at=builder.at(day, 10),
    )
    actions.close_complaint(
        actor=inspector,
        complaint=complaint,
        resolution="fixed",
        evidence="Re-inspection found the condition corrected; the resident confirmed by phone.",
        resident_confirmed=True,
        at=builder.at(day, 14),
    )
