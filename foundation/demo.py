"""The demo county's internal foundation: two readiness rounds a year apart showing change, a
risk-tolerance round, a risk register, resources with commitments, and classified support."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from accounts.models import User
from foundation import actions
from foundation.defaults import load_default_instruments
from foundation.models import Instrument, Question, Round
from support.models import Ask

# Extra staff so each round has enough respondents for results to show.
EXTRA_STAFF = [
    ("epi", "Marcus Chen", "analyst"),
    ("inspector", "Fatima Haddad", "liaison"),
    ("nurse", "Elena Petrova", "liaison"),
    ("planner", "Jordan Blake", "analyst"),
    ("director", "Dr. Ruth Adeyemi", "admin"),
]

RISKS = [
    (
        "Federal grant funds paying for lobbying",
        "lobbying",
        3,
        5,
        "Classify every testimony and funding ask; pay anything near legislation from the county "
        "general fund; counsel reviews testimony on bills.",
        [0],
    ),
    (
        "Partner strategy exposed through a public-records request",
        "records",
        3,
        4,
        "Partners keep strategy private in Powershare; staff notes stay minimal; counsel trains "
        "staff on what is disclosable.",
        [1, 2],
    ),
    (
        "Backlash from supervisors targeted by a campaign",
        "backlash",
        4,
        3,
        "Brief the health officer before testimony; share the evidence with every office at once.",
        [7, 0],
    ),
    (
        "Liaisons stretched across too many partnerships",
        "capacity",
        4,
        2,
        "Cap liaisons at three partnerships; protected hours in the workplan.",
        [],
    ),
    (
        "Retaliation against tenants who complain",
        "legal",
        2,
        5,
        "Anonymous complaints allowed; retaliation reports tracked and referred to legal aid within a week.",
        [1],
    ),
    (
        "Loss of trust if asks go unanswered",
        "reputation",
        2,
        3,
        "Dashboard of overdue asks reviewed in the weekly staff meeting.",
        [],
    ),
]

RESOURCES = [
    dict(
        kind="funding",
        name="CDC Health Equity Grant",
        source="Centers for Disease Control and Prevention",
        amount=Decimal("450000"),
        unit="USD",
        bars_lobbying=True,
        hatch_act=True,
        restrictions="No lobbying, including grassroots lobbying; no partisan activity by funded staff.",
    ),
    dict(
        kind="funding",
        name="County general fund: community partnerships",
        source="Board of Supervisors budget",
        amount=Decimal("120000"),
        unit="USD",
        restrictions="Must follow county procurement rules.",
    ),
    dict(
        kind="funding",
        name="State community violence prevention grant",
        source="State Board of Community Corrections",
        amount=Decimal("200000"),
        unit="USD",
        bars_lobbying=True,
        restrictions="Violence intervention programs only.",
    ),
    dict(
        kind="staff_time",
        name="Liaison and analyst hours",
        amount=Decimal("2400"),
        unit="hours",
        hatch_act=True,
        description="Two liaisons and an analyst, a third of their time.",
    ),
    dict(
        kind="in_kind",
        name="Meeting rooms at the health center",
        amount=Decimal("48"),
        unit="evenings",
    ),
    dict(
        kind="in_kind",
        name="Interpretation (Spanish, Vietnamese, Mam)",
        amount=Decimal("150"),
        unit="hours",
    ),
]


def _staff(builder: Any) -> list[User]:
    from powershare.management.commands.seed_demo import DEMO_PASSWORD, demo_email

    people = [builder.users[k] for k in ("admin", "liaison", "liaison2", "analyst")]
    for local, name, role in EXTRA_STAFF:
        user = User.objects.create_user(
            demo_email(local), DEMO_PASSWORD, name=name, department_role=role
        )
        builder.users[local] = user
        people.append(user)
    return people


def _round(
    builder: Any,
    instrument: Instrument,
    title: str,
    opened: int,
    closed: int | None,
    staff: list[User],
    level: float,
) -> Round:
    admin = builder.users["admin"]
    round_ = actions.open_round(
        actor=admin,
        instrument=instrument,
        title=title,
        opens=builder.today - timedelta(days=opened),
        closes=builder.today - timedelta(days=closed)
        if closed is not None
        else builder.today + timedelta(days=21),
    )
    questions = list(
        Question.objects.filter(domain__instrument=instrument).select_related("domain")
    )
    domains = sorted({q.domain.order for q in questions})
    # Each domain starts from a different place, so the chart shows where change came.
    offsets = {d: builder.rng.choice([-1.0, -0.5, 0.0, 0.5]) for d in domains}
    respondents = staff if closed is not None else staff[:3]
    for n, user in enumerate(respondents):
        answers = {}
        for q in questions:
            value = round(level + offsets[q.domain.order] + builder.rng.uniform(-1, 1))
            answers[q.pk] = min(instrument.scale_max, max(1, value))
        actions.submit_response(
            actor=user,
            round=round_,
            answers=answers,
            on=builder.today - timedelta(days=opened - 1 - n),
        )
    if closed is not None:
        actions.close_round(actor=admin, round=round_, at=builder.at(closed, 17))
    return round_


def build(builder: Any) -> None:
    load_default_instruments()
    staff = _staff(builder)
    admin = builder.users["admin"]
    readiness = Instrument.objects.get(family="readiness", version=1)
    tolerance = Instrument.objects.get(family="risk-tolerance", version=1)
    _round(builder, readiness, "Readiness baseline", 400, 370, staff, 2.2)
    _round(builder, readiness, "Readiness one year on", 40, 12, staff, 3.4)
    _round(builder, tolerance, "Risk tolerance baseline", 380, 360, staff, 2.6)
    _round(builder, tolerance, "Risk tolerance check-in", 5, None, staff, 3.0)

    owners = [builder.users[k] for k in ("admin", "liaison", "liaison2", "analyst")]
    for n, (title, category, likelihood, impact, mitigations, campaigns) in enumerate(RISKS):
        actions.create_risk(
            actor=admin,
            title=title,
            category=category,
            likelihood=likelihood,
            impact=impact,
            owner=owners[n % len(owners)],
            mitigations=mitigations,
            review_date=builder.today + timedelta(days=builder.rng.randint(-20, 120)),
            status="open" if n < 5 else "watching",
            m2m={
                "campaigns": [builder.campaigns[i] for i in campaigns],
                "partnerships": [
                    builder.partnerships[i] for i in campaigns if i < len(builder.partnerships)
                ][:1],
            },
            at=builder.at(builder.rng.randint(30, 300)),
        )

    resources = [actions.create_resource(actor=admin, **fields) for fields in RESOURCES]
    cdc, general, violence, hours, rooms, interpretation = resources
    actions.add_commitment(
        actor=admin,
        resource=cdc,
        amount=Decimal("180000"),
        description="Community grants cycle 2026 (awards pending)",
    )
    actions.add_commitment(
        actor=admin,
        resource=violence,
        amount=Decimal("150000"),
        description="Peacekeepers program contracts",
    )
    actions.add_commitment(
        actor=admin,
        resource=hours,
        amount=Decimal("900"),
        description="Liaison time for six partnerships",
    )

    # Classify the asks that need it, through the same check staff use.
    paying = {
        "testimony": (general, "regulatory_advocacy", None),
        "regulatory": (hours, "regulatory_advocacy", Decimal("40")),
        "convening": (rooms, "education", Decimal("2")),
        "funding": (general, "education", Decimal("5000")),
    }
    for ask in Ask.objects.filter(kind__in=paying).order_by("pk"):
        actor = ask.owner if ask.owner else admin
        if not Ask.objects.visible_to(actor).filter(pk=ask.pk).exists():
            continue
        resource, activity, amount = paying[ask.kind]
        if "bill" in ask.title.lower() or "Board of Supervisors" in ask.title:
            activity = "lobbying"
        if ask.kind == "funding" and "interpretation" in ask.title.lower():
            resource, amount = interpretation, Decimal("20")
        actions.classify_ask(
            actor=actor,
            ask=ask,
            activity=activity,
            resource=resource,
            amount=amount,
            note="Checked against the resource's restrictions.",
            at=builder.at(builder.rng.randint(1, 60)),
        )
