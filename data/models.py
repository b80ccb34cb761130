"""The data portal: datasets and measures in the catalog, the department's suppression policy,
uploads, saved queries, data-sharing agreements, the query log and the evidence library.

Record-level data and denominators live in the statistics engine's store
(``settings.DATA_ROOT``); these models hold what the department says about them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import IssueArea
from powershare.visibility import Visibility, VisibleQuerySet

slug_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)


class Dataset(models.Model):
    """A set of events or population denominators loaded into the engine's store."""

    class Kind(models.TextChoices):
        EVENTS = "events", _("Record-level events")
        POPULATION = "population", _("Population denominators")
        GEOGRAPHY = "geography", _("Boundaries (areas and their shapes)")
        INDICATORS = "indicators", _("Published indicators (CDC PLACES layout)")

    name = models.CharField(
        _("name in the data store"),
        max_length=40,
        unique=True,
        validators=[slug_validator],
        help_text=_("For example ed_visits. Files are loaded into the dataset of this name."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EVENTS)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    caveats = models.TextField(_("caveats"), blank=True)
    years = models.JSONField(_("years covered"), default=list, blank=True)
    levels = models.JSONField(_("geography levels"), default=list, blank=True)
    rows = models.PositiveBigIntegerField(_("rows"), default=0)
    version = models.CharField(_("data version"), max_length=32, blank=True)
    data_updated = models.DateTimeField(_("updated"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("data:dataset", args=[self.pk])

    @property
    def years_label(self) -> str:
        if not self.years:
            return "—"
        return f"{min(self.years)}–{max(self.years)}" if len(self.years) > 1 else str(self.years[0])


class MeasureQuerySet(models.QuerySet):
    def published(self) -> MeasureQuerySet:
        return self.filter(status=Measure.Status.PUBLISHED)


class Measure(models.Model):
    """A measure defined on a dataset: which events count, how they are reported, who sees it."""

    class Kind(models.TextChoices):
        RATE = "rate", _("Rate per population")
        PROPORTION = "proportion", _("Proportion of events")
        INDICATOR = "indicator", _("Published estimate (from an indicator file)")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published: everyone can query it")
        INTERNAL = "internal", _("Internal: staff and partners with an agreement")

    class Standard(models.TextChoices):
        US2000_19 = "us2000_19", _("US 2000 standard population, 19 age groups")
        US2000_11 = "us2000_11", _("US 2000 standard population, 11 age groups")
        ESP2013 = "esp2013", _("European standard population 2013")

    class Per(models.IntegerChoices):
        HUNDRED = 100, _("per 100 (percent)")
        THOUSAND = 1_000, _("per 1,000")
        TEN_THOUSAND = 10_000, _("per 10,000")
        HUNDRED_THOUSAND = 100_000, _("per 100,000")

    name = models.CharField(
        _("short name"), max_length=40, unique=True, validators=[slug_validator]
    )
    label = models.CharField(_("label"), max_length=200)
    short_label = models.CharField(
        _("plain-language subject"),
        max_length=120,
        help_text=_("Used in sentences, e.g. “asthma emergency visits”."),
    )
    label_es = models.CharField(_("label in Spanish"), max_length=200, blank=True)
    short_label_es = models.CharField(
        _("plain-language subject in Spanish"), max_length=120, blank=True
    )
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, related_name="measures", verbose_name=_("dataset")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.RATE)
    causes = models.CharField(
        _("cause codes"),
        max_length=300,
        blank=True,
        help_text=_("ICD-10 prefixes or ranges, separated by commas, e.g. J45-J46. Empty: all."),
    )
    age_min = models.PositiveSmallIntegerField(
        _("youngest age"), default=0, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("oldest age"), default=120, validators=[MaxValueValidator(120)]
    )
    sex = models.CharField(
        _("sex"),
        max_length=1,
        blank=True,
        choices=[("", _("Both")), ("F", _("Female")), ("M", _("Male"))],
    )
    conditions = models.TextField(
        _("other conditions"),
        blank=True,
        help_text=_("One a line, e.g. “bll >= 3.5”. Operators: < <= > >= = !="),
    )
    numerator_conditions = models.TextField(
        _("numerator conditions (proportions)"),
        blank=True,
        help_text=_("One a line, e.g. “gestation_weeks < 37”."),
    )
    per = models.PositiveIntegerField(_("per"), choices=Per.choices, default=Per.TEN_THOUSAND)
    unit = models.CharField(
        _("unit"), max_length=120, help_text=_("e.g. “visits per 10,000 residents”")
    )
    standard = models.CharField(
        _("standard population"),
        max_length=16,
        choices=Standard.choices,
        default=Standard.US2000_19,
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INTERNAL
    )
    indicator = models.CharField(
        _("published measure"),
        max_length=40,
        blank=True,
        help_text=_("Published estimates: the file's MeasureId, e.g. CASTHMA."),
    )
    value_type = models.CharField(
        _("published value type"),
        max_length=40,
        blank=True,
        help_text=_("Published estimates: the file's DataValueTypeID, e.g. CrdPrv."),
    )
    related = models.ManyToManyField(
        "self",
        blank=True,
        verbose_name=_("shown beside"),
        help_text=_(
            "Measures on the same subject, shown side by side: the department's own data "
            "beside a published estimate."
        ),
    )
    updated = models.DateTimeField(auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=models.F("age_max")), name="data_measure_ages_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("data:measure", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_indicator(self) -> bool:
        return self.kind == self.Kind.INDICATOR


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


class Upload(models.Model):
    """A file an analyst uploaded for a dataset, and how its load went (a background task)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Loading")
        DONE = "done", _("Loaded")
        FAILED = "failed", _("Rejected")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    path = models.CharField(max_length=500, blank=True)  # the staged file, removed after the load
    replace = models.BooleanField(_("replace the dataset's data"), default=False)
    options = models.JSONField(default=dict, blank=True)  # a boundary file's level and fields
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    stage = models.CharField(max_length=80, blank=True)
    message = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    total_errors = models.PositiveIntegerField(default=0)
    rows = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="data_upload_progress")
        ]

    def __str__(self) -> str:
        return f"{self.filename} → {self.dataset.name}"

    def get_absolute_url(self) -> str:
        return reverse("data:upload", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


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


# Proposals and versions of the policy live in their own module (this one is long enough).
from data.policy_models import PolicyChange, PolicyVersion  # noqa: E402, F401
