"""Changes to the department's suppression policy: a proposal waits for a second department admin,
and every policy applied is kept as a numbered version.

Imported at the end of ``data.models`` (that module is already long), so the models belong to
the ``data`` app like the others.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PolicyChange(models.Model):
    """A department admin's proposed change to the policy; another admin approves or rejects it,
    or the proposer withdraws it. Only one is pending at a time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a second administrator")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Preview(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Comparing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    # Every engine field as proposed, and the policy it was proposed against (to refuse an
    # approval after the policy moved under it).
    fields = models.JSONField(default=dict)
    base = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)  # {field: [now, proposed]}
    reason = models.TextField(_("why this change"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    # What the change would do to the published tables (data.policy_impact), filled in the
    # background after the proposal.
    preview = models.JSONField(default=dict, blank=True)
    preview_status = models.CharField(
        max_length=16, choices=Preview.choices, default=Preview.QUEUED
    )
    preview_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("policy change")
        verbose_name_plural = _("policy changes")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="pending"),
                name="data_policychange_one_pending",
            ),
            # The second pair of eyes, in the database too: nobody approves their own change.
            models.CheckConstraint(
                condition=~Q(status="approved", decided_by=F("proposed_by")),
                name="data_policychange_not_self_approved",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="data_policychange_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Policy change %(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("data:policy_change", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def preview_finished(self) -> bool:
        return self.preview_status in (self.Preview.DONE, self.Preview.FAILED)


class PolicyVersion(models.Model):
    """One policy as applied: its number, every engine field, what changed, who proposed it and
    who approved it (none when applied directly, as the demo and the tests do)."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    fields = models.JSONField(default=dict)
    changes = models.JSONField(default=dict)  # {field: [before, after]}
    change = models.OneToOneField(
        PolicyChange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="version",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    reason = models.TextField(_("why"), blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="data_policyversion_number"),
        ]

    def __str__(self) -> str:
        return gettext("Policy version %(n)s") % {"n": self.number}
