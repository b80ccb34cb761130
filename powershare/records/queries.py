"""Reads of the records module: the schedule with its last run and preview, holds, the labels
table and the history of requests answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from powershare.records import labels, retention
from powershare.records.kinds import KINDS, RETENTION_KINDS, exported_fields
from powershare.records.models import LegalHold, RecordsRequest, RetentionRule, RetentionRun

PREVIEW_LIMIT = 50


@dataclass
class ScheduleRow:
    rule: RetentionRule
    label: str
    runs_from_label: str
    cutoff: datetime


def schedule(now: datetime | None = None) -> list[ScheduleRow]:
    """Each kind's rule with the date before which its records are past their date."""
    now = now or timezone.now()
    return [
        ScheduleRow(
            rule,
            str(RETENTION_KINDS[key].label),
            str(RETENTION_KINDS[key].runs_from.get(rule.runs_from, rule.runs_from)),
            retention.cutoff(rule, now),
        )
        for key, rule in retention.rules().items()
    ]


def last_run() -> RetentionRun | None:
    """The latest run of the schedule."""
    return RetentionRun.objects.select_related("actor").first()


def report_rows(report: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A run's or a preview's report, in the schedule's order, with each kind's name."""
    return [
        {"kind": str(kind.label), **report[key]}
        for key, kind in RETENTION_KINDS.items()
        if key in report
    ]


def preview_records(user: Any, now: datetime | None = None) -> list[dict[str, Any]]:
    """For each kind, the first records a run would remove now: number, date and name (or
    "(private record)" for one the admin may not read)."""
    now = now or timezone.now()
    result = []
    for key, rule in retention.rules().items():
        kind = RETENTION_KINDS[key]
        if not rule.active:
            result.append({"kind": str(kind.label), "action": "off", "count": 0, "records": []})
            continue
        due = retention.due(kind, rule, now).order_by(rule.runs_from, "pk")
        readable = set(
            kind.visible_to(user).filter(pk__in=due.values("pk")).values_list("pk", flat=True)
        )
        records = [
            {
                "pk": r.pk,
                "date": getattr(r, rule.runs_from),
                "name": str(r) if r.pk in readable else None,
            }
            for r in due[:PREVIEW_LIMIT]
        ]
        result.append(
            {
                "kind": str(kind.label),
                "action": rule.action,
                "count": due.count(),
                "records": records,
            }
        )
    return result


def open_holds() -> QuerySet[LegalHold]:
    """Legal holds in force."""
    return LegalHold.objects.filter(released_at__isnull=True).select_related("placed_by")


def label_table() -> list[dict[str, Any]]:
    """Every covered field by kind, with the label in force and the default."""
    rules = labels.rules()
    table = []
    for key, kind in KINDS.items():
        fields = []
        for f in exported_fields(kind.model):
            field_key = labels.field_key(kind.model, f.name)
            fields.append(
                {
                    "name": f.name,
                    "verbose": getattr(f, "verbose_name", f.name),
                    "rule": rules[field_key],
                }
            )
        table.append({"key": key, "label": str(kind.label), "fields": fields})
    return table


def requests() -> QuerySet[RecordsRequest]:
    """The public-records requests answered, newest first."""
    return RecordsRequest.objects.select_related("requester")
