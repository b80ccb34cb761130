"""Recommendations the board adopts, the department's responses, and the commitments it keeps
until they are implemented. Every step is kept in the recommendation's history."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accountability.models.board import Board
from accountability.models.meetings import Motion


class RecommendationQuerySet(models.QuerySet):
    def published(self) -> RecommendationQuerySet:
        return self.filter(published__isnull=False)

    def visible_to(self, user: Any) -> RecommendationQuerySet:
        """Published recommendations are public; drafts are for board admins and the board."""
        if getattr(user, "is_authenticated", False) and (
            user.is_department or user.is_board_member
        ):
            return self
        return self.published()

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.published().exists():
            raise ValidationError(_("A published recommendation cannot be deleted."))
        return super().delete()


class Recommendation(models.Model):
    """A recommendation the board adopted by a motion, addressed to a unit of the department."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING = "awaiting", _("Awaiting response")
        UNDER_STUDY = "under_study", _("Under study")
        ACCEPTED = "accepted", _("Accepted")
        PARTIAL = "partial", _("Accepted in part")
        DECLINED = "declined", _("Declined")
        IMPLEMENTED = "implemented", _("Implemented")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="recommendations")
    motion = models.OneToOneField(
        Motion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendation",
        verbose_name=_("adopted by the motion"),
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("recommendation"))
    rationale = models.TextField(_("the board's rationale"))
    addressed_to = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="recommendations",
        limit_choices_to={"kind": "unit"},
        verbose_name=_("addressed to"),
    )
    campaigns = models.ManyToManyField(
        "partners.Campaign", blank=True, related_name="recommendations", verbose_name=_("campaigns")
    )
    asks = models.ManyToManyField(
        "support.Ask", blank=True, related_name="recommendations", verbose_name=_("asks")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    published = models.DateTimeField(_("published"), null=True, blank=True)
    response_due = models.DateField(_("response due"), null=True, blank=True)
    first_response = models.DateTimeField(_("first answered"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "number"], name="recommendation_number_unique"
            ),
            models.CheckConstraint(
                name="published_recommendation_has_due_date",
                condition=Q(published__isnull=True, status="draft")
                | Q(published__isnull=False, response_due__isnull=False, adopted_on__isnull=False)
                & ~Q(status="draft"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("accountability:recommendation", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        # Withdraw instead: the public record of what the board said must stay.
        if self.published:
            raise ValidationError(_("A published recommendation cannot be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published is not None

    def days_waiting(self, today: date | None = None) -> int | None:
        """Days from adoption to the first response, or to today while unanswered; none for a
        recommendation withdrawn before anyone answered it."""
        if self.adopted_on is None:
            return None
        if self.first_response is None and self.status == self.Status.WITHDRAWN:
            return None
        end = timezone.localdate(self.first_response) if self.first_response else today
        end = end or timezone.localdate()
        return (end - self.adopted_on).days


class Response(models.Model):
    """The department's answer to a recommendation. A later response replaces an earlier one
    (e.g. "under study", then "accepted"); each stays in the history."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        PARTIAL = "partial", _("Accept in part")
        DECLINE = "decline", _("Decline")
        UNDER_STUDY = "under_study", _("Under study")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="responses"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    rationale = models.TextField(_("rationale"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    published = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("response")
        constraints = [
            # The rule of the issue, in the database too: no published response without a reason.
            models.CheckConstraint(
                name="published_response_has_rationale",
                condition=Q(published__isnull=True) | ~Q(rationale=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.recommendation.number}"


class Commitment(models.Model):
    """Something the department commits to do for an accepted recommendation."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN = [Status.PLANNED, Status.IN_PROGRESS]

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="commitments"
    )
    description = models.TextField(_("commitment"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="board_commitments",
        verbose_name=_("owner on staff"),
    )
    due = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    completed = models.DateField(_("completed"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("commitment")
        constraints = [
            models.CheckConstraint(
                name="done_commitment_has_date",
                condition=~Q(status="done") | Q(completed__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN and self.due < timezone.localdate()


class CommitmentUpdate(models.Model):
    """A status update on a commitment, with what happened."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=16, choices=Commitment.Status.choices)
    note = models.TextField(_("what happened"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.status}"


class RecommendationEvent(models.Model):
    """One line of a recommendation's public history."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Drafted")
        ADOPTED = "adopted", _("Adopted and sent to the department")
        RESPONSE = "response", _("Department responded")
        COMMITMENT = "commitment", _("Commitment made")
        UPDATE = "update", _("Commitment update")
        IMPLEMENTED = "implemented", _("Implemented")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REMINDER = "reminder", _("Reminder sent")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Recommendation.Status.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="withdrawal_keeps_its_reason", condition=~Q(kind="withdrawn") | ~Q(note="")
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.kind}"
