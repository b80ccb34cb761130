"""Board meetings: agenda, materials, access needs asked for in advance, attendance, minutes,
and motions with their votes."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accountability.models.board import Board, Term


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: object) -> MeetingQuerySet:
        """Public meetings for everyone; closed ones for board members and department staff."""
        if getattr(user, "is_authenticated", False) and (
            user.is_department or user.is_board_member  # type: ignore[attr-defined]
        ):
            return self
        return self.filter(is_public=True)


class Meeting(models.Model):
    """A scheduled meeting of the board."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=300)
    is_public = models.BooleanField(
        _("open to the public"),
        default=True,
        help_text=_("Public meetings are listed on the public calendar with their agenda."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    interpretation = models.CharField(
        _("interpretation offered"),
        max_length=200,
        blank=True,
        help_text=_("For example: Spanish, ASL. Other needs can be requested in advance."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published = models.DateTimeField(_("minutes published"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(_("last changed"), auto_now=True)
    # iCalendar's SEQUENCE: bumped when the details a calendar shows change, so a subscriber's
    # calendar program replaces its copy of a rescheduled or cancelled meeting.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                name="meeting_ends_after_start",
                condition=Q(ends__gte=models.F("starts")),
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="published_minutes_are_written",
                condition=Q(minutes_published__isnull=True) | ~Q(minutes=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("accountability:meeting", args=[self.pk])

    @property
    def is_past(self) -> bool:
        return self.starts <= timezone.now()

    def present_terms(self) -> models.QuerySet[Term]:
        return Term.objects.filter(attendance__meeting=self, attendance__present=True)

    def quorum(self) -> tuple[int, int]:
        """(members present, members needed) from the attendance recorded."""
        present = self.attendance.filter(present=True).count()
        seated = self.board.seated_terms(timezone.localdate(self.starts)).count()
        return present, self.board.quorum_needed(seated)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("agenda item"), max_length=300)

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


def material_upload_to(instance: Material, filename: str) -> str:
    # Served only through a view that checks who may read the meeting's materials.
    return f"board/{instance.meeting_id}/{secrets.token_urlsafe(16)}/{filename}"


class Material(models.Model):
    """A file for a meeting: board packet, presentation, draft recommendation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=material_upload_to)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Public materials of a public meeting can be read by anyone."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded", "pk"]
        verbose_name = _("material")

    def __str__(self) -> str:
        return self.title


class AccessRequest(models.Model):
    """Interpretation or another access need, asked for before the meeting. Staff only read it."""

    class Kind(models.TextChoices):
        INTERPRETATION = "interpretation", _("Spoken-language interpretation")
        SIGN = "sign", _("Sign-language interpretation")
        CAPTIONS = "captions", _("Live captions")
        CHILDCARE = "childcare", _("Childcare")
        TRANSPORT = "transport", _("Transportation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ARRANGED = "arranged", _("Arranged")
        UNABLE = "unable", _("Could not be arranged")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="access_requests")
    kind = models.CharField(_("what you need"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language (for interpretation)"), max_length=60, blank=True)
    details = models.TextField(_("details"), blank=True)
    name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("email, so we can confirm"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("access request")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"


class Attendance(models.Model):
    """Whether a seated member was at a meeting; the stipend list is built from these."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        ordering = ["meeting", "term"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "term"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.term.member} @ {self.meeting}"


class Motion(models.Model):
    """A motion put to the board, and its outcome. A counted vote needs quorum unless informal."""

    class Result(models.TextChoices):
        CARRIED = "carried", _("Carried")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    text = models.TextField(_("motion"))
    moved_by = models.ForeignKey(
        Term,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moved by"),
    )
    seconded_by = models.ForeignKey(
        Term,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seconded by"),
    )
    informal = models.BooleanField(
        _("informal (a sense of the members present, not a decision of the board)"), default=False
    )
    secret = models.BooleanField(_("secret ballot"), default=False)
    yes = models.PositiveSmallIntegerField(pgettext_lazy("votes", "yes"), default=0)
    no = models.PositiveSmallIntegerField(pgettext_lazy("votes", "no"), default=0)
    abstain = models.PositiveSmallIntegerField(_("abstain"), default=0)
    present = models.PositiveSmallIntegerField(default=0)
    quorum_needed = models.PositiveSmallIntegerField(default=0)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "recorded", "pk"]
        verbose_name = _("motion")
        constraints = [
            # The rule of the issue, kept by the database too: no counted vote without quorum.
            models.CheckConstraint(
                name="formal_vote_needs_quorum",
                condition=Q(informal=True) | Q(present__gte=models.F("quorum_needed")),
            ),
            models.CheckConstraint(
                name="votes_cast_by_members_present",
                condition=Q(present__gte=models.F("yes") + models.F("no") + models.F("abstain")),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Vote(models.Model):
    """How one member voted on a motion; never stored for a secret ballot."""

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)

    class Meta:
        ordering = ["motion", "term"]
        constraints = [
            models.UniqueConstraint(fields=["motion", "term"], name="one_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.term.member}: {self.choice}"
