"""Relationships between people and organizations, positions on campaigns, the power
inventory, funders' grants, and the history of merged duplicates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from partners.models import Campaign, IssueArea, Organization, Person
from powershare.visibility import Visibility, VisibleQuerySet, visible_q


def _actor_constraints(prefix: str, person: str, organization: str) -> list[models.BaseConstraint]:
    """Exactly one of a person or an organization on each end."""
    return [
        models.CheckConstraint(
            name=f"{prefix}_one_actor",
            condition=(Q(**{f"{person}__isnull": False}) & Q(**{f"{organization}__isnull": True}))
            | (Q(**{f"{person}__isnull": True}) & Q(**{f"{organization}__isnull": False})),
        )
    ]


def actor_visible_q(user: Any, person: str = "person", organization: str = "organization") -> Q:
    """A filter keeping rows whose person-or-organization end ``user`` may see."""
    return Q(
        **{
            f"{person}__in": Person.objects.visible_to(user).values("pk"),
        }
    ) | Q(**{f"{organization}__in": Organization.objects.visible_to(user).values("pk")})


class ActorMixin:
    """A row that points at one actor: a person or an organization."""

    person: Any
    person_id: int | None
    actor_organization: Any
    actor_organization_id: int | None

    @property
    def actor(self) -> Person | Organization:
        return self.person if self.person_id else self.actor_organization

    @property
    def actor_key(self) -> str:
        return f"p{self.person_id}" if self.person_id else f"o{self.actor_organization_id}"


class Kind(models.TextChoices):
    WORKS_AT = "works_at", _("works at")
    MEMBER_OF = "member_of", _("member of")
    BOARD_MEMBER_OF = "board_member_of", _("board member of")
    FUNDS = "funds", _("funds")
    CONTRACTS_WITH = "contracts_with", _("contracts with")
    REPORTS_TO = "reports_to", _("reports to")
    APPOINTED_BY = "appointed_by", _("appointed by")
    ELECTED_TO = "elected_to", _("elected to")
    ALLY_OF = "ally_of", _("ally of")
    OPPOSES = "opposes", _("opposes")
    FAMILY = "family", _("family")


# Kinds that read the same both ways: "A is an ally of B" means "B is an ally of A".
MUTUAL_KINDS = {Kind.ALLY_OF, Kind.FAMILY}


class Strength(models.IntegerChoices):
    WEAK = 1, _("weak")
    WORKING = 2, _("working")
    STRONG = 3, _("strong")


class RelationshipQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> RelationshipQuerySet:
        """Relationships ``user`` may read whose both ends ``user`` may read too.

        A relationship to a record the user cannot see is left out entirely, so that not
        even its existence shows."""
        people = Person.objects.visible_to(user).values("pk")
        orgs = Organization.objects.visible_to(user).values("pk")
        return self.filter(
            visible_q(user),
            Q(from_person__in=people) | Q(from_organization__in=orgs),
            Q(to_person__in=people) | Q(to_organization__in=orgs),
        )


class Relationship(models.Model):
    """One tie between two actors, as the department or a partner recorded it."""

    from_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships_out"
    )
    from_organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relationships_out",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="relationships_in"
    )
    to_organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relationships_in",
    )
    mutual = models.BooleanField(
        _("goes both ways"),
        default=False,
        help_text=_("Tick when the tie reads the same from either side (allies, family)."),
    )
    strength = models.PositiveSmallIntegerField(
        _("strength"), choices=Strength.choices, default=Strength.WORKING
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("How we know: a meeting, a public record, a news story."),
    )
    notes = models.TextField(_("notes"), blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recorded_relationships",
        verbose_name=_("recorded by organization"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            *_actor_constraints("relationship_from", "from_person", "from_organization"),
            *_actor_constraints("relationship_to", "to_person", "to_organization"),
            models.CheckConstraint(
                name="relationship_ends_after_start",
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
            ),
            models.CheckConstraint(
                name="relationship_strength_1_to_3",
                condition=Q(strength__gte=1, strength__lte=3),
            ),
            models.CheckConstraint(
                name="relationship_not_to_itself",
                condition=~Q(from_person=models.F("to_person"))
                & ~Q(from_organization=models.F("to_organization")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_actor} — {self.get_kind_display()} — {self.target_actor}"

    def get_absolute_url(self) -> str:
        return reverse("network:relationship", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id

    @property
    def source_actor(self) -> Person | Organization:
        return self.from_person if self.from_person_id else self.from_organization  # type: ignore[return-value]

    @property
    def target_actor(self) -> Person | Organization:
        return self.to_person if self.to_person_id else self.to_organization  # type: ignore[return-value]

    @property
    def source_key(self) -> str:
        return f"p{self.from_person_id}" if self.from_person_id else f"o{self.from_organization_id}"

    @property
    def target_key(self) -> str:
        return f"p{self.to_person_id}" if self.to_person_id else f"o{self.to_organization_id}"

    def recorder_label(self) -> str:
        """Who recorded it: the partner organization, or the department."""
        return self.organization.name if self.organization_id else str(_("the department"))


class Stance(models.IntegerChoices):
    STRONG_OPPONENT = -2, _("strong opponent")
    OPPONENT = -1, _("opponent")
    NEUTRAL = 0, _("neutral or unknown")
    SUPPORTER = 1, _("supporter")
    STRONG_SUPPORTER = 2, _("strong supporter")


class Influence(models.IntegerChoices):
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class PositionQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PositionQuerySet:
        """Positions on campaigns ``user`` may read, about actors ``user`` may read."""
        return self.filter(
            campaign__in=Campaign.objects.visible_to(user).values("pk"),
        ).filter(actor_visible_q(user, "person", "actor_organization"))


class Position(ActorMixin, models.Model):
    """Where an actor stands on a campaign's demand and how much they sway the decision.

    The current stance and influence are kept here; every judgment of them, with its date,
    evidence and judge, is an :class:`Assessment`, so the map shows movement over time."""

    class Tier(models.TextChoices):
        PRIMARY = "primary", _("Primary target: decides")
        SECONDARY = "secondary", _("Secondary target: influences the decision")
        NONE = "none", _("Not a target")

    class Role(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision-maker")
        ALLY = "ally", _("Ally")
        OPPOSITION = "opposition", _("Opposition")
        UNORGANIZED = "unorganized", _("Not yet organized")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="positions")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="positions"
    )
    actor_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="positions"
    )
    tier = models.CharField(_("target"), max_length=16, choices=Tier.choices, default=Tier.NONE)
    role = models.CharField(_("place on the map"), max_length=16, choices=Role.choices)
    stance = models.SmallIntegerField(_("stance"), choices=Stance.choices, default=Stance.NEUTRAL)
    influence = models.PositiveSmallIntegerField(
        _("influence over the decision"), choices=Influence.choices, default=Influence.MEDIUM
    )
    assessed_on = models.DateField(_("date"))
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-influence", "stance", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            *_actor_constraints("position", "person", "actor_organization"),
            models.UniqueConstraint(
                fields=["campaign", "person"],
                condition=Q(person__isnull=False),
                name="one_position_per_person",
            ),
            models.UniqueConstraint(
                fields=["campaign", "actor_organization"],
                condition=Q(actor_organization__isnull=False),
                name="one_position_per_organization",
            ),
            models.CheckConstraint(
                name="position_stance_range", condition=Q(stance__gte=-2, stance__lte=2)
            ),
            models.CheckConstraint(
                name="position_influence_range", condition=Q(influence__gte=1, influence__lte=3)
            ),
        ]

    def __str__(self) -> str:
        return str(self.actor)

    def get_absolute_url(self) -> str:
        return reverse("network:position", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.campaign.organization_id

    @property
    def visibility(self) -> str:
        return self.campaign.visibility


class Assessment(models.Model):
    """One judgment of an actor's stance and influence, with its evidence: the position history."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="assessments")
    stance = models.SmallIntegerField(_("stance"), choices=Stance.choices)
    influence = models.PositiveSmallIntegerField(
        _("influence over the decision"), choices=Influence.choices
    )
    assessed_on = models.DateField(_("date"))
    evidence = models.TextField(_("evidence"))
    judged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("judged by"),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="assessment_stance_range", condition=Q(stance__gte=-2, stance__lte=2)
            ),
            models.CheckConstraint(
                name="assessment_influence_range",
                condition=Q(influence__gte=1, influence__lte=3),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on}: {self.get_stance_display()}, {self.get_influence_display()}"


