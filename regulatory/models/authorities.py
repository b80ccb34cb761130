"""The department's authorities: the legal powers it holds (an inspection program, a permit,
an order)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility

STAFF_CHOICES = [(v.value, v.label) for v in (Visibility.DEPARTMENT, Visibility.PUBLIC)]


class Authority(models.Model):
    """A legal power the department holds: an inspection program, a permit, an order..."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        PERMIT = "permit", _("Permit or licence")
        ORDER = "order", _("Health officer order")
        RULEMAKING = "rulemaking", _("Rulemaking")
        ENFORCEMENT = "enforcement", _("Enforcement")
        NUISANCE = "nuisance", _("Nuisance abatement")
        ENVIRONMENTAL_REVIEW = "environmental_review", _("Environmental review comment")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        help_text=_("The citation, e.g. Health and Safety Code § 17961"),
    )
    unit = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="authorities",
        limit_choices_to={"kind": "unit"},
        verbose_name=_("unit that holds it"),
    )
    can_require = models.TextField(_("what it can require"))
    typical_timeline = models.CharField(_("typical timeline"), max_length=200, blank=True)
    description = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("authorities")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regulatory:authority", args=[self.pk])
