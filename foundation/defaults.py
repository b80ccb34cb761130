"""The assessment instruments that ship with Powershare, loaded by ``load_default_instruments``
(also run after ``migrate``). Idempotent: an instrument family that exists is left alone."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from foundation.models import Domain, Instrument, Question

AGREEMENT_SCALE = [
    gettext_noop("Not at all"),
    gettext_noop("A little"),
    gettext_noop("Somewhat"),
    gettext_noop("Mostly"),
    gettext_noop("Fully"),
]
ACCEPTANCE_SCALE = [
    gettext_noop("We would not accept this"),
    gettext_noop("Only rarely, with great care"),
    gettext_noop("Sometimes, case by case"),
    gettext_noop("Usually"),
    gettext_noop("Readily"),
]

READINESS = {
    "family": "readiness",
    "kind": "readiness",
    "title": "Readiness to partner with community power-building organizations",
    "description": (
        "How ready the department is to support organizing groups: leadership, skills, "
        "policies, data practices, and time and money set aside."
    ),
    "scale_labels": AGREEMENT_SCALE,
    "domains": [
        (
            "Leadership support",
            [
                "Our leadership publicly backs partnering with community organizing groups.",
                "Leadership protects staff who support campaigns that challenge the status quo.",
                "Partnership with organizers is in our strategic plan.",
            ],
        ),
        (
            "Staff skills and understanding of power-building",
            [
                "Staff understand the difference between community engagement and building power.",
                "Staff can explain what the department may and may not do to support a campaign.",
                "Staff have had training in relational meetings (one-to-ones).",
            ],
        ),
        (
            "Policies that allow partnership",
            [
                "Our policies let us pay community members for their time and expertise.",
                "Contracting rules let us fund small, grassroots organizations.",
                "We have a written policy on what staff may do in campaigns.",
            ],
        ),
        (
            "Data-sharing practices",
            [
                "Partners can get the data they ask for in a timely way.",
                "We have data-sharing agreements that partners helped shape.",
                "We release data by neighborhood with small numbers protected.",
            ],
        ),
        (
            "Time and money set aside",
            [
                "Staff have protected time for partnership work.",
                "There is a budget line for partnership work that does not depend on one grant.",
            ],
        ),
    ],
}

RISK_TOLERANCE = {
    "family": "risk-tolerance",
    "kind": "risk_tolerance",
    "title": "Risk tolerance for partnership work",
    "description": (
        "The political, legal and reputational exposure the department will accept, and what "
        "it will do when a campaign targets its own elected officials."
    ),
    "scale_labels": ACCEPTANCE_SCALE,
    "domains": [
        (
            "Political exposure",
            [
                "Supporting a campaign that an influential business opposes.",
                "Publishing data that embarrasses another county agency.",
            ],
        ),
        (
            "Legal exposure",
            [
                "Using enforcement powers where a campaign has asked us to.",
                "Sharing partner-collected information that could be requested under records law.",
            ],
        ),
        (
            "Reputational exposure",
            [
                "Being seen as taking sides in a community dispute.",
                "Being criticized in the press for working with organizers.",
            ],
        ),
        (
            "Campaigns that target our own elected officials",
            [
                "Continuing to provide data to a campaign that targets the Board of Supervisors.",
                "Testifying on the evidence at a hearing where our own officials are targeted.",
            ],
        ),
    ],
}

DEFAULT_INSTRUMENTS = [READINESS, RISK_TOLERANCE]


@transaction.atomic
def load_default_instruments() -> list[Instrument]:
    """Create each default instrument family that does not exist yet; returns those created."""
    created = []
    for spec in DEFAULT_INSTRUMENTS:
        if Instrument.objects.filter(family=spec["family"]).exists():
            continue
        instrument = Instrument.objects.create(
            family=spec["family"],
            version=1,
            kind=spec["kind"],
            title=spec["title"],
            description=spec["description"],
            scale_labels=list(spec["scale_labels"]),
        )
        for d, (domain_title, questions) in enumerate(spec["domains"]):
            domain = Domain.objects.create(instrument=instrument, order=d, title=domain_title)
            for q, text in enumerate(questions):
                Question.objects.create(domain=domain, order=q, text=text)
        created.append(instrument)
    return created
