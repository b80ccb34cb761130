"""The power inventory (a kind of power an actor holds, in what form) and funders' grants."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models.actors import ActorMixin, actor_constraints, actor_visible_q
from partners.models import Campaign, IssueArea, Organization, Person
from powershare.visibility import Visibility, VisibleQuerySet, visible_q


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
        constraints = [*actor_constraints("power", "person", "actor_organization")]

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
