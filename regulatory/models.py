"""The department's regulatory levers: its authorities, actions taken for campaigns, complaints
filed by partners for residents and workers, and comment periods."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility, VisibleQuerySet, visible_q

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


class ActionQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> ActionQuerySet:
        """The visibility rules, plus: partners see every action on their own campaigns."""
        q = visible_q(user)
        if getattr(user, "is_authenticated", False) and user.organization_ids:
            q |= Q(campaigns__organization__in=user.organization_ids)
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))


class RegulatoryAction(models.Model):
    """The department using an authority where a campaign needs it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDERWAY = "underway", _("Underway")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    title = models.CharField(_("title"), max_length=200)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="actions", verbose_name=_("authority")
    )
    description = models.TextField(_("description"), blank=True)
    campaigns = models.ManyToManyField(
        "partners.Campaign",
        blank=True,
        related_name="regulatory_actions",
        verbose_name=_("campaigns"),
    )
    asks = models.ManyToManyField(
        "support.Ask", blank=True, related_name="+", verbose_name=_("asks")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    started = models.DateField(_("started"), null=True, blank=True)
    next_date = models.DateField(_("next key date"), null=True, blank=True)
    next_date_label = models.CharField(_("what happens then"), max_length=200, blank=True)
    completed = models.DateField(_("completed"), null=True, blank=True)
    violations_found = models.PositiveIntegerField(_("violations found"), default=0)
    orders_issued = models.PositiveIntegerField(_("orders issued"), default=0)
    fines = models.DecimalField(_("fines (USD)"), max_digits=12, decimal_places=2, default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    # The department's own record; organization stays empty so visibility rules treat it so.
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=STAFF_CHOICES, default=Visibility.DEPARTMENT
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="action_department_or_public",
                condition=Q(visibility__in=["department", "public"]),
            ),
            models.CheckConstraint(name="action_fines_not_negative", condition=Q(fines__gte=0)),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("regulatory:action", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None


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


class CommentPeriodQuerySet(VisibleQuerySet):
    pass


class CommentPeriod(models.Model):
    """An open rulemaking or a permit hearing where partners can mobilize testimony."""

    class Kind(models.TextChoices):
        RULEMAKING = "rulemaking", _("Rulemaking")
        PERMIT_HEARING = "permit_hearing", _("Permit hearing")
        ENVIRONMENTAL_REVIEW = "environmental_review", _("Environmental review")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_periods",
        verbose_name=_("authority"),
    )
    action = models.ForeignKey(
        RegulatoryAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comment_periods",
        verbose_name=_("regulatory action"),
    )
    description = models.TextField(_("what is proposed"), blank=True)
    opens = models.DateField(_("comments open"))
    closes = models.DateField(_("comments close"))
    hearing_at = models.DateTimeField(_("hearing"), null=True, blank=True)
    location = models.CharField(_("hearing location"), max_length=300, blank=True)
    how_to_comment = models.TextField(_("how to comment or testify"), blank=True)
    link = models.URLField(_("link"), blank=True)
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=STAFF_CHOICES, default=Visibility.PUBLIC
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = CommentPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["closes", "pk"]
        constraints = [
            models.CheckConstraint(
                name="comment_period_closes_after_opening",
                condition=Q(closes__gte=models.F("opens")),
            ),
            models.CheckConstraint(
                name="comment_period_department_or_public",
                condition=Q(visibility__in=["department", "public"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("regulatory:comment_period", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None

    @property
    def is_open(self) -> bool:
        return self.opens <= timezone.localdate() <= self.closes
