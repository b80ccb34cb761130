"""The advisory board: its charter, seats, members' terms, their private profile, and the
public's applications to serve."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """A community advisory board and its charter: purpose, powers, how it decides, how long
    the department has to answer, and what members are paid."""

    class DecisionRule(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        VOTE = "vote", _("Majority vote with a quorum")

    class StipendUnit(models.TextChoices):
        MEETING = "meeting", _("per meeting attended")
        DAY = "day", _("per day of meetings")

    name = models.CharField(_("name"), max_length=200, unique=True)
    purpose = models.TextField(_("purpose"))
    powers = models.TextField(_("powers"), blank=True)
    decision_rule = models.CharField(
        _("how decisions are made"),
        max_length=16,
        choices=DecisionRule.choices,
        default=DecisionRule.VOTE,
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percent of seated members)"),
        default=51,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    secret_ballot = models.BooleanField(
        _("votes are secret"),
        default=False,
        help_text=_("Only the counts of a vote are recorded, never how each member voted."),
    )
    response_days = models.PositiveSmallIntegerField(
        _("days the department has to respond"), default=60
    )
    stipend_rate = models.DecimalField(
        _("stipend rate"), max_digits=8, decimal_places=2, default=Decimal("75.00")
    )
    stipend_unit = models.CharField(
        _("stipend paid"), max_length=16, choices=StipendUnit.choices, default=StipendUnit.MEETING
    )
    daily_cap = models.DecimalField(
        _("most paid for one day"), max_digits=8, decimal_places=2, default=Decimal("150.00")
    )
    tax_threshold = models.DecimalField(
        _("yearly tax-reporting threshold"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("600.00"),
        help_text=_("Payments above this in a year from one agency must be reported."),
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("advisory board")
        verbose_name_plural = _("advisory boards")
        constraints = [
            models.CheckConstraint(
                name="board_quorum_is_a_percent",
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=100),
            ),
            models.CheckConstraint(
                name="board_response_days_positive", condition=Q(response_days__gte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accountability:index")

    def seated_terms(self, on: date | None = None) -> models.QuerySet[Term]:
        return Term.objects.seated(on).filter(seat__board=self)

    def quorum_needed(self, seated: int) -> int:
        """Members present needed for quorum when ``seated`` seats are filled."""
        return max(1, math.ceil(seated * self.quorum_percent / 100))


class Seat(models.Model):
    """A seat on the board, filled by one member's term at a time."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        CPBO = "cpbo", _("Nominated by a community organization")
        YOUTH = "youth", _("Youth")
        WORKER = "worker", _("Worker")
        OTHER = "other", _("Other")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="seats")
    name = models.CharField(_("seat"), max_length=100)
    kind = models.CharField(_("kind of seat"), max_length=16, choices=Kind.choices)
    nominating_organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_seats",
        verbose_name=_("nominating organization"),
    )
    term_months = models.PositiveSmallIntegerField(_("term (months)"), default=24)
    is_chair = models.BooleanField(
        _("chair"), default=False, help_text=_("The chair helps the department run the board.")
    )

    class Meta:
        ordering = ["board", "pk"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["board", "name"], name="seat_names_unique_per_board")
        ]

    def __str__(self) -> str:
        return self.name


class TermQuerySet(models.QuerySet):
    def seated(self, on: date | None = None) -> TermQuerySet:
        """Terms in force on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(start__lte=on, end__gte=on).filter(
            Q(ended_early__isnull=True) | Q(ended_early__gt=on)
        )


class Term(models.Model):
    """A member's term on a seat, from ``start`` to ``end`` unless it ended early."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="terms")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="board_terms",
        verbose_name=_("member"),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    ended_early = models.DateField(_("ended early on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended early"), max_length=300, blank=True)
    renewal_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewed_by"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["seat", "start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.CheckConstraint(
                name="term_ends_after_start", condition=Q(end__gte=models.F("start"))
            ),
            models.CheckConstraint(
                name="early_end_has_reason",
                condition=Q(ended_early__isnull=True) | ~Q(end_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.seat})"


