"""Grant programs and their cycles, with what a cycle asks of applicants (questions, documents)
and of reviewers (criteria)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


def bilingual(record: Any, field: str) -> str:
    """A record's text in the active language: the ``<field>_es`` twin in Spanish, if filled."""
    if (translation.get_language() or "en").startswith("es"):
        spanish = getattr(record, f"{field}_es", "")
        if spanish:
            return str(spanish)
    return str(getattr(record, field))


class Program(models.Model):
    """A grant program: why it exists, what pays for it and what those funds may not do."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"))
    purpose_es = models.TextField(_("purpose (Spanish)"), blank=True)
    funding_source = models.CharField(_("funding source"), max_length=300)
    restrictions = models.TextField(
        _("restrictions on the funds"),
        blank=True,
        help_text=_("For example: no lobbying or partisan activity with these funds."),
    )
    restrictions_es = models.TextField(_("restrictions (Spanish)"), blank=True)
    eligibility = models.TextField(_("who may apply"))
    eligibility_es = models.TextField(_("who may apply (Spanish)"), blank=True)
    approval_steps = models.JSONField(
        _("approval chain"),
        default=list,
        blank=True,
        help_text=_("The steps a slate of decisions goes through, in order."),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grant program")
        verbose_name_plural = _("grant programs")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:program", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None


class CycleQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CycleQuerySet:
        """Staff see every cycle; everyone else sees cycles once their call is published."""
        if getattr(user, "is_authenticated", False) and user.is_department:
            return self.all()
        return self.exclude(status=Cycle.Status.DRAFT)


class Cycle(models.Model):
    """One round of a program: the call, its dates and money, questions and rubric."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for applications")
        REVIEW = "review", _("Under review")
        DECIDED = "decided", _("Awarded")
        CLOSED = "closed", _("Closed")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    title_es = models.CharField(_("title (Spanish)"), max_length=200, blank=True)
    call = models.TextField(_("call for applications"))
    call_es = models.TextField(_("call for applications (Spanish)"), blank=True)
    opens = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    decision_date = models.DateField(_("decisions expected"), null=True, blank=True)
    budget = models.DecimalField(_("budget"), **MONEY)
    award_min = models.DecimalField(_("smallest award"), **MONEY)
    award_max = models.DecimalField(_("largest award"), **MONEY)
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=3
    )
    reviewer_cap = models.PositiveSmallIntegerField(_("most applications per reviewer"), default=8)
    stipend_per_review = models.DecimalField(
        _("stipend per review (community reviewers)"), default=Decimal("0"), **MONEY
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("grant cycle")
        verbose_name_plural = _("grant cycles")
        constraints = [
            models.CheckConstraint(
                name="cycle_deadline_after_opening", condition=Q(deadline__gt=models.F("opens"))
            ),
            models.CheckConstraint(
                name="cycle_award_range",
                condition=Q(award_min__gte=0) & Q(award_max__gte=models.F("award_min")),
            ),
            models.CheckConstraint(name="cycle_budget_positive", condition=Q(budget__gt=0)),
            models.CheckConstraint(
                name="cycle_review_numbers",
                condition=Q(reviewers_per_application__gte=1) & Q(reviewer_cap__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("grants:cycle", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None

    @property
    def display_title(self) -> str:
        return bilingual(self, "title")

    @property
    def display_call(self) -> str:
        return bilingual(self, "call")

    def reviews_started(self) -> bool:
        # Through the applications' reviews: the review models import this module.
        return self.applications.filter(reviews__isnull=False).exists()

    @property
    def is_accepting(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens <= now <= self.deadline


class Question(models.Model):
    """A question applicants answer, in English and Spanish."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    text_es = models.CharField(_("question (Spanish)"), max_length=500, blank=True)
    limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def display(self) -> str:
        return bilingual(self, "text")


class RequiredDocument(models.Model):
    """A document every application must attach."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="required_documents")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("document"), max_length=200)
    name_es = models.CharField(_("document (Spanish)"), max_length=200, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def display(self) -> str:
        return bilingual(self, "name")


class Criterion(models.Model):
    """A rubric line: what reviewers judge, on what scale, with what weight."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    name_es = models.CharField(_("criterion (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                name="criterion_scale_order", condition=Q(scale_max__gt=models.F("scale_min"))
            ),
            models.CheckConstraint(name="criterion_weight_positive", condition=Q(weight__gt=0)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display(self) -> str:
        return bilingual(self, "name")

    @property
    def display_description(self) -> str:
        return bilingual(self, "description")
