"""Decisions and their approval, awards, payments, reports and report reminders."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.cycles import MONEY, Cycle


class Decision(models.Model):
    """Fund, fund in part or not fund, with the reason."""

    class Outcome(models.TextChoices):
        FUND = "fund", _("Fund")
        PART = "part", _("Fund in part")
        DECLINE = "decline", _("Do not fund")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=16, choices=Outcome.choices)
    amount = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="decision_amount_matches",
                condition=Q(outcome="decline", amount=0) | ~Q(outcome="decline") & Q(amount__gt=0),
            ),
            models.CheckConstraint(name="decision_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()

    @property
    def funds(self) -> bool:
        return self.outcome != self.Outcome.DECLINE


class ApprovalStep(models.Model):
    """One step of the program's approval chain, taken for a cycle's slate of decisions."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="approvals")
    step = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    note = models.TextField(_("note"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["step"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "step"], name="one_approval_per_step")
        ]

    def __str__(self) -> str:
        return self.name


def _agreement_path(instance: Award, filename: str) -> str:
    return f"grants/awards/{instance.pk}/{filename}"


class Award(models.Model):
    """Money granted after the approval chain completes: agreement, schedule, payments."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(_("amount"), **MONEY)
    agreement = models.FileField(_("signed agreement"), upload_to=_agreement_path, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application__organization__name"]
        constraints = [models.CheckConstraint(name="award_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return str(self.application)

    def get_absolute_url(self) -> str:
        return reverse("grants:award", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.application.organization_id

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments.all() if p.paid_on), Decimal("0"))


class Payment(models.Model):
    """A scheduled installment of an award, and when it was paid."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    due = models.DateField(_("due"))
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        constraints = [models.CheckConstraint(name="payment_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.due}: {self.amount}"


class Report(models.Model):
    """A short progress report due from a grantee; answered in their own language."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    due = models.DateField(_("due"))
    progress = models.TextField(_("What did you do with the grant so far?"), blank=True)
    change = models.TextField(_("What changed for your community?"), blank=True)
    challenges = models.TextField(
        _("What got in the way, and what help would you like?"), blank=True
    )
    people_reached = models.PositiveIntegerField(
        _("About how many people took part?"), null=True, blank=True
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["award", "due"], name="one_report_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.award_id}: {self.due}"

    @property
    def is_overdue(self) -> bool:
        return self.submitted_at is None and self.due < timezone.localdate()


class ReportReminder(models.Model):
    """A reminder emailed to a grantee about a report: one as it comes due, one once it is
    overdue. The unique pair keeps a daily run from sending either twice."""

    class Kind(models.TextChoices):
        DUE = "due", _("Coming due")
        OVERDUE = "overdue", _("Overdue")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("reminder"), max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="one_reminder_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.kind}"
