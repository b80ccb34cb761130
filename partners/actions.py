"""Every change of state in partners: each runs in a transaction and writes the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partners.models import (
    Agreement,
    Campaign,
    Milestone,
    Organization,
    Partnership,
    PartnershipRating,
    Person,
    RelationalMeeting,
)
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_new_document

CAMPAIGN_FIELDS = [
    "title",
    "issue_area",
    "goal",
    "demands",
    "geography",
    "status",
    "start",
    "end",
    "visibility",
]


def _save_m2m(instance: Any, m2m: dict[str, Any] | None) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name, values in (m2m or {}).items():
        manager = getattr(instance, name)
        old = sorted(manager.values_list("pk", flat=True))
        manager.set(values)
        new = sorted(manager.values_list("pk", flat=True))
        if old != new:
            changes[name] = [old, new]
    return changes


@transaction.atomic
def create_campaign(
    *, actor: User, organization: Organization, m2m: dict[str, Any] | None = None, **fields: Any
) -> Campaign:
    """Create a campaign owned by ``organization``."""
    campaign = Campaign.objects.create(organization=organization, **fields)
    _save_m2m(campaign, m2m)
    record(actor=actor, event="campaign.created", target=campaign, changes=snapshot(campaign))
    return campaign


@transaction.atomic
def update_campaign(
    *, actor: User, campaign: Campaign, m2m: dict[str, Any] | None = None, **fields: Any
) -> Campaign:
    """Change a campaign; visibility changes are logged as their own event too."""
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    changes: dict[str, Any] = diff(before, snapshot(campaign, CAMPAIGN_FIELDS))
    changes.update(_save_m2m(campaign, m2m))
    if "visibility" in changes:
        record(
            actor=actor,
            event="campaign.visibility_changed",
            target=campaign,
            changes={"visibility": changes["visibility"]},
        )
    if changes:
        record(actor=actor, event="campaign.updated", target=campaign, changes=changes)
    return campaign


@transaction.atomic
def delete_campaign(*, actor: User, campaign: Campaign) -> None:
    """Delete a campaign and its milestones; the audit log keeps what it was."""
    record(actor=actor, event="campaign.deleted", target=campaign, changes=snapshot(campaign))
    campaign.delete()


@transaction.atomic
def add_milestone(*, actor: User, campaign: Campaign, **fields: Any) -> Milestone:
    """Add a dated milestone or win to a campaign."""
    milestone = Milestone.objects.create(campaign=campaign, **fields)
    record(
        actor=actor,
        event="campaign.milestone_added",
        target=campaign,
        changes={"milestone": snapshot(milestone, ["date", "kind", "title"])},
    )
    return milestone


@transaction.atomic
def delete_milestone(*, actor: User, milestone: Milestone) -> None:
    """Remove a milestone from its campaign."""
    record(
        actor=actor,
        event="campaign.milestone_deleted",
        target=milestone.campaign,
        changes={"milestone": snapshot(milestone, ["date", "kind", "title"])},
    )
    milestone.delete()


ORGANIZATION_FIELDS = [
    "kind",
    "name",
    "mission",
    "issue_areas",
    "geographies",
    "constituencies",
    "languages",
    "base_size",
    "organizing_approach",
    "website",
    "contact_email",
    "contact_phone",
    "high_risk",
    "visibility",
]


@transaction.atomic
def create_organization(*, actor: User, **fields: Any) -> Organization:
    """Add an organization to the directory."""
    organization = Organization.objects.create(**fields)
    record(
        actor=actor,
        event="organization.created",
        target=organization,
        changes=snapshot(organization, ORGANIZATION_FIELDS),
    )
    return organization


@transaction.atomic
def update_organization(*, actor: User, organization: Organization, **fields: Any) -> Organization:
    """Change an organization's profile."""
    before = snapshot(organization, ORGANIZATION_FIELDS)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.save()
    changes = diff(before, snapshot(organization, ORGANIZATION_FIELDS))
    if "visibility" in changes:
        record(
            actor=actor,
            event="organization.visibility_changed",
            target=organization,
            changes={"visibility": changes["visibility"]},
        )
    if changes:
        record(actor=actor, event="organization.updated", target=organization, changes=changes)
    return organization


PERSON_FIELDS = ["name", "email", "phone", "notes", "high_risk", "visibility"]