class MemberProfile(models.Model):
    """What only board admins (and the member) may read: why the member is eligible for a
    stipend, how they want to be paid, and whether their tax form is on file."""

    class Eligibility(models.TextChoices):
        LIVED = "lived", _("Lived experience")
        LOW_INCOME = "low_income", _("Low income")
        SELF_ATTESTED = "self_attested", _("Self-attested")
        NOT_ELIGIBLE = "none", _("Not eligible (e.g. paid by an employer to attend)")

    class Payment(models.TextChoices):
        CHECK = "check", _("Check")
        DEPOSIT = "deposit", _("Direct deposit")
        GIFT_CARD = "gift_card", _("Gift card")
        DECLINED = "declined", _("Declines the stipend")

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_profile"
    )
    eligibility = models.CharField(
        _("eligibility basis"),
        max_length=16,
        choices=Eligibility.choices,
        default=Eligibility.SELF_ATTESTED,
    )
    payment_preference = models.CharField(
        _("payment preference"), max_length=16, choices=Payment.choices, default=Payment.CHECK
    )
    tax_form_on_file = models.BooleanField(_("tax form on file"), default=False)
    tax_form_received = models.DateField(_("tax form received"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member's private profile")
        constraints = [
            models.CheckConstraint(
                name="tax_form_date_only_when_on_file",
                condition=Q(tax_form_on_file=True) | Q(tax_form_received__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return str(self.member)

    @property
    def is_paid(self) -> bool:
        return (
            self.eligibility != self.Eligibility.NOT_ELIGIBLE
            and self.payment_preference != self.Payment.DECLINED
        )


class StipendPayment(models.Model):
    """A payment of a member's stipend for one month's meetings, as finance made it. The
    stipend owed comes from attendance; these record what was actually paid. Only board admins
    read them (and the member, their own)."""

    class Method(models.TextChoices):
        CHECK = "check", _("Check")
        DEPOSIT = "deposit", _("Direct deposit")
        GIFT_CARD = "gift_card", _("Gift card")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="stipend_payments")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="stipend_payments",
        verbose_name=_("member"),
    )
    month = models.DateField(_("month of the meetings"), help_text=_("The first of the month."))
    amount = models.DecimalField(_("amount paid"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("how it was paid"), max_length=16, choices=Method.choices)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("A check number or finance's transaction number."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "paid_on", "pk"]
        verbose_name = _("stipend payment")
        verbose_name_plural = _("stipend payments")
        constraints = [
            models.CheckConstraint(name="stipend_payment_positive", condition=Q(amount__gt=0)),
            models.CheckConstraint(
                name="stipend_payment_month_starts_on_the_first", condition=Q(month__day=1)
            ),
            models.CheckConstraint(
                name="stipend_paid_after_the_month_starts",
                condition=Q(paid_on__gte=models.F("month")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m}: {self.amount}"


class Application(models.Model):
    """Someone from the public applying to serve on the board."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone (optional)"), max_length=40, blank=True)
    language = models.CharField(
        _("language you prefer"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    neighborhood = models.CharField(_("neighborhood where you live or work"), max_length=200)
    seat_kind = models.CharField(
        _("seat you are applying for"), max_length=16, choices=Seat.Kind.choices
    )
    affiliation = models.CharField(
        _("community organization you belong to (optional)"), max_length=200, blank=True
    )
    why = models.TextField(_("why you want to serve"))
    experience = models.TextField(_("experience you bring"), blank=True)
    access_needs = models.TextField(_("interpretation or access needs"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)
    term = models.OneToOneField(
        Term, on_delete=models.SET_NULL, null=True, blank=True, related_name="application"
    )
    submitted = models.DateTimeField(_("submitted"), default=timezone.now)
    decided = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted"]
        verbose_name = _("application to serve")
        verbose_name_plural = _("applications to serve")
        constraints = [
            models.CheckConstraint(
                name="selected_application_has_term",
                condition=~Q(status="selected") | Q(term__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_seat_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("accountability:application", args=[self.pk])
