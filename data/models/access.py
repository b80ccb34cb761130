"""Who reads what: saved queries, the query log and data-sharing agreements."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from data.models.catalog import Dataset
from powershare.visibility import Visibility, VisibleQuerySet


class SavedQueryQuerySet(VisibleQuerySet):
    pass


class SavedQuery(models.Model):
    """A query a partner (or staff) kept, usually for a campaign; its GET parameters rebuild it."""

    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(default=dict)
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="saved_queries",
        verbose_name=_("organization"),
    )
    campaign = models.ForeignKey(
        "partners.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="saved_queries",
        verbose_name=_("campaign"),
    )
    notes = models.TextField(_("notes"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = SavedQueryQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("saved query")
        verbose_name_plural = _("saved queries")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("data:saved", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id


class AgreementQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> AgreementQuerySet:
        on = on or timezone.localdate()
        return self.filter(start__lte=on, expires__gte=on, revoked=False)


class DataAgreement(models.Model):
    """A data-sharing agreement: grants an organization internal measures of some datasets."""

    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="data_agreements",
        verbose_name=_("organization"),
    )
    title = models.CharField(_("title"), max_length=200)
    parties = models.TextField(_("parties"), help_text=_("Who signed, one a line."))
    datasets = models.ManyToManyField(
        Dataset, related_name="agreements", verbose_name=_("datasets")
    )
    purpose = models.TextField(_("purpose"))
    start = models.DateField(_("starts"))
    expires = models.DateField(_("expires"))
    file = models.FileField(_("signed agreement"), upload_to="data/agreements/", blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-expires"]
        verbose_name = _("data-sharing agreement")
        verbose_name_plural = _("data-sharing agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lte=models.F("expires")), name="data_agreement_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("data:agreement", args=[self.pk])

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return not self.revoked and self.start <= today <= self.expires


class QueryLog(models.Model):
    """One non-public query: who ran which internal measure, when, with what parameters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "partners.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        DataAgreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="queries"
    )
    measure = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    what = models.CharField(max_length=16, default="query")  # query, csv, xlsx, json, factsheet
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.measure} · {self.what} · {self.at:%Y-%m-%d %H:%M}"
