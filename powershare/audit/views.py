"""The audit log page for department admins, filterable by record, user and date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.audit.log import NOT_KEPT
from powershare.audit.models import AuditEvent
from powershare.decorators import department_admin_required
from powershare.exports import csv_response
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_view


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(request: HttpRequest) -> tuple[QuerySet[AuditEvent], list[str]]:
    events = AuditEvent.objects.select_related("actor")
    errors = []
    params = request.GET
    if params.get("record_type"):
        events = events.filter(record_type=params["record_type"])
    if params.get("record_id"):
        events = events.filter(record_id=params["record_id"].strip())
    user = params.get("user", "")
    if user.isdigit():
        events = events.filter(actor_id=int(user))
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        raw = params.get(name)
        parsed = _parse_date(raw)
        if raw and parsed is None:
            errors.append(_("%(field)s is not a date (use YYYY-MM-DD).") % {"field": name})
        elif parsed:
            events = events.filter(**{lookup: parsed})
    return events, errors


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
    events, errors = _filtered(request)
    page = paginate(request, events, per_page=50)
    label = _labeller(request.user)
    for event in page.object_list:
        event.redacted = _redacted(request.user, event)
        event.actor_label = label(event.actor)
        event.shown_changes = {} if event.redacted else _changes(event)
    context = {
        "page": page,
        "events": page.object_list,
        "errors": errors,
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
    events, _errors = _filtered(request)
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
