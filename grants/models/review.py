"""Review: the panel, conflicts of interest, assignments, reviews and their scores,
deliberation notes, and the community members who offer to review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants.models.applications import Application
from grants.models.cycles import Criterion, Cycle


class PanelMember(models.Model):
    """A reviewer on a cycle's panel: a community member or department staff."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", _("Community member")
        STAFF = "staff", _("Department staff")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="panel")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_panels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    added = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "reviewer__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "reviewer"], name="one_seat_per_panel")
        ]

    def __str__(self) -> str:
        return str(self.reviewer)


class ConflictDeclaration(models.Model):
    """A reviewer's answer, before reading an application, to: do you have a conflict?"""

    class Kind(models.TextChoices):
        NONE = "none", _("No conflict")
        RELATIONSHIP = "relationship", _("Close relationship with the applicant")
        FAMILY = "family", _("Family member involved")
        EMPLOYMENT = "employment", _("Employed by or paid by the applicant")
        MEMBERSHIP = "membership", _("Member or leader of the applicant")
        OTHER = "other", _("Other conflict")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_conflicts"
    )
    has_conflict = models.BooleanField()
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_declaration_per_reviewer"
            ),
            models.CheckConstraint(
                name="conflict_kind_matches",
                condition=Q(has_conflict=False, kind="none")
                | Q(has_conflict=True) & ~Q(kind="none"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.get_kind_display()}"


class Assignment(models.Model):
    """A reviewer asked to review an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grant_assignments"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application__organization__name", "reviewer__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application_id}"


class Review(models.Model):
    """A reviewer's scores for one application; others' scores stay hidden until submitted."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_reviews"
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_review")
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One criterion's score within a review, with the reviewer's comment."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class DeliberationNote(models.Model):
    """What the panel said about an application when it met."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class ReviewerInterest(models.Model):
    """A resident's answer to the public call for community reviewers."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Added as a reviewer")
        DECLINED = "declined", _("Not this time")

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone (optional)"), max_length=40, blank=True)
    neighborhood = models.CharField(_("neighborhood"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES)
    experience = models.TextField(_("Why do you want to review, and what do you bring?"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    created = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name