class PowerKind(models.TextChoices):
    PEOPLE = "people", _("People power")
    ALLIANCES = "alliances", _("Alliances")
    NARRATIVE = "narrative", _("Narrative")
    GOVERNANCE = "governance", _("Governance")
    ECONOMIC = "economic", _("Economic")


class PowerForm(models.TextChoices):
    VISIBLE = "visible", _("Visible: formal decisions and rules")
    HIDDEN = "hidden", _("Hidden: who sets the agenda")
    INVISIBLE = "invisible", _("Invisible: beliefs and norms")


class PowerHoldingQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> PowerHoldingQuerySet:
        """Entries ``user`` may read, on campaigns and about actors ``user`` may read."""
        return self.filter(
            visible_q(user),
            campaign__in=Campaign.objects.visible_to(user).values("pk"),
        ).filter(actor_visible_q(user, "person", "actor_organization"))


class PowerHolding(ActorMixin, models.Model):
    """One line of a campaign's power inventory: a kind of power an actor holds."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="power")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="power"
    )
    actor_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="power"
    )
    kind = models.CharField(_("kind of power"), max_length=16, choices=PowerKind.choices)
    form = models.CharField(_("form of power"), max_length=16, choices=PowerForm.choices)
    description = models.TextField(_("what it is and how it is used"))
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recorded_power",
        verbose_name=_("recorded by organization"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = PowerHoldingQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [*_actor_constraints("power", "person", "actor_organization")]

    def __str__(self) -> str:
        return f"{self.actor}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("network:campaign", args=[self.campaign_id])

    def owning_organization_id(self) -> int | None:
        return self.organization_id


class GrantQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> GrantQuerySet:
        """Grants ``user`` may read between funders and grantees ``user`` may read."""
        orgs = Organization.objects.visible_to(user).values("pk")
        return self.filter(visible_q(user), funder__in=orgs, grantee__in=orgs)


class Grant(models.Model):
    """Money a funder gave an organization, for an issue area."""

    funder = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="grants_made",
        limit_choices_to={"kind": Organization.Kind.FUNDER},
        verbose_name=_("funder"),
    )
    grantee = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="grants_received",
        verbose_name=_("grantee"),
    )
    issue_area = models.CharField(_("issue area"), max_length=32, choices=IssueArea.choices)
    amount = models.DecimalField(
        _("amount (dollars)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="recorded_grants",
        verbose_name=_("recorded by organization"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.DEPARTMENT
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "funder__name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="grant_amount_not_negative",
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
            ),
            models.CheckConstraint(
                name="grant_year_plausible", condition=Q(year__gte=1900, year__lte=2200)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} → {self.grantee} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("network:funder", args=[self.funder_id])

    def owning_organization_id(self) -> int | None:
        return self.organization_id


class MergeQuerySet(VisibleQuerySet):
    pass


class Merge(models.Model):
    """The history of a duplicate merged into another record: what it was, and who merged it."""

    class RecordType(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")

    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    kept_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="merges"
    )
    kept_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="merges"
    )
    merged_name = models.CharField(_("merged record"), max_length=200)
    merged_id = models.PositiveIntegerField()
    snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(max_length=16, choices=Visibility.choices)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [*_actor_constraints("merge_kept", "kept_person", "kept_organization")]

    def __str__(self) -> str:
        return self.merged_name

    def owning_organization_id(self) -> int | None:
        return self.organization_id
