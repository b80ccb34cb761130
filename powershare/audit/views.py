"""The audit log page for department admins, filterable by record, user and date."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.audit.forms import AuditFilterForm
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


def _redacted(user: User, event: AuditEvent) -> bool:
    """Events about a record the admin may not read show no name and no changes."""
    if not event.visibility:
        return False
    return not can_view(user, event)


@department_admin_required
def log(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    page = paginate(request, events, per_page=50)
    for event in page.object_list:
        event.redacted = _redacted(request.user, event)
    context = {
        "page": page,
        "events": page.object_list,
        "query": query_without_page(request),
        "filters": request.GET,
        "record_types": AuditEvent.objects.values_list("record_type", flat=True)
        .distinct()
        .order_by("record_type"),
        "users": User.objects.filter(pk__in=AuditEvent.objects.values("actor_id")),
    }
    return render(request, "audit/log.html", context)


@department_admin_required
def export(request: HttpRequest) -> HttpResponse:
    events = _filtered(request)
    header = [_("When"), _("Who"), _("Event"), _("Record type"), _("Record"), _("Changes")]

    def rows():  # type: ignore[no-untyped-def]
        for event in events.iterator():
            hidden = _redacted(request.user, event)
            yield [
                event.at.isoformat(),
                event.actor.email if event.actor else "",
                event.event,
                event.record_type,
                _("(private record)") if hidden else f"{event.record_repr} #{event.record_id}",
                "" if hidden else event.changes,
            ]

    return csv_response("audit-log.csv", header, rows())
