"""Relationships between people and organizations: their kind and strength."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models.actors import actor_constraints
from partners.models import Organization, Person
from powershare.visibility import Visibility, VisibleQuerySet, visible_q


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
            *actor_constraints("relationship_from", "from_person", "from_organization"),
            *actor_constraints("relationship_to", "to_person", "to_organization"),
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
