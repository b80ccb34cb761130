"""The retention schedule, legal holds, public-records labels and the requests answered.

The kinds of record the schedule and the export cover are listed in ``kinds.py``; the labels'
defaults in ``labels.py``. These models hold what the department chose.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest period any schedule needs; longer would overflow date arithmetic.
MAX_PERIOD = {"days": 36_500, "months": 1_200, "years": 100}


class RetentionKind(models.TextChoices):
    MEETINGS = "meetings", _("One-to-one notes")
    COMPLAINTS = "complaints", _("Complaints")
    DATA_REQUESTS = "data_requests", _("Data requests")
    DATA_AGREEMENTS = "data_agreements", _("Data-sharing agreements")
    AUDIT = "audit", _("Audit entries")


class RetentionRule(models.Model):
    """How long one kind of record is kept, from which date, and what happens after."""

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")

    class Action(models.TextChoices):
        DELETE = "delete", _("Delete the record")
        ANONYMIZE = (
            "anonymize",
            _("Anonymize: blank free text and personal details, keep the count"),
        )

    kind = models.CharField(
        _("kind of record"), max_length=24, choices=RetentionKind.choices, unique=True
    )
    amount = models.PositiveIntegerField(
        _("keep for"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD["days"])]
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.YEARS)
    runs_from = models.CharField(_("counted from"), max_length=24)
    action = models.CharField(_("then"), max_length=16, choices=Action.choices)
    active = models.BooleanField(
        _("applied"),
        default=True,
        help_text=_("Untick to stop the schedule for this kind (a legal hold on all of it)."),
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        constraints = [
            models.CheckConstraint(
                name="retention_period_in_range",
                condition=Q(amount__gte=1)
                & (
                    Q(unit="days", amount__lte=MAX_PERIOD["days"])
                    | Q(unit="months", amount__lte=MAX_PERIOD["months"])
                    | Q(unit="years", amount__lte=MAX_PERIOD["years"])
                ),
            ),
            models.CheckConstraint(
                name="retention_action_known", condition=Q(action__in=["delete", "anonymize"])
            ),
        ]

    def __str__(self) -> str:
        return str(RetentionKind(self.kind).label)


class RetentionRun(models.Model):
    """One run of the schedule: when, by whom (empty for the scheduler), and counts per kind."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    trigger = models.CharField(max_length=16)  # command, task or page
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return _("Retention run of %(when)s") % {"when": f"{self.at:%Y-%m-%d %H:%M}"}


class LegalHold(models.Model):
    """A record the schedule must not touch, for a lawsuit, an audit or a pending request."""

    kind = models.CharField(_("kind of record"), max_length=24, choices=RetentionKind.choices)
    record_id = models.PositiveBigIntegerField(_("record number"))
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("legal hold")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_id"],
                condition=Q(released_at__isnull=True),
                name="one_open_hold_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"{RetentionKind(self.kind).label} #{self.record_id}"


class ExemptionReason(models.Model):
    """A reason the department gives for withholding a field under public-records law."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("reason"), max_length=200, unique=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("exemption reason")

    def __str__(self) -> str:
        return self.name


class Label(models.TextChoices):
    PUBLIC = "public", _("Public")
    EXEMPT = "exempt", _("Exempt")
    PERSONAL = "personal", _("Personal")


class FieldLabel(models.Model):
    """The department's own label for one field, in place of the default in ``labels.py``."""

    field = models.CharField(max_length=120, unique=True)  # app_label.Model.field
    label = models.CharField(_("label"), max_length=16, choices=Label.choices)
    reason = models.ForeignKey(
        ExemptionReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exemption reason"),
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["field"]
        constraints = [
            models.CheckConstraint(
                name="exempt_label_has_reason",
                condition=~Q(label="exempt") | Q(reason__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.field


def request_upload_to(instance: RecordsRequest, filename: str) -> str:
    # Served only through a view for department admins; the random part keeps a bare media
    # URL unguessable.
    import secrets

    return f"records/{secrets.token_urlsafe(16)}/{filename}"


class RecordsRequest(models.Model):
    """A public-records request the department answered with an export: what was asked, what
    was produced, and the ZIP exactly as it was released."""

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    description = models.TextField(_("the request, as received"))
    since = models.DateField(_("from"), null=True, blank=True)
    until = models.DateField(_("to"), null=True, blank=True)
    kinds = models.JSONField(default=list)
    search = models.CharField(_("search term"), max_length=200, blank=True)
    counts = models.JSONField(default=dict)
    file = models.FileField(upload_to=request_upload_to, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("public-records request")
        constraints = [
            models.CheckConstraint(
                name="records_request_dates_ordered",
                condition=Q(since__isnull=True)
                | Q(until__isnull=True)
                | Q(since__lte=models.F("until")),
            )
        ]

    def __str__(self) -> str:
        return _("Public-records request %(n)s") % {"n": self.pk}

    @property
    def total_records(self) -> int:
        return sum(c.get("records", 0) for c in self.counts.values())

    @property
    def total_withheld(self) -> int:
        return sum(
            c.get("withheld_records", 0) + c.get("withheld_fields", 0) for c in self.counts.values()
        )
