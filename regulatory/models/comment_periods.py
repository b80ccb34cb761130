"""Comment periods: open rulemakings and permit hearings where partners can mobilize
testimony."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from powershare.visibility import Visibility, VisibleQuerySet
from regulatory.models.authorities import STAFF_CHOICES, Authority
from regulatory.models.campaign_actions import RegulatoryAction


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
    # iCalendar's SEQUENCE of its events: bumped on every change (see save_comment_period).
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)

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
