"""The department's internal foundation: assessment instruments and rounds, the risk register,
the resource inventory and the compliance classification of support."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Fewer respondents than this and a round shows no results at all: with one or two,
# an average is (nearly) one person's answers.
MIN_RESPONDENTS = 3


class Instrument(models.Model):
    """One version of an assessment: domains of questions answered on a labelled scale.

    Versions of the same assessment share a ``family``; an answered version is never changed,
    editing it makes the next version."""

    class Kind(models.TextChoices):
        READINESS = "readiness", _("Readiness")
        RISK_TOLERANCE = "risk_tolerance", _("Risk tolerance")
        OTHER = "other", _("Other")

    family = models.SlugField(_("short name"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The scale runs from 1 to len(scale_labels); each point has a label (its anchor).
    scale_labels = models.JSONField(_("scale labels"), default=list)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["family", "-version"]
        verbose_name = _("assessment instrument")
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="instrument_version_once"),
            models.CheckConstraint(
                name="instrument_version_positive", condition=models.Q(version__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self) -> str:
        return reverse("foundation:instrument", args=[self.pk])

    @property
    def scale_max(self) -> int:
        return len(self.scale_labels)

    def scale(self) -> list[tuple[int, str]]:
        return [(n, label) for n, label in enumerate(self.scale_labels, start=1)]

    def is_answered(self) -> bool:
        return Response.objects.filter(round__instrument=self).exists()

    def is_latest(self) -> bool:
        return not Instrument.objects.filter(family=self.family, version__gt=self.version).exists()


class Domain(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="domains")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("domain"), max_length=200)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("question"), max_length=500)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Round(models.Model):
    """A period in which staff answer one instrument version (e.g. once a year)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    opens = models.DateField(_("opens"))
    closes = models.DateField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="round_closes_after_opening", condition=models.Q(closes__gte=models.F("opens"))
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("foundation:round", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_open(self) -> bool:
        return not self.is_closed and self.opens <= timezone.localdate()


class Response(models.Model):
    """One staff member's answers to a round. The respondent is kept only so nobody answers
    twice and each can read their own answers; no page, export or log names them."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # A date, not a time: timestamps could be matched against who was at their desk when.
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="one_response_per_round")
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                name="answer_on_the_scale", condition=models.Q(value__gte=1, value__lte=10)
            ),
        ]

    def __str__(self) -> str:
        return f"answer {self.pk}"


# Risk register -------------------------------------------------------------------------------


class Risk(models.Model):
    """A risk of partnership work, rated by likelihood and impact, with its mitigations."""

    class Category(models.TextChoices):
        LOBBYING = "lobbying", _("Lobbying limits on public funds")
        RECORDS = "records", _("Public-records exposure of partner information")
        BACKLASH = "backlash", _("Political backlash")
        CAPACITY = "capacity", _("Staff capacity")
        LEGAL = "legal", _("Legal")
        REPUTATION = "reputation", _("Reputation and trust")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("risk status", "Open")
        WATCHING = "watching", _("Watching")
        CLOSED = "closed", pgettext_lazy("risk status", "Closed")

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), help_text=_("1 (rare) to 5 (almost certain)")
    )
    impact = models.PositiveSmallIntegerField(_("impact"), help_text=_("1 (minor) to 5 (severe)"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner on staff"),
    )
    mitigations = models.TextField(_("mitigations"), blank=True)
    review_date = models.DateField(_("next review"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    campaigns = models.ManyToManyField(
        "partners.Campaign", blank=True, related_name="+", verbose_name=_("campaigns")
    )
    partnerships = models.ManyToManyField(
        "partners.Partnership", blank=True, related_name="+", verbose_name=_("partnerships")
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="risk_likelihood_1_to_5",
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
            ),
            models.CheckConstraint(
                name="risk_impact_1_to_5", condition=models.Q(impact__gte=1, impact__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("foundation:risk", args=[self.pk])

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def level(self) -> str:
        if self.score >= 15:
            return "high"
        if self.score >= 8:
            return "medium"
        return "low"

    @property
    def review_overdue(self) -> bool:
        return bool(
            self.review_date
            and self.status != self.Status.CLOSED
            and self.review_date < timezone.localdate()
        )


# Resources -----------------------------------------------------------------------------------


class Resource(models.Model):
    """What the department can bring: a funding source, staff time or something in kind."""

    class Kind(models.TextChoices):
        FUNDING = "funding", _("Funding source")
        STAFF_TIME = "staff_time", _("Staff time")
        IN_KIND = "in_kind", _("In-kind")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source or funder"),
        max_length=200,
        blank=True,
        help_text=_("e.g. CDC grant, county general fund"),
    )
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount available"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Dollars for funding; hours for staff time; units or dollars for in-kind."),
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("e.g. USD, hours, meeting rooms")
    )
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    restrictions = models.TextField(
        _("restrictions"), blank=True, help_text=_("What this resource may not pay for.")
    )
    bars_lobbying = models.BooleanField(
        _("may not pay for lobbying"),
        default=False,
        help_text=_("Federal grant terms typically bar lobbying, grassroots lobbying included."),
    )
    hatch_act = models.BooleanField(
        _("staff paid from it are covered by the Hatch Act"),
        default=False,
        help_text=_("Limits on partisan election activity apply to staff paid from federal funds."),
    )
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                name="resource_amount_not_negative", condition=models.Q(amount__gte=0)
            ),
            models.CheckConstraint(
                name="resource_period_ends_after_start",
                condition=models.Q(period_end__isnull=True)
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("foundation:resource", args=[self.pk])

    @property
    def is_restricted(self) -> bool:
        return self.bars_lobbying or self.hatch_act

    def committed(self) -> Decimal:
        total = self.commitments.aggregate(total=models.Sum("amount"))["total"]
        return total or Decimal("0")


class Commitment(models.Model):
    """Part of a resource promised to something: an ask, a grant, or anything described.

    Generic on purpose: grants live in another module; a commitment names what it is for and
    optionally the ask it serves."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="commitments")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("what it is for"), max_length=300)
    ask = models.ForeignKey(
        "support.Ask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ask"),
    )
    committed_on = models.DateField(_("committed on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-committed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="commitment_amount_positive", condition=models.Q(amount__gt=0)
            )
        ]

    def __str__(self) -> str:
        return self.description


class Activity(models.TextChoices):
    EDUCATION = "education", _("Education and technical assistance")
    REGULATORY_ADVOCACY = "regulatory_advocacy", _("Advocacy on regulation")
    LOBBYING = "lobbying", _("Lobbying on legislation")
    PARTISAN = "partisan", _("Partisan election activity")


class AskClassification(models.Model):
    """How staff classified the activity of supporting an ask and which resource pays for it.

    The newest classification of an ask is the current one; earlier ones are its history."""

    # Kinds of ask whose support can be advocacy or lobbying, and so must be classified.
    ASK_KINDS = ["testimony", "regulatory", "convening", "funding"]

    ask = models.ForeignKey(
        "support.Ask", on_delete=models.CASCADE, related_name="compliance_classifications"
    )
    activity = models.CharField(_("activity"), max_length=24, choices=Activity.choices)
    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classifications",
        verbose_name=_("resource that pays for it"),
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    lobbying_warning_acknowledged = models.BooleanField(default=False)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            # Partisan election activity is never department work.
            models.CheckConstraint(
                name="classification_never_partisan", condition=~models.Q(activity="partisan")
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()}"
