"""The audit log page for department admins, filterable by record, user and date."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.audit.forms import AuditFilterForm
from powershare.audit.log import NOT_KEPT
from powershare.audit.models import AuditEvent
from powershare.decorators import department_admin_required
from powershare.exports import csv_response
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_view


def _filtered(request: HttpRequest) -> QuerySet[AuditEvent]:
    filters = AuditFilterForm(request.GET).filters()
    events = AuditEvent.objects.select_related("actor")
    if filters.get("record_type"):
        events = events.filter(record_type=filters["record_type"])
    if filters.get("record_id"):
        events = events.filter(record_id=filters["record_id"])
    if filters.get("user"):
        events = events.filter(actor_id=filters["user"])
    if filters.get("since"):
        events = events.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        events = events.filter(at__date__lte=filters["until"])
    return events


def _shares_organization(reader: User, actor: User) -> bool:
    """Department staff together, or members of one organization."""
    if reader.pk == actor.pk or (reader.is_department and actor.is_department):
        return True
    return bool(reader.organization_ids & actor.organization_ids)


def actor_label(reader: User, actor: User | None) -> str:
    """Who did it, by name; an email address only to someone of the actor's organization."""
    if actor is None:
        return ""
    if actor.name:
        return actor.name
    if _shares_organization(reader, actor):
        return actor.email
    return _("User %(n)s") % {"n": actor.pk}


def _labeller(reader: User) -> Callable[[User | None], str]:
    """``actor_label`` for one reader, asking about each actor's organizations once."""
    labels: dict[int, str] = {}

    def label(actor: User | None) -> str:
        if actor is None:
            return ""
        if actor.pk not in labels:
            labels[actor.pk] = actor_label(reader, actor)
        return labels[actor.pk]

    return label


def _changes(event: AuditEvent) -> dict[str, object]:
    """The stored changes, with contact fields shown as changed and their value not kept."""
    return {
        k: _("changed (the value is not kept)") if v == NOT_KEPT else v
        for k, v in event.changes.items()
    }


def _redacted(user: User, event: AuditEvent) -> bool:
    """Events about a record the admin may not read show no name and no changes."""
    if not event.visibility:
        return False
    return not can_view(user, event)


@department_admin_required
def log(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    page = paginate(request, events, per_page=50)
    label = _labeller(request.user)
    for event in page.object_list:
        event.redacted = _redacted(request.user, event)
        event.actor_label = label(event.actor)
        event.shown_changes = {} if event.redacted else _changes(event)
    context = {
        "page": page,
        "events": page.object_list,
        "query": query_without_page(request),
        "filters": request.GET,
        "record_types": AuditEvent.objects.values_list("record_type", flat=True)
        .distinct()
        .order_by("record_type"),
        "users": [
            (u.pk, actor_label(request.user, u))
            for u in User.objects.filter(pk__in=AuditEvent.objects.values("actor_id"))
        ],
    }
    return render(request, "audit/log.html", context)


@department_admin_required
def export(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    label = _labeller(request.user)
    header = [_("When"), _("Who"), _("Event"), _("Record type"), _("Record"), _("Changes")]

    def rows():  # type: ignore[no-untyped-def]
        for event in events.iterator():
            hidden = _redacted(request.user, event)
            yield [
                event.at.isoformat(),
                label(event.actor),
                event.event,
                event.record_type,
                _("(private record)") if hidden else f"{event.record_repr} #{event.record_id}",
                "" if hidden else _changes(event),
            ]

    return csv_response("audit-log.csv", header, rows())
