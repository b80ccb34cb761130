"""The kinds of record the retention schedule and the public-records export cover.

Each kind names its model, the dates a retention period may run from, which records are still
open (the schedule never touches them), what anonymizing blanks, and, for the export, the date
a request's range filters on, the fields a search term looks in, and the records a requester may
read (through the project's visibility rules, never by hand).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from powershare.records.models import RetentionKind
from powershare.visibility import visible_q

# What a required free-text field holds once anonymized.
REMOVED = "[removed]"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    model_label: str  # app_label.Model
    date_field: str  # what a request's date range filters on
    search_fields: tuple[str, ...]
    # Retention: the dates a period may run from (field → label), the default rule.
    runs_from: dict[str, Promise] = field(default_factory=dict)
    default: tuple[int, str, str, str] | None = None  # amount, unit, runs_from, action
    # Records never touched while this holds (still open or in force).
    open_q: Callable[[], Q] | None = None
    # Anonymizing: field → value it gets; then ``also`` runs on the anonymized records.
    blank: dict[str, Any] = field(default_factory=dict)
    also: Callable[[models.QuerySet], None] | None = None
    file_fields: tuple[str, ...] = ()  # files to remove from storage with the record
    base_q: Q = field(default_factory=Q)
    visible: Callable[[Any], models.QuerySet] | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    def objects(self) -> models.QuerySet:
        """Every record of this kind."""
        return self.model._default_manager.filter(self.base_q)

    def visible_to(self, user: Any) -> models.QuerySet:
        """The records of this kind ``user`` may read."""
        assert self.visible is not None
        return self.visible(user).filter(self.base_q)


def _clear_meeting_people(meetings: models.QuerySet) -> None:
    for meeting in meetings:
        meeting.people.clear()


def _anonymize_complaint_parts(complaints: models.QuerySet) -> None:
    from regulatory.models import ComplaintEvent, ComplaintFile, Inspection, Retaliation

    ComplaintFile.objects.filter(complaint__in=complaints).delete()  # photos can identify
    ComplaintEvent.objects.filter(complaint__in=complaints).update(message="")
    Inspection.objects.filter(complaint__in=complaints).update(findings="")
    Retaliation.objects.filter(complaint__in=complaints).update(description=REMOVED, response="")


def _anonymize_ask_parts(asks: models.QuerySet) -> None:
    from support.models import AskEvent, AskFile

    AskFile.objects.filter(ask__in=asks).delete()
    AskEvent.objects.filter(ask__in=asks).update(comment="")
    asks.filter(status="declined").update(decline_reason=REMOVED)


def _meetings_visible(user: Any) -> models.QuerySet:
    from partners.models import RelationalMeeting

    # One-to-one notes are the department's: staff read them all, partners those shared.
    if getattr(user, "is_department", False):
        return RelationalMeeting.objects.all()
    if not getattr(user, "is_authenticated", False):
        return RelationalMeeting.objects.none()
    return RelationalMeeting.objects.filter(
        partnership__cpbo__in=user.organization_ids, shared_with_partner=True
    )


def _agreements_visible(user: Any) -> models.QuerySet:
    from data.models import DataAgreement

    if getattr(user, "is_department", False):
        return DataAgreement.objects.all()
    if not getattr(user, "is_authenticated", False):
        return DataAgreement.objects.none()
    return DataAgreement.objects.filter(organization__in=user.organization_ids)


def _audit_visible(user: Any) -> models.QuerySet:
    from powershare.audit.models import AuditEvent

    if not getattr(user, "is_department_admin", False):
        return AuditEvent.objects.none()
    # As on the audit log page: an event about a record the reader may not read is withheld.
    return AuditEvent.objects.filter(Q(visibility="") | visible_q(user))


def _visible_of(label: str) -> Callable[[Any], models.QuerySet]:
    return lambda user: apps.get_model(label)._default_manager.visible_to(user)


KINDS: dict[str, Kind] = {
    k.key: k
    for k in [
        Kind(
            key=RetentionKind.MEETINGS,
            label=_("One-to-one notes"),
            model_label="partners.RelationalMeeting",
            date_field="date",
            search_fields=("purpose", "follow_ups", "interests", "self_interest"),
            runs_from={"date": _("the meeting date"), "created": _("when it was recorded")},
            default=(3, "years", "date", "anonymize"),
            blank={"purpose": REMOVED, "follow_ups": "", "interests": "", "self_interest": ""},
            also=_clear_meeting_people,
            visible=_meetings_visible,
        ),
        Kind(
            key=RetentionKind.COMPLAINTS,
            label=_("Complaints"),
            model_label="regulatory.Complaint",
            date_field="created",
            search_fields=("issue", "place_name", "address", "neighborhood", "building_owner"),
            runs_from={"closed_at": _("when it was closed"), "created": _("when it was filed")},
            default=(5, "years", "closed_at", "anonymize"),
            open_q=lambda: Q(closed_at__isnull=True) | ~Q(status="closed"),
            blank={
                "issue": REMOVED,
                "place_name": "",
                "address": REMOVED,
                "where_detail": "",
                "building_owner": "",
                "work_type": "",
                "language": "",
                "complainant_name": "",
                "complainant_phone": "",
                "complainant_email": "",
                "contact_ok": False,
                "closure_evidence": "",
            },
            also=_anonymize_complaint_parts,
            file_fields=("files__file",),
            visible=_visible_of("regulatory.Complaint"),
        ),
        Kind(
            key=RetentionKind.DATA_REQUESTS,
            label=_("Data requests"),
            model_label="support.Ask",
            date_field="created",
            search_fields=("title", "description", "delivered_summary"),
            runs_from={"closed_at": _("when it was closed"), "created": _("when it was filed")},
            default=(3, "years", "closed_at", "anonymize"),
            open_q=lambda: (
                Q(closed_at__isnull=True) | Q(status__in=["new", "acknowledged", "in_progress"])
            ),
            blank={
                "title": REMOVED,
                "description": REMOVED,
                "delivered_summary": "",
                "delivered_links": "",
            },
            also=_anonymize_ask_parts,
            file_fields=("files__file",),
            base_q=Q(kind="data"),
            visible=_visible_of("support.Ask"),
        ),
        Kind(
            key=RetentionKind.DATA_AGREEMENTS,
            label=_("Data-sharing agreements"),
            model_label="data.DataAgreement",
            date_field="start",
            search_fields=("title", "parties", "purpose"),
            runs_from={
                "expires": _("the agreement's end"),
                "start": _("the agreement's start"),
                "created": _("when it was recorded"),
            },
            default=(7, "years", "expires", "delete"),
            open_q=lambda: Q(revoked=False, expires__gte=timezone.localdate()),
            blank={"title": REMOVED, "parties": REMOVED, "purpose": REMOVED, "file": ""},
            file_fields=("file",),
            visible=_agreements_visible,
        ),
        Kind(
            key=RetentionKind.AUDIT,
            label=_("Audit entries"),
            model_label="audit.AuditEvent",
            date_field="at",
            search_fields=("event", "record_type", "record_repr"),
            runs_from={"at": _("when it happened")},
            default=(7, "years", "at", "delete"),
            blank={"record_repr": REMOVED, "changes": {}, "actor": None},
            visible=_audit_visible,
        ),
        # Covered by the export only: partner-owned records with their own visibility.
        Kind(
            key="campaigns",
            label=_("Campaigns"),
            model_label="partners.Campaign",
            date_field="created",
            search_fields=("title", "goal", "demands", "geography"),
            visible=_visible_of("partners.Campaign"),
        ),
        Kind(
            key="organizations",
            label=_("Organizations"),
            model_label="partners.Organization",
            date_field="created",
            search_fields=("name", "mission", "geographies", "organizing_approach"),
            visible=_visible_of("partners.Organization"),
        ),
    ]
}
RETENTION_KINDS = {key: kind for key, kind in KINDS.items() if kind.default is not None}
EXPORT_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]


def exported_fields(model: type[models.Model]) -> list[Any]:
    """The fields of ``model`` an export writes and a label covers: its own columns and its
    many-to-many fields, not the relations other models point at it with."""
    return [
        f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) or (f.many_to_many and not f.auto_created)
    ]
