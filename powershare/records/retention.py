"""Which records are past their date under the schedule, and what applying it does to them.

A record is past its date when the date its period runs from, plus the period, is before now:
with a period of 3 years counted from closing, a complaint closed on 2 March 2022 goes on the
first run after 2 March 2025. Records still open or in force, records under a legal hold, and
whole kinds whose rule is not applied are never touched.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.db.models import Q

from powershare.records.kinds import RETENTION_KINDS, Kind
from powershare.records.models import LegalHold, RetentionRule


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` ``months`` calendar months earlier; the 31st becomes the month's last day."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff(rule: RetentionRule, now: datetime) -> datetime:
    """Records whose date is before this are past their date under ``rule``."""
    if rule.unit == RetentionRule.Unit.DAYS:
        return now - timedelta(days=rule.amount)
    months = rule.amount * (12 if rule.unit == RetentionRule.Unit.YEARS else 1)
    return months_before(now, months)


def _date_q(kind: Kind, rule: RetentionRule, now: datetime) -> Q:
    field = kind.model._meta.get_field(rule.runs_from)
    limit: date | datetime = cutoff(rule, now)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        limit = limit.date()  # type: ignore[union-attr]
    return Q(**{f"{rule.runs_from}__lt": limit})


def held_ids(kind: str) -> models.QuerySet:
    return LegalHold.objects.filter(kind=kind, released_at__isnull=True).values("record_id")


def due(kind: Kind, rule: RetentionRule, now: datetime) -> models.QuerySet:
    """The records of ``kind`` past their date under ``rule``, open and held ones left out."""
    records = kind.objects().filter(_date_q(kind, rule, now)).exclude(pk__in=held_ids(kind.key))
    if kind.open_q is not None:
        records = records.exclude(kind.open_q())
    return records


def held_past_date(kind: Kind, rule: RetentionRule, now: datetime) -> int:
    """How many records would be past their date but for a legal hold."""
    records = kind.objects().filter(_date_q(kind, rule, now), pk__in=held_ids(kind.key))
    if kind.open_q is not None:
        records = records.exclude(kind.open_q())
    return records.count()


def _files(kind: Kind, records: models.QuerySet) -> list[tuple[Any, str]]:
    """The stored files of ``records`` (storage, name), to remove once the change is committed."""
    found = []
    for path in kind.file_fields:
        model: Any = kind.model
        *relation, name = path.split("__")
        if relation:
            model = model._meta.get_field(relation[0]).related_model
        storage = model._meta.get_field(name).storage
        for value in (
            records.exclude(**{path: ""})
            .exclude(**{f"{path}__isnull": True})
            .values_list(path, flat=True)
        ):
            found.append((storage, value))
    return found


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            pass  # already gone; the record no longer names it


def apply_rule(kind: Kind, rule: RetentionRule, now: datetime) -> int:
    """Delete or anonymize what is past its date under ``rule``; returns how many records."""
    records = due(kind, rule, now)
    ids = list(records.values_list("pk", flat=True))
    if not ids:
        return 0
    chosen = kind.model._default_manager.filter(pk__in=ids)
    files = _files(kind, chosen)
    if rule.action == RetentionRule.Action.DELETE:
        chosen.delete()
    else:
        if kind.also is not None:
            kind.also(chosen)
        chosen.update(**kind.blank)
    transaction.on_commit(lambda: _remove_files(files))
    return len(ids)


def rules() -> dict[str, RetentionRule]:
    """The schedule, one rule per kind; a missing rule is made with the kind's default."""
    existing = {rule.kind: rule for rule in RetentionRule.objects.all()}
    for key, kind in RETENTION_KINDS.items():
        if key not in existing:
            assert kind.default is not None
            amount, unit, runs_from, action = kind.default
            existing[key] = RetentionRule.objects.create(
                kind=key, amount=amount, unit=unit, runs_from=runs_from, action=action
            )
    return {key: existing[key] for key in RETENTION_KINDS}
