"""Importing actors and relationships from CSV: a dry run that says what would be created,
merged or rejected and why, and a real run that writes all of it or nothing.

One row is one relationship (``from_*``, ``kind``, ``to_*``) or, with ``kind`` and ``to_*``
empty, one actor. An actor matching a record the importer may see (same email, website or
name) is merged into it; one that only looks similar is created and flagged for review.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from network import actions
from network.duplicates import Candidate, match, normalize_email, normalize_name, normalize_site
from network.models import MUTUAL_KINDS, Kind, Relationship, Strength
from partners import actions as partner_actions
from partners.models import Organization, Person
from partners.rules import contact_value
from powershare.audit.log import record

COLUMNS = [
    "from_name",
    "from_type",
    "from_email",
    "from_website",
    "kind",
    "to_name",
    "to_type",
    "to_email",
    "to_website",
    "strength",
    "start",
    "end",
    "source",
]
REQUIRED = {"from_name", "from_type"}
MAX_ROWS = 5000
PERSON = "person"
ORG_TYPES = {
    "organization": Organization.Kind.NONPROFIT,
    **{k: k for k in Organization.Kind.values},
}
STRENGTHS = {"weak": 1, "working": 2, "strong": 3, "1": 1, "2": 2, "3": 3}


class ImportError_(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class ActorPlan:
    """What happens to one actor named in the file."""

    name: str
    type: str
    email: str = ""
    website: str = ""
    outcome: str = "create"  # create | merge
    existing: Person | Organization | None = None
    reason: str = ""
    similar: list[str] = field(default_factory=list)
    made: Person | Organization | None = None

    @property
    def label(self) -> str:
        return str(self.existing) if self.existing is not None else self.name


@dataclass
class RowPlan:
    line: int
    outcome: str  # create | merge | reject | actor
    source: ActorPlan | None = None
    target: ActorPlan | None = None
    kind: str = ""
    strength: int = 2
    start: date | None = None
    end: date | None = None
    source_text: str = ""
    reasons: list[str] = field(default_factory=list)

    def kind_label(self) -> str:
        return str(Kind(self.kind).label) if self.kind in Kind.values else ""

    def strength_label(self) -> str:
        return str(Strength(self.strength).label)


@dataclass
class Plan:
    rows: list[RowPlan]
    actors: list[ActorPlan]

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def actors_created(self) -> list[ActorPlan]:
        return [a for a in self.actors if a.outcome == "create"]

    @property
    def actors_merged(self) -> list[ActorPlan]:
        return [a for a in self.actors if a.outcome == "merge"]

    @property
    def rejected(self) -> list[RowPlan]:
        return [r for r in self.rows if r.outcome == "reject"]

    @property
    def to_write(self) -> bool:
        return bool(self.actors_created) or any(r.outcome == "create" for r in self.rows)


def read_rows(text: str) -> list[dict[str, str]]:
    """The CSV's rows as dictionaries; refuses a file without the required columns."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = REQUIRED - set(header)
    if missing:
        raise ImportError_(
            _("The file has no %(columns)s column. The first line must name the columns: %(all)s.")
            % {"columns": ", ".join(sorted(missing)), "all": ", ".join(COLUMNS)}
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append({k: (v or "").strip() for k, v in row.items() if k})
        if len(rows) > MAX_ROWS:
            raise ImportError_(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
    if not rows:
        raise ImportError_(_("The file has no rows under its header."))
    return rows


class Resolver:
    """Finds each actor of the file among the records the importer may see, or plans it."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.people = [
            Candidate(f"p{p.pk}", p.name, contact_value(user, p, "email"), "", p)
            for p in Person.objects.visible_to(user)
        ]
        self.orgs = [
            Candidate(f"o{o.pk}", o.name, contact_value(user, o, "contact_email"), o.website, o)
            for o in Organization.objects.visible_to(user)
        ]
        self.planned: list[ActorPlan] = []

    def resolve(
        self, name: str, type_: str, email: str, website: str
    ) -> tuple[ActorPlan | None, str]:
        """The plan for one actor reference, or None and why it is refused."""
        type_ = type_.lower()
        if type_ != PERSON and type_ not in ORG_TYPES:
            return None, _(
                "type “%(type)s” is not person, organization or an organization kind"
            ) % {"type": type_}
        if not name:
            return None, _("the name is empty")
        if len(name) > 200:
            return None, _("the name is longer than 200 characters")
        is_person = type_ == PERSON
        for plan in self.planned:  # an actor named twice in the file is one actor
            if (plan.type == PERSON) != is_person:
                continue
            if (
                (email and normalize_email(plan.email) == normalize_email(email))
                or (website and normalize_site(plan.website) == normalize_site(website))
                or normalize_name(plan.name) == normalize_name(name)
            ):
                return plan, ""
        found = match(name, email, website, self.people if is_person else self.orgs)
        exact = [m for m in found if m.exact]
        plan = ActorPlan(
            name=name, type=PERSON if is_person else ORG_TYPES[type_], email=email, website=website
        )
        if exact:
            plan.outcome, plan.existing = "merge", exact[0].candidate.record
            plan.reason = _("matches %(name)s (%(reason)s)") % {
                "name": exact[0].candidate.name,
                "reason": exact[0].reason,
            }
        else:
            if not is_person and not self.user.is_department:
                return None, _(
                    "%(name)s is not in the organization directory; department staff add "
                    "organizations, so ask your liaison or record it as a person"
                ) % {"name": name}
            if not is_person and Organization.objects.filter(name__iexact=name).exists():
                return None, _("an organization named %(name)s cannot be created here") % {
                    "name": name
                }
            plan.similar = [m.candidate.name for m in found]
            if plan.similar:
                plan.reason = _(
                    "looks like %(names)s: review it on the duplicates page after import"
                ) % {"names": ", ".join(plan.similar)}
        self.planned.append(plan)
        return plan, ""


def _date(value: str, column: str, reasons: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        reasons.append(
            _("%(column)s “%(value)s” is not a date like 2024-05-31")
            % {"column": column, "value": value}
        )
        return None


def plan_import(user: User, text: str) -> Plan:
    """What importing ``text`` would do, without writing anything."""
    rows = read_rows(text)
    resolver = Resolver(user)
    owner = actions.owner_for(user)
    plans: list[RowPlan] = []
    seen: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows, start=2):
        reasons: list[str] = []
        plan = RowPlan(line=number, outcome="reject", reasons=reasons)
        plans.append(plan)
        source, why = resolver.resolve(
            row.get("from_name", ""),
            row.get("from_type", ""),
            row.get("from_email", ""),
            row.get("from_website", ""),
        )
        if source is None:
            reasons.append(_("from: %(why)s") % {"why": why})
        plan.source = source
        kind = row.get("kind", "").lower().replace(" ", "_")
        has_target = any(row.get(c) for c in ("to_name", "to_type", "to_email", "to_website"))
        if not kind and not has_target:
            if not reasons:
                plan.outcome = "actor"
            continue
        if kind not in Kind.values:
            reasons.append(
                _("kind “%(kind)s” is not one of: %(kinds)s")
                % {"kind": row.get("kind", ""), "kinds": ", ".join(Kind.values)}
            )
        target, why = resolver.resolve(
            row.get("to_name", ""),
            row.get("to_type", ""),
            row.get("to_email", ""),
            row.get("to_website", ""),
        )
        if target is None:
            reasons.append(_("to: %(why)s") % {"why": why})
        plan.target, plan.kind = target, kind
        strength = row.get("strength", "").lower() or "working"
        if strength not in STRENGTHS:
            reasons.append(
                _("strength “%(value)s” is not weak, working or strong") % {"value": strength}
            )
        else:
            plan.strength = STRENGTHS[strength]
        plan.start = _date(row.get("start", ""), "start", reasons)
        plan.end = _date(row.get("end", ""), "end", reasons)
        if plan.start and plan.end and plan.end < plan.start:
            reasons.append(_("end is before start"))
        plan.source_text = row.get("source", "")[:300]
        if source is not None and target is not None and source is target:
            reasons.append(_("a relationship needs two different actors"))
        if reasons:
            continue
        assert source is not None and target is not None
        key = (_plan_key(source), kind, _plan_key(target))
        if key in seen or _already_recorded(user, owner, source, kind, target):
            plan.outcome = "merge"
            reasons.append(_("already recorded: kept once"))
            continue
        seen.add(key)
        plan.outcome = "create"
    return Plan(rows=plans, actors=resolver.planned)


def _plan_key(plan: ActorPlan) -> str:
    if plan.existing is not None:
        return f"{'p' if isinstance(plan.existing, Person) else 'o'}{plan.existing.pk}"
    return f"new:{id(plan)}"


def _already_recorded(
    user: User, owner: Organization | None, source: ActorPlan, kind: str, target: ActorPlan
) -> bool:
    if source.existing is None or target.existing is None:
        return False
    ends = {}
    for prefix, plan in (("from", source), ("to", target)):
        is_person = isinstance(plan.existing, Person)
        ends[f"{prefix}_person"] = plan.existing if is_person else None
        ends[f"{prefix}_organization"] = None if is_person else plan.existing
    return (
        Relationship.objects.visible_to(user).filter(kind=kind, organization=owner, **ends).exists()
    )


@transaction.atomic
def run_import(*, actor: User, text: str, visibility: str) -> Plan:
    """Import ``text`` for real: every planned actor and relationship, or nothing at all.

    Rejected rows are skipped (the dry run listed them); the rest is written in one
    transaction, so an error halfway leaves nothing behind."""
    plan = plan_import(actor, text)
    owner = actions.owner_for(actor)
    for item in plan.actors_created:
        if item.type == PERSON:
            item.made = partner_actions.save_person(
                actor=actor,
                organization=owner,
                name=item.name,
                email=item.email,
                visibility=visibility,
            )
        else:
            from powershare.visibility import STAFF_VISIBILITIES

            item.made = partner_actions.create_organization(
                actor=actor,
                kind=item.type,
                name=item.name,
                website=item.website,
                contact_email=item.email,
                visibility=visibility if visibility in STAFF_VISIBILITIES else "department",
            )
    for row in plan.rows:
        if row.outcome != "create":
            continue
        assert row.source is not None and row.target is not None
        source = row.source.existing or row.source.made
        target = row.target.existing or row.target.made
        assert source is not None and target is not None
        actions.create_relationship(
            actor=actor,
            from_actor=source,
            to_actor=target,
            kind=row.kind,
            organization=owner,
            mutual=row.kind in MUTUAL_KINDS,
            strength=row.strength,
            start=row.start,
            end=row.end,
            source=row.source_text,
            visibility=visibility,
        )
    record(
        actor=actor,
        event="network.imported",
        target=owner or actor,
        changes={
            "actors_created": len(plan.actors_created),
            "actors_merged": len(plan.actors_merged),
            "relationships_created": plan.count("create"),
            "rows_rejected": len(plan.rejected),
        },
    )
    return plan
