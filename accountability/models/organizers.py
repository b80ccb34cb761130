"""Community organizers hired into the department: the position, how the community shaped it,
and the partnerships and campaigns the organizer supports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from powershare.visibility import STAFF_VISIBILITIES, Visibility


class OrganizerPositionQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> OrganizerPositionQuerySet:
        """A department record: public ones for everyone, the rest for department staff."""
        if getattr(user, "is_authenticated", False) and user.is_department:  # type: ignore[attr-defined]
            return self
        return self.filter(visibility=Visibility.PUBLIC)


class OrganizerPosition(models.Model):
    """A community-organizer position on the department's staff. A department record:
    ``department`` or ``public``."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Being written with the community")
        POSTED = "posted", _("Posted")
        FILLED = "filled", _("Filled")
        VACANT = "vacant", _("Vacant again")

    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(
        "partners.Organization",
        on_delete=models.PROTECT,
        related_name="organizer_positions",
        limit_choices_to={"kind": "unit"},
        verbose_name=_("department unit"),
    )
    job_description = models.TextField(_("job description"))
    community_input = models.TextField(
        _("how the community shaped it"),
        help_text=_(
            "Who was asked, what they said, and what changed in the position because of it."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFTING
    )
    posted_on = models.DateField(_("posted on"), null=True, blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizer_positions",
        verbose_name=_("organizer"),
    )
    partnerships = models.ManyToManyField(
        "partners.Partnership",
        blank=True,
        related_name="organizer_positions",
        verbose_name=_("partnerships supported"),
    )
    campaigns = models.ManyToManyField(
        "partners.Campaign",
        blank=True,
        related_name="organizer_positions",
        verbose_name=_("campaigns supported"),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=[(v.value, v.label) for v in STAFF_VISIBILITIES],
        default=Visibility.PUBLIC,
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = OrganizerPositionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("organizer position")
        verbose_name_plural = _("organizer positions")
        constraints = [
            models.CheckConstraint(
                name="organizer_position_is_department_or_public",
                condition=Q(visibility__in=["department", "public"]),
            ),
            models.CheckConstraint(
                name="hired_after_posted",
                condition=Q(hired_on__isnull=True)
                | Q(posted_on__isnull=True)
                | Q(hired_on__gte=models.F("posted_on")),
                violation_error_message=_("The hire date cannot come before the posting date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("accountability:organizer", args=[self.pk])

    def owning_organization_id(self) -> int | None:
        return None
