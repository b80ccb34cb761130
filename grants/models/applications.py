"""Applications to a cycle and the documents attached to them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.cycles import MONEY, Cycle, RequiredDocument
from powershare.visibility import Visibility, VisibleQuerySet, visible_q


class ApplicationQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """The applicant's members always; staff once it is submitted; a panel reviewer once
        assigned and declared free of conflict, until it is withdrawn. Nobody who declared a
        conflict on it."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        q = visible_q(user)
        q |= Q(
            status=Application.Status.SUBMITTED,
            assignments__reviewer=user,
            conflicts__reviewer=user,
            conflicts__has_conflict=False,
        )
        # The reviewer's own declarations (ConflictDeclaration.reviewer), read from their side.
        conflicted = user.grant_conflicts.filter(has_conflict=True)
        # A member of the applicant still sees their own organization's application.
        hidden = Q(pk__in=conflicted.values("application_id")) & ~Q(
            organization__in=user.organization_ids
        )
        return self.filter(q).exclude(hidden).distinct()  # type: ignore[return-value]


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    return f"grants/applications/{instance.application_id}/{filename}"


class Application(models.Model):
    """An organization's application to a cycle. Private while a draft; the department reads
    it once submitted (``visibility`` moves from private to department)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Eligibility(models.TextChoices):
        PENDING = "pending", _("Not yet screened")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="applications")
    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="grant_applications",
        verbose_name=_("organization"),
    )
    project_title = models.CharField(_("project title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    amount_requested = models.DecimalField(_("amount requested"), null=True, blank=True, **MONEY)
    budget = models.TextField(
        _("budget"), blank=True, help_text=_("One line per item: what it is and what it costs.")
    )
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    eligibility = models.CharField(
        _("eligibility"), max_length=16, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reason = models.TextField(_("reason"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="one_application_per_org"
            ),
            models.CheckConstraint(
                name="submitted_application_has_time",
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
            ),
            models.CheckConstraint(
                name="screening_has_reason",
                condition=Q(eligibility="pending") | ~Q(eligibility_reason=""),
            ),
            # Withdrawn exactly when it has a withdrawal time (a submission came first).
            models.CheckConstraint(
                name="withdrawn_application_has_time",
                condition=Q(status="withdrawn", withdrawn_at__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True, withdrawal_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_title} ({self.organization})"

    def get_absolute_url(self) -> str:
        return reverse("grants:application", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN


class ApplicationDocument(models.Model):
    """A file attached to an application, for one of the cycle's required documents or extra."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        RequiredDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=_document_path)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requirement__order", "pk"]

    def __str__(self) -> str:
        return self.name
