"""The evidence library: studies, reports, health impact assessments, testimony and data briefs,
each with its owner and visibility."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import IssueArea
from powershare.visibility import Visibility, VisibleQuerySet


class EvidenceKind(models.TextChoices):
    STUDY = "study", _("Study")
    REPORT = "report", _("Report")
    HIA = "hia", _("Health impact assessment")
    TESTIMONY = "testimony", _("Testimony")
    DATA_BRIEF = "brief", _("Data brief")
    OTHER = "other", _("Other")


class EvidenceQuerySet(VisibleQuerySet):
    pass


class EvidenceItem(models.Model):
    """A study, report, HIA or testimony, tagged by issue area and linked to campaigns and asks."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    issue_area = models.CharField(_("issue area"), max_length=32, choices=IssueArea.choices)
    authors = models.CharField(_("authors or publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    summary = models.TextField(_("summary"))
    url = models.URLField(_("web address"), blank=True)
    file = models.FileField(_("file"), upload_to="data/evidence/", blank=True)
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_items",
        verbose_name=_("added by organization"),
    )
    campaigns = models.ManyToManyField(
        "partners.Campaign", blank=True, related_name="evidence_items", verbose_name=_("campaigns")
    )
    asks = models.ManyToManyField(
        "support.Ask", blank=True, related_name="evidence_items", verbose_name=_("asks")
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("data:evidence", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id
