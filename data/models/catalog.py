"""The catalog: datasets, the measures computed from them, and the uploads that load a
dataset's file into the engine's store."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
