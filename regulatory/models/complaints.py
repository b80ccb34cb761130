"""Complaints filed by partners for residents and workers: their timeline, files,
inspections, violations, and retaliation against those who complained."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility, VisibleQuerySet


class ComplaintQuerySet(VisibleQuerySet):
    pass


class Complaint(models.Model):
    """A resident's or worker's complaint, filed by a partner organization on their behalf."""

    class Category(models.TextChoices):
        HOUSING = "housing", _("Housing")
        WORKPLACE = "workplace", _("Workplace")
        ENVIRONMENT = "environment", _("Air, water or environment")
        FOOD = "food", _("Food")
        OTHER = "other", _("Other")

    class ViolationType(models.TextChoices):
        MOLD = "mold", _("Mold or dampness")
        PESTS = "pests", _("Pests")
        NO_HEAT = "no_heat", _("No heat or hot water")
        LEAD = "lead", _("Lead paint or dust")
        LEAKS = "leaks", _("Leaks or plumbing")
        HEAT_ILLNESS = "heat_illness", _("Heat: no water, shade or rest")
        CHEMICALS = "chemicals", _("Chemical exposure")
        AIR = "air", _("Dust, smoke or odors")
        NOISE = "noise", _("Noise")
        SANITATION = "sanitation", _("Sanitation")
        OTHER = "other", _("Other")

    class WorksiteSize(models.TextChoices):
        SMALL = "1-9", _("1 to 9 workers")
        MEDIUM = "10-49", _("10 to 49 workers")
        LARGE = "50-249", _("50 to 249 workers")
        HUGE = "250+", _("250 workers or more")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        INSPECTION = "inspection", _("Inspection")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective action")
        CLOSED = "closed", _("Closed")

    class Resolution(models.TextChoices):
        FIXED = "fixed", _("Fixed")
        NO_VIOLATION = "no_violation", _("No violation found")
        REFERRED = "referred", _("Referred to another agency")
        UNABLE = "unable", _("Could not proceed")

    OPEN_STATUSES = [Status.RECEIVED, Status.TRIAGED, Status.INSPECTION, Status.CORRECTIVE_ACTION]

    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        related_name="complaints",
        verbose_name=_("filed by"),
    )
    campaign = models.ForeignKey(
        "partners.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("campaign"),
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    category = models.CharField(_("kind of complaint"), max_length=16, choices=Category.choices)
    violation_type = models.CharField(
        _("type of problem"), max_length=16, choices=ViolationType.choices
    )
    issue = models.TextField(_("what is happening"))
    place_name = models.CharField(_("place or building name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300)
    neighborhood = models.CharField(_("neighborhood"), max_length=100, blank=True)
    building_owner = models.CharField(_("building owner or employer"), max_length=200, blank=True)
    ongoing = models.BooleanField(_("the problem is still going on"), default=True)
    occurred_on = models.DateField(_("when it started or happened"), null=True, blank=True)
    where_detail = models.CharField(
        _("where exactly"),
        max_length=200,
        blank=True,
        help_text=_("e.g. unit 4B, the loading dock"),
    )
    work_type = models.CharField(_("type of work"), max_length=200, blank=True)
    worksite_size = models.CharField(
        _("worksite size"), max_length=8, choices=WorksiteSize.choices, blank=True
    )
    language = models.CharField(_("language of the resident or worker"), max_length=60, blank=True)
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("The resident or worker gives no name or contact."),
    )
    contact_ok = models.BooleanField(_("agrees to be contacted by the department"), default=False)
    complainant_name = models.CharField(
        _("name of the resident or worker"), max_length=200, blank=True
    )
    complainant_phone = models.CharField(_("their phone"), max_length=40, blank=True)
    complainant_email = models.EmailField(_("their email"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    assigned_inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints_assigned",
        verbose_name=_("assigned inspector"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=16, choices=Resolution.choices, blank=True
    )
    resident_confirmed = models.BooleanField(
        _("the resident or worker confirmed the fix"), default=False
    )
    closure_evidence = models.TextField(_("evidence of the outcome"), blank=True)
    # Addressed to the department: never private, never public.
    visibility = models.CharField(max_length=16, default=Visibility.DEPARTMENT, editable=False)
    created = models.DateTimeField(_("filed"), default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="complaint_visibility_department", condition=Q(visibility="department")
            ),
            models.CheckConstraint(
                name="anonymous_complaint_has_no_identity",
                condition=Q(anonymous=False)
                | Q(
                    complainant_name="",
                    complainant_phone="",
                    complainant_email="",
                    contact_ok=False,
                ),
            ),
            models.CheckConstraint(
                name="closed_complaint_has_resolution",
                condition=~Q(status="closed") | ~Q(resolution=""),
            ),
        ]

    def __str__(self) -> str:
        return _("Complaint %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("regulatory:complaint", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ComplaintEvent(models.Model):
    """One entry of a complaint's timeline. ``internal`` entries are for staff only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    to_status = models.CharField(max_length=20, choices=Complaint.Status.choices, blank=True)
    message = models.TextField(blank=True)
    internal = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.to_status or self.message[:30]}"


def complaint_upload_to(instance: ComplaintFile, filename: str) -> str:
    # Served only through a view that checks who may see them; the random part keeps them unguessable.
    return f"complaints/{instance.complaint_id}/{secrets.token_urlsafe(16)}/{filename}"


class ComplaintFile(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo with the complaint")
        EVIDENCE = "evidence", _("Evidence of the outcome")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(upload_to=complaint_upload_to)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Inspection(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="inspections")
    scheduled_for = models.DateField(_("scheduled for"))
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    findings = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["scheduled_for", "pk"]

    def __str__(self) -> str:
        return f"{self.scheduled_for}"


class Violation(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="violations")
    code = models.CharField(_("code section"), max_length=100, blank=True)
    description = models.CharField(_("violation"), max_length=300)
    corrective_action = models.TextField(_("corrective action required"))
    due = models.DateField(_("correct by"), null=True, blank=True)
    corrected_on = models.DateField(_("corrected on"), null=True, blank=True)
    fine = models.DecimalField(_("fine (USD)"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(name="violation_fine_not_negative", condition=Q(fine__gte=0))
        ]

    def __str__(self) -> str:
        return self.description


class Retaliation(models.Model):
    """Retaliation against someone who complained: its own tracked record, tied to the complaint."""

    class Kind(models.TextChoices):
        EVICTION = "eviction", _("Eviction or threat of eviction")
        RENT = "rent", _("Rent increase or lost services")
        FIRING = "firing", _("Firing or suspension")
        HOURS = "hours", _("Cut hours or pay")
        THREATS = "threats", _("Threats or harassment")
        IMMIGRATION = "immigration", _("Immigration threats")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REFERRED = "referred", _("Referred to enforcement or legal aid")
        RESOLVED = "resolved", _("Resolved")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="retaliations")
    kind = models.CharField(_("what happened"), max_length=16, choices=Kind.choices)
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    description = models.TextField(_("details"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    response = models.TextField(_("what the department did"), blank=True)
    # Someone retaliated against is at risk: by default their name and contact on the complaint
    # are hidden from everyone but the partner who filed it, department staff and admins included.
    high_risk = models.BooleanField(
        _("high risk"),
        default=True,
        help_text=_(
            "Hides the resident's or worker's name and contact from everyone but the person who "
            "filed the complaint, department staff and admins included."
        ),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return _("Retaliation report %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("regulatory:retaliation", args=[self.pk])
