"""The ledger of tangible support: a CPBO's asks of the department and what came of them."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from powershare.visibility import Visibility, VisibleQuerySet, visible_q


class AskQuerySet(VisibleQuerySet):
    def visible_to(self, user: Any) -> AskQuerySet:
        # The staff member who owns an ask always sees it, whatever its visibility.
        q = visible_q(user, self.owner_path)
        if getattr(user, "is_authenticated", False) and user.is_department:
            q |= Q(owner=user)
        return self.filter(q)

    def open(self) -> AskQuerySet:
        return self.filter(status__in=Ask.OPEN_STATUSES)

    def overdue(self, today: Any = None) -> AskQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(needed_by__lt=today)


class Ask(models.Model):
    """A CPBO's request to the department for tangible support for a campaign."""

    class Kind(models.TextChoices):
        DATA = "data", _("Data")
        EVIDENCE = "evidence", _("Evidence")
        TESTIMONY = "testimony", _("Testimony or public comment")
        REGULATORY = "regulatory", _("Regulatory action")
        CONVENING = "convening", _("Convening")
        INTRODUCTIONS = "introductions", _("Introductions")
        FUNDING = "funding", _("Funding")
        TECHNICAL = "technical", _("Technical assistance")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATUSES = [Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS]
    # Which status may follow which; anything else is refused.
    TRANSITIONS: dict[str, list[str]] = {
        Status.NEW: [Status.ACKNOWLEDGED, Status.DECLINED, Status.WITHDRAWN],
        Status.ACKNOWLEDGED: [
            Status.IN_PROGRESS,
            Status.DELIVERED,
            Status.DECLINED,
            Status.WITHDRAWN,
        ],
        Status.IN_PROGRESS: [Status.DELIVERED, Status.DECLINED, Status.WITHDRAWN],
        Status.DELIVERED: [],
        Status.DECLINED: [],
        Status.WITHDRAWN: [],
    }
    VISIBILITIES = [Visibility.LIAISON, Visibility.DEPARTMENT, Visibility.PUBLIC]

    organization = models.ForeignKey(
        "partners.Organization",
        on_delete=models.CASCADE,
        related_name="asks",
        verbose_name=_("organization"),
    )
    campaign = models.ForeignKey(
        "partners.Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asks",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(_("kind of support"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what you need"))
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asks_owned",
        verbose_name=_("owner on staff"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    delivered_summary = models.TextField(_("what was delivered"), blank=True)
    delivered_links = models.TextField(_("links delivered"), blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=[(v.value, v.label) for v in VISIBILITIES],
        default=Visibility.LIAISON,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("filed"), default=timezone.now)
    updated = models.DateTimeField(auto_now=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AskQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("ask")
        verbose_name_plural = _("asks")
        constraints = [
            models.CheckConstraint(
                name="declined_ask_has_reason",
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
            ),
            models.CheckConstraint(
                name="ask_is_never_private", condition=~models.Q(visibility="private")
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("support:ask", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return self.organization_id

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.needed_by and self.needed_by < timezone.localdate())

    def next_statuses(self) -> list[str]:
        return self.TRANSITIONS.get(self.status, [])


class AskEvent(models.Model):
    """One entry of an ask's timeline: a status change, an assignment, an edit or a comment."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status change")
        COMMENT = "comment", _("Comment")
        ASSIGNED = "assigned", _("Assignment")
        EDITED = "edited", pgettext_lazy("ask timeline event", "Edit")

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.STATUS)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=Ask.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Ask.Status.choices, blank=True)
    comment = models.TextField(blank=True)
    # For assignments: the new owner (empty when the ask was unassigned).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.ask_id}: {self.from_status} → {self.to_status}"


def delivery_upload_to(instance: AskFile, filename: str) -> str:
    # Files are served only through a view that checks visibility; the random directory
    # keeps a bare media URL unguessable should a web server ever expose MEDIA_ROOT.
    return f"asks/{instance.ask_id}/{secrets.token_urlsafe(16)}/{filename}"


class AskFile(models.Model):
    """A file delivered in answer to an ask."""

    ask = models.ForeignKey(Ask, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=delivery_upload_to)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
