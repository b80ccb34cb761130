"""Every change of state in the network: each runs in a transaction and writes the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction

from accounts.models import User
from network.models import (
    MUTUAL_KINDS,
    Assessment,
    Grant,
    Merge,
    Position,
    PowerHolding,
    Relationship,
)
from partners.models import Campaign, Organization, Person, PersonRole
from powershare.audit.log import diff, record, snapshot
from powershare.audit.models import AuditEvent

RELATIONSHIP_FIELDS = [
    "from_person_id",
    "from_organization_id",
    "kind",
    "to_person_id",
    "to_organization_id",
    "mutual",
    "strength",
    "start",
    "end",
    "source",
    "notes",
    "visibility",
]


def owner_for(user: User) -> Organization | None:
    """Whose record a user's entry becomes: the department's for staff, else their organization's."""
    if user.is_department:
        return None
    return Organization.objects.filter(pk__in=user.organization_ids).order_by("pk").first()


def _ends(prefix: str, actor: Person | Organization) -> dict[str, Any]:
    if isinstance(actor, Person):
        return {f"{prefix}_person": actor, f"{prefix}_organization": None}
    return {f"{prefix}_person": None, f"{prefix}_organization": actor}


@transaction.atomic
def create_relationship(
    *,
    actor: User,
    from_actor: Person | Organization,
    to_actor: Person | Organization,
    kind: str,
    organization: Organization | None,
    mutual: bool | None = None,
    **fields: Any,
) -> Relationship:
    """Record a relationship owned by ``organization`` (None: the department's)."""
    relationship = Relationship(
        **_ends("from", from_actor),
        **_ends("to", to_actor),
        kind=kind,
        mutual=kind in MUTUAL_KINDS if mutual is None else mutual,
        organization=organization,
        recorded_by=actor,
        **fields,
    )
    relationship.full_clean()
    relationship.save()
    record(
        actor=actor,
        event="relationship.created",
        target=relationship,
        changes=snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    return relationship


@transaction.atomic
def update_relationship(
    *,
    actor: User,
    relationship: Relationship,
    from_actor: Person | Organization,
    to_actor: Person | Organization,
    **fields: Any,
) -> Relationship:
    """Change a relationship; a change of visibility is logged as its own event too."""
    before = snapshot(relationship, RELATIONSHIP_FIELDS)
    for name, value in {**_ends("from", from_actor), **_ends("to", to_actor), **fields}.items():
        setattr(relationship, name, value)
    relationship.full_clean()
    relationship.save()
    changes = diff(before, snapshot(relationship, RELATIONSHIP_FIELDS))
    if "visibility" in changes:
        record(
            actor=actor,
            event="relationship.visibility_changed",
            target=relationship,
            changes={"visibility": changes["visibility"]},
        )
    if changes:
        record(actor=actor, event="relationship.updated", target=relationship, changes=changes)
    return relationship


@transaction.atomic
def delete_relationship(*, actor: User, relationship: Relationship) -> None:
    """Delete a relationship; the audit log keeps what it was."""
    record(
        actor=actor,
        event="relationship.deleted",
        target=relationship,
        changes=snapshot(relationship, RELATIONSHIP_FIELDS),
    )
    relationship.delete()


# Positions --------------------------------------------------------------------------------


@transaction.atomic
def place_actor(
    *,
    actor: User,
    campaign: Campaign,
    who: Person | Organization,
    tier: str,
    role: str,
    stance: int,
    influence: int,
    assessed_on: date,
    evidence: str,
) -> Position:
    """Put an actor on a campaign's map with a first assessment of stance and influence."""
    position = Position(
        campaign=campaign,
        person=who if isinstance(who, Person) else None,
        actor_organization=who if isinstance(who, Organization) else None,
        tier=tier,
        role=role,
        stance=stance,
        influence=influence,
        assessed_on=assessed_on,
    )
    position.full_clean()
    position.save()
    Assessment.objects.create(
        position=position,
        stance=stance,
        influence=influence,
        assessed_on=assessed_on,
        evidence=evidence,
        judged_by=actor,
    )
    record(
        actor=actor,
        event="position.created",
        target=campaign,
        changes={
            "position": position.pk,
            "actor": str(who),
            "tier": tier,
            "role": role,
            "stance": stance,
            "influence": influence,
            "assessed_on": str(assessed_on),
        },
    )
    return position


@transaction.atomic
def assess_position(
    *,
    actor: User,
    position: Position,
    stance: int,
    influence: int,
    assessed_on: date,
    evidence: str,
    tier: str | None = None,
    role: str | None = None,
) -> Assessment:
    """Record a new judgment of an actor's stance and influence; the newest one is current."""
    assessment = Assessment(
        position=position,
        stance=stance,
        influence=influence,
        assessed_on=assessed_on,
        evidence=evidence,
        judged_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    before = snapshot(position, ["tier", "role", "stance", "influence", "assessed_on"])
    latest = position.assessments.order_by("-assessed_on", "-pk").first()
    if latest is not None:
        position.stance, position.influence = latest.stance, latest.influence
        position.assessed_on = latest.assessed_on
    if tier:
        position.tier = tier
    if role:
        position.role = role
    position.save()
    changes = diff(
        before, snapshot(position, ["tier", "role", "stance", "influence", "assessed_on"])
    )
    record(
        actor=actor,
        event="position.assessed",
        target=position.campaign,
        changes={"position": position.pk, "evidence": evidence, **changes},
    )
    return assessment


@transaction.atomic
def remove_position(*, actor: User, position: Position) -> None:
    """Take an actor off a campaign's map, history included; the audit log keeps it."""
    record(
        actor=actor,
        event="position.deleted",
        target=position.campaign,
        changes={
            "position": position.pk,
            "actor": str(position.actor),
            "history": [
                [str(a.assessed_on), a.stance, a.influence, a.evidence]
                for a in position.assessments.all()
            ],
        },
    )
    position.delete()


# Power inventory and grants ---------------------------------------------------------------


@transaction.atomic
def add_power(
    *,
    actor: User,
    campaign: Campaign,
    who: Person | Organization,
    organization: Organization | None,
    **fields: Any,
) -> PowerHolding:
    """Add a line to a campaign's power inventory."""
    holding = PowerHolding(
        campaign=campaign,
        person=who if isinstance(who, Person) else None,
        actor_organization=who if isinstance(who, Organization) else None,
        organization=organization,
        recorded_by=actor,
        **fields,
    )
    holding.full_clean()
    holding.save()
    record(actor=actor, event="power.created", target=holding, changes=snapshot(holding))
    return holding


@transaction.atomic
def delete_power(*, actor: User, holding: PowerHolding) -> None:
    """Remove a line from a power inventory."""
    record(actor=actor, event="power.deleted", target=holding, changes=snapshot(holding))
    holding.delete()


@transaction.atomic
def record_grant(*, actor: User, organization: Organization | None, **fields: Any) -> Grant:
    """Record a funder's grant to an organization."""
    grant = Grant(organization=organization, recorded_by=actor, **fields)
    grant.full_clean()
    grant.save()
    record(actor=actor, event="grant.created", target=grant, changes=snapshot(grant))
    return grant


@transaction.atomic
def delete_grant(*, actor: User, grant: Grant) -> None:
    """Delete a grant record."""
    record(actor=actor, event="grant.deleted", target=grant, changes=snapshot(grant))
    grant.delete()


# Merging duplicates -----------------------------------------------------------------------


class MergeConflict(Exception):
    """A record linked to the duplicate cannot be moved to the record kept."""


# Links that may simply go when the kept record already has the same one.
DROPPABLE = {PersonRole, Relationship}
# Records whose pointer to an organization is about ownership of the log, not identity.
NOT_MOVED = {AuditEvent, Merge}


def _merge_positions(keep: Person | Organization, drop: Person | Organization) -> None:
    field = "person" if isinstance(drop, Person) else "actor_organization"
    for position in Position.objects.filter(**{field: drop}):
        twin = Position.objects.filter(campaign=position.campaign, **{field: keep}).first()
        if twin is None:
            continue
        # Same campaign on both: one position, with both histories.
        position.assessments.update(position=twin)
        latest = twin.assessments.order_by("-assessed_on", "-pk").first()
        if latest is not None:
            twin.stance, twin.influence, twin.assessed_on = (
                latest.stance,
                latest.influence,
                latest.assessed_on,
            )
            twin.save()
        position.delete()


def _repoint(keep: models.Model, drop: models.Model) -> dict[str, int]:
    """Move everything that points at ``drop`` to ``keep``, across every app."""
    moved: dict[str, int] = {}
    for rel in drop._meta.related_objects:
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            name = rel.field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            model, droppable = through, True
        else:
            model, name, droppable = rel.related_model, rel.field.name, False
        if model in NOT_MOVED:
            continue
        droppable = droppable or model in DROPPABLE
        manager = model._base_manager  # type: ignore[union-attr]
        count = 0
        for pk in list(manager.filter(**{name: drop}).values_list("pk", flat=True)):
            try:
                with transaction.atomic():
                    manager.filter(pk=pk).update(**{name: keep})
                count += 1
            except IntegrityError as error:
                if not droppable:
                    raise MergeConflict(model._meta.verbose_name) from error  # type: ignore[union-attr]
                manager.filter(pk=pk).delete()
        if count:
            moved[model._meta.label_lower] = moved.get(model._meta.label_lower, 0) + count  # type: ignore[union-attr]
    return moved


@transaction.atomic
def merge_records(
    *, actor: User, keep: Person | Organization, drop: Person | Organization
) -> Merge:
    """Merge the duplicate ``drop`` into ``keep``: its links move over, blank contact fields
    are filled from it, the merge is kept in history, and the duplicate is deleted."""
    if type(keep) is not type(drop) or keep.pk == drop.pk:
        raise ValueError("merge needs two different records of one kind")
    is_person = isinstance(keep, Person)
    before = snapshot(drop)
    _merge_positions(keep, drop)
    moved = _repoint(keep, drop)
    contact = ["email", "phone"] if is_person else ["website", "contact_email", "contact_phone"]
    for name in contact:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    if getattr(drop, "high_risk", False):
        keep.high_risk = True  # protection is never lost by merging
    keep.save()
    merge = Merge.objects.create(
        record_type=Merge.RecordType.PERSON if is_person else Merge.RecordType.ORGANIZATION,
        kept_person=keep if isinstance(keep, Person) else None,
        kept_organization=keep if isinstance(keep, Organization) else None,
        merged_name=str(drop),
        merged_id=drop.pk,
        snapshot=before,
        moved=moved,
        organization_id=keep.owning_organization_id(),
        visibility=keep.visibility,
        merged_by=actor,
    )
    record(
        actor=actor,
        event=f"{'person' if is_person else 'organization'}.merged",
        target=keep,
        changes={"merged": before, "moved": moved},
    )
    drop.delete()
    return merge
