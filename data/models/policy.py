"""The department's suppression policy: the setting in force, the changes proposed to it (each
waiting for a second department admin), and every policy applied kept as a numbered version."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PolicySetting(models.Model):
    """The department's disclosure rules; one row, edited by department admins."""

    METHODS = [
        (
            "suppression",
            _("Protected release: one protection of each fixed table set (recommended)"),
        ),
        (
            "perturbation",
            _(
                "Cell key perturbation: every count carries a small fixed noise; custom areas "
                "allowed"
            ),
        ),
        (
            "per_query",
            _(
                "Per query (weaker: subtracting one query from another can reveal hidden "
                "counts; custom areas allowed)"
            ),
        ),
    ]

    method = models.CharField(
        _("protection method"),
        max_length=20,
        choices=METHODS,
        default="suppression",
        help_text=_(
            "A protected release hides cells of each measure's whole table set (every level, "
            "stratum and total at once), so no table can be subtracted from another to find a "
            "hidden count. Custom areas and other age groups are then not released."
        ),
    )
    age_groups = models.CharField(
        _("age groups of every release"),
        max_length=120,
        default="0-4,5-17,18-44,45-64,65+",
        help_text=_(
            "Tables by age use these groups, and adjusted rates are adjusted over them, e.g. "
            "0-4,5-17,18-44,45-64,65+. Choose once: other groupings could be subtracted from them."
        ),
    )

    released_levels = models.CharField(
        _("released geography levels"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated levels, e.g. neighborhood,council_district,county; blank: every "
            "level. Fine levels such as tracts split each count thinly, so protecting them "
            "hides most of their cells and many above them."
        ),
    )
    release_strata = models.CharField(
        _("strata of the release"),
        max_length=60,
        default="race,age_group",
        help_text=_(
            "Tables by these are released, alone and together: race, sex, age_group. Each one "
            "added multiplies the cells, and the hidden ones."
        ),
    )
    min_count = models.PositiveIntegerField(
        _("smallest count shown"),
        default=11,
        validators=[MinValueValidator(1)],
        help_text=_("Counts below this are hidden (11 hides 1 to 10)."),
    )
    suppress_zero = models.BooleanField(_("also hide zero counts"), default=False)
    min_population = models.PositiveIntegerField(
        _("smallest population for a rate"),
        default=100,
        help_text=_("Rates for fewer person-years are hidden."),
    )
    custom_area_min_population = models.PositiveIntegerField(
        _("smallest custom area (residents)"),
        default=5000,
        help_text=_(
            "Custom areas with fewer residents, or that differ from an area already released "
            "by fewer residents, are refused."
        ),
    )
    complementary = models.BooleanField(
        _("complementary suppression"),
        default=True,
        help_text=_("Hide further cells so that a hidden number can't be worked out from totals."),
    )
    year_block = models.PositiveIntegerField(
        _("years per release"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "1 releases single years; 3 releases only fixed three-year blocks (2021–2023, "
            "2024–2026). Never both, so no year can be found by subtracting one table from "
            "another. Choose once: changing it after release lets old and new tables be "
            "subtracted."
        ),
    )
    year_origin = models.PositiveIntegerField(
        _("first year of the first block"),
        default=2000,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    perturbation_max_noise = models.PositiveIntegerField(
        _("largest noise added to a count"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Under cell key perturbation: no count moves by more than this."),
    )
    perturbation_variance = models.FloatField(
        _("variance of the noise"),
        default=2.0,
        validators=[MinValueValidator(0.1)],
        help_text=_(
            "Under cell key perturbation: how widely counts move (at most the largest noise "
            "squared)."
        ),
    )
    perturbation_small = models.PositiveIntegerField(
        _("counts never published"),
        default=2,
        help_text=_(
            "Under cell key perturbation: counts from 1 to this are never shown; such a cell "
            "shows 0 or a larger count."
        ),
    )
    max_rows = models.PositiveIntegerField(_("largest table (rows)"), default=20_000)
    unreliable_count = models.PositiveIntegerField(
        _("unreliable under this many events"), default=20
    )
    unreliable_rse = models.FloatField(
        _("unreliable at this relative standard error (%)"),
        default=30.0,
        validators=[MinValueValidator(0)],
    )
    EMPTY_AGE_GROUPS = [
        ("refuse", _("Leave the age-adjusted rate out, naming the age groups (recommended)")),
        ("renormalize", _("Spread the standard's weights over the age groups with population")),
    ]
    empty_age_groups = models.CharField(
        _("age groups without population"),
        max_length=12,
        choices=EMPTY_AGE_GROUPS,
        default="refuse",
        help_text=_(
            "When an age group of an area has no residents, its age-adjusted rate can't use the "
            "standard's weight for that group. Leaving the rate out is what PHE's methods do; "
            "spreading the weights over the other groups gives a rate for a different age mix, "
            "and the table says so."
        ),
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    ENGINE_FIELDS = [
        "method",
        "age_groups",
        "released_levels",
        "release_strata",
        "min_count",
        "suppress_zero",
        "min_population",
        "custom_area_min_population",
        "complementary",
        "year_block",
        "year_origin",
        "perturbation_max_noise",
        "perturbation_variance",
        "perturbation_small",
        "max_rows",
        "unreliable_count",
        "unreliable_rse",
        "empty_age_groups",
    ]

    class Meta:
        verbose_name = _("suppression policy")
        constraints = [
            models.CheckConstraint(condition=Q(min_count__gte=1), name="data_policy_min_count"),
            models.CheckConstraint(
                condition=Q(year_block__gte=1, year_block__lte=10), name="data_policy_year_block"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Suppression policy"))

    @classmethod
    def current(cls) -> PolicySetting:
        policy = cls.objects.order_by("pk").first()
        return policy or cls.objects.create()

    def engine_fields(self) -> dict[str, Any]:
        fields = {name: getattr(self, name) for name in self.ENGINE_FIELDS}
        fields["method"] = "internal" if self.method == "per_query" else self.method
        levels = [v.strip() for v in fields.pop("released_levels").split(",") if v.strip()]
        fields["allowed_levels"] = tuple(levels) or None
        fields["release_strata"] = tuple(
            v.strip() for v in fields["release_strata"].split(",") if v.strip()
        )
        return fields


class PolicyChange(models.Model):
    """A department admin's proposed change to the policy; another admin approves or rejects it,
    or the proposer withdraws it. Only one is pending at a time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second administrator")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Preview(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Comparing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # Every engine field as proposed, and the policy it was proposed against (to refuse an
    # approval after the policy moved under it).
    fields = models.JSONField(default=dict)
    base = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)  # {field: [now, proposed]}
    reason = models.TextField(_("why this change"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    # What the change would do to the published tables (data.policy_impact), filled in the
    # background after the proposal.
    preview = models.JSONField(default=dict, blank=True)
    preview_status = models.CharField(
        max_length=16, choices=Preview.choices, default=Preview.QUEUED
    )
    preview_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("policy change")
        verbose_name_plural = _("policy changes")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="pending"),
                name="data_policychange_one_pending",
            ),
            # The second pair of eyes, in the database too: nobody approves their own change.
            models.CheckConstraint(
                condition=~Q(status="approved", decided_by=F("proposed_by")),
                name="data_policychange_not_self_approved",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="data_policychange_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Policy change %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("data:policy_change", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def preview_finished(self) -> bool:
        return self.preview_status in (self.Preview.DONE, self.Preview.FAILED)


class PolicyVersion(models.Model):
    """One policy as applied: its number, every engine field, what changed, who proposed it and
    who approved it (none when applied directly, as the demo and the tests do)."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    fields = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)  # {field: [before, after]}
    change = models.OneToOneField(
        PolicyChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="version",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="data_policyversion_number"),
        ]

    def __str__(self) -> str:
        return gettext("Policy version %(n)s") % {"n": self.number}
