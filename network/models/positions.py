"""Positions on campaigns: where an actor stands and how much influence they have, with the
history of judgments (assessments) and their evidence."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models.actors import ActorMixin, actor_constraints, actor_visible_q
from partners.models import Campaign, Organization, Person


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
            *actor_constraints("position", "person", "actor_organization"),
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
