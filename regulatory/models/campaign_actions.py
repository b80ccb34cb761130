"""Actions for campaigns: the department using an authority where a campaign needs it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility, VisibleQuerySet, visible_q
from regulatory.models.authorities import STAFF_CHOICES, Authority


class ActionQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> ActionQuerySet:
        """The visibility rules, plus: partners see every action on their own campaigns."""
        q = visible_q(user)
        if getattr(user, "is_authenticated", False) and user.organization_ids:
            q |= Q(campaigns__organization__in=user.organization_ids)
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))


class RegulatoryAction(models.Model):
    """The department using an authority where a campaign needs it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDERWAY = "underway", _("Underway")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="actions", verbose_name=_("authority")
    )
    description = models.TextField(_("description"), blank=True)
    campaigns = models.ManyToManyField(
        "partners.Campaign",
        blank=True,
        related_name="regulatory_actions",
        verbose_name=_("campaigns"),
    )
    asks = models.ManyToManyField(
        "support.Ask", blank=True, related_name="+", verbose_name=_("asks")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    started = models.DateField(_("started"), null=True, blank=True)
    next_date = models.DateField(_("next key date"), null=True, blank=True)
    next_date_label = models.CharField(_("what happens then"), max_length=200, blank=True)
    completed = models.DateField(_("completed"), null=True, blank=True)
    violations_found = models.PositiveIntegerField(_("violations found"), default=0)
    orders_issued = models.PositiveIntegerField(_("orders issued"), default=0)
    fines = models.DecimalField(_("fines (USD)"), max_digits=12, decimal_places=2, default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    # The department's own record; organization stays empty so visibility rules treat it so.
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=STAFF_CHOICES, default=Visibility.DEPARTMENT
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="action_department_or_public",
                condition=Q(visibility__in=["department", "public"]),
            ),
            models.CheckConstraint(name="action_fines_not_negative", condition=Q(fines__gte=0)),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("regulatory:action", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None
