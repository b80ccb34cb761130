"""The history of merged duplicates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models.actors import actor_constraints
from partners.models import Organization, Person
from powershare.visibility import Visibility, VisibleQuerySet


class MergeQuerySet(VisibleQuerySet):
    pass


class Merge(models.Model):
    """The history of a duplicate merged into another record: what it was, and who merged it."""

    class RecordType(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")

    record_type = models.CharField(max_length=16, choices=RecordType.choices)
    kept_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="merges"
    )
    kept_organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="merges"
    )
    merged_name = models.CharField(_("merged record"), max_length=200)
    merged_id = models.PositiveIntegerField()
    snapshot = models.JSONField(default=dict)
    moved = models.JSONField(default=dict)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    visibility = models.CharField(max_length=16, choices=Visibility.choices)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [*actor_constraints("merge_kept", "kept_person", "kept_organization")]

    def __str__(self) -> str:
        return self.merged_name

    def owning_organization_id(self) -> int | None:
        return self.organization_id