@transaction.atomic
def save_person(
    *,
    actor: User,
    person: Person | None = None,
    organization: Organization | None = None,
    roles: list[tuple[Organization, str]] | None = None,
    **fields: Any,
) -> Person:
    """Create or change a person, and set their roles at organizations when given."""
    from partners.models import PersonRole

    creating = person is None
    record_ = person if person is not None else Person(organization=organization)
    before = {} if creating else snapshot(record_, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(record_, name, value)
    record_.save()
    if roles is not None:
        record_.roles.all().delete()
        for org, title in roles:
            PersonRole.objects.create(person=record_, organization=org, title=title)
    person = record_
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if not creating and "visibility" in changes:
        record(
            actor=actor,
            event="person.visibility_changed",
            target=person,
            changes={"visibility": changes["visibility"]},
        )
    record(
        actor=actor,
        event="person.created" if creating else "person.updated",
        target=person,
        changes=changes,
    )
    return person


@transaction.atomic
def delete_person(*, actor: User, person: Person) -> None:
    """Delete a person record."""
    record(actor=actor, event="person.deleted", target=person, changes=snapshot(person))
    person.delete()


@transaction.atomic
def create_partnership(
    *,
    actor: User,
    unit: Organization,
    cpbo: Organization,
    liaisons: list[User],
    decision_rights: str = "",
    started: date | None = None,
) -> Partnership:
    """Open a partnership between a department unit and a CPBO."""
    partnership = Partnership.objects.create(
        unit=unit, cpbo=cpbo, decision_rights=decision_rights, started=started
    )
    partnership.liaisons.set(liaisons)
    record(
        actor=actor,
        event="partnership.created",
        target=partnership,
        changes={"liaisons": [u.pk for u in liaisons], "decision_rights": decision_rights},
    )
    return partnership


@transaction.atomic
def update_partnership(
    *,
    actor: User,
    partnership: Partnership,
    liaisons: list[User],
    decision_rights: str,
    started: date | None,
) -> Partnership:
    """Change a partnership's liaisons and the decision rights it gives the partner."""
    before = snapshot(partnership, ["decision_rights", "started"])
    before["liaisons"] = sorted(partnership.liaisons.values_list("pk", flat=True))
    partnership.decision_rights = decision_rights
    partnership.started = started
    partnership.save()
    partnership.liaisons.set(liaisons)
    after = snapshot(partnership, ["decision_rights", "started"])
    after["liaisons"] = sorted(u.pk for u in liaisons)
    changes = diff(before, after)
    if changes:
        record(actor=actor, event="partnership.updated", target=partnership, changes=changes)
    return partnership


@transaction.atomic
def rate_partnership(
    *,
    actor: User,
    partnership: Partnership,
    side: str,
    level: int,
    reason: str,
    rated_on: date | None = None,
) -> PartnershipRating:
    """Record one side's rating of the partnership on the engagement spectrum."""
    rating = PartnershipRating.objects.create(
        partnership=partnership,
        side=side,
        level=level,
        reason=reason,
        rated_on=rated_on or timezone.localdate(),
        rated_by=actor,
    )
    record(
        actor=actor,
        event="partnership.rated",
        target=partnership,
        changes={"side": side, "level": level, "reason": reason},
    )
    return rating


@transaction.atomic
def add_agreement(*, actor: User, partnership: Partnership, **fields: Any) -> Agreement:
    """Attach an MOU or data-sharing agreement to a partnership."""
    check_new_document(fields.get("file"))
    agreement = Agreement(partnership=partnership, **fields)
    agreement.full_clean()
    agreement.save()
    record(
        actor=actor,
        event="partnership.agreement_added",
        target=partnership,
        changes=snapshot(agreement, ["kind", "title", "start", "expiry", "file"]),
    )
    return agreement


@transaction.atomic
def record_meeting(
    *,
    actor: User,
    partnership: Partnership,
    staff: list[User],
    people: list[Person],
    **fields: Any,
) -> RelationalMeeting:
    """Record a one-to-one; interests are kept only when the partner opted in."""
    if not fields.get("partner_opted_in"):
        fields["interests"] = ""
        fields["self_interest"] = ""
    meeting = RelationalMeeting.objects.create(partnership=partnership, recorded_by=actor, **fields)
    meeting.staff.set(staff)
    meeting.people.set(people)
    record(
        actor=actor,
        event="partnership.meeting_recorded",
        target=partnership,
        changes=snapshot(meeting, ["date", "purpose", "shared_with_partner"]),
    )
    return meeting
