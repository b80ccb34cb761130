"""The public-records export: the records matching a request, as one CSV per kind in a ZIP,
with exempt and personal fields redacted and a log of everything withheld and why.

It reads only what the requester may read (each kind's ``visible_to``), so a partner's private
record never reaches it: such records are counted in the log as withheld in full, without a
name, a number or any content, as the audit log shows them. High-risk contacts
(``partners.rules.contact_value``) and protected complainants (``regulatory.rules``) are
withheld whatever the labels say.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from partners.rules import CONTACT_FIELDS, contact_value
from powershare.audit.views import actor_label
from powershare.exports import safe_cell
from powershare.records import labels
from powershare.records.kinds import KINDS, Kind, exported_fields
from powershare.visibility import can_view
from regulatory.rules import can_see_identity

IDENTITY_FIELDS = ("complainant_name", "complainant_phone", "complainant_email")
WHOLE_RECORD = "(whole record)"
PRIVATE = "(private record)"


@dataclass
class Request:
    kinds: list[str]
    since: date | None = None
    until: date | None = None
    search: str = ""


@dataclass
class KindResult:
    kind: Kind
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    withheld_records: int = 0
    withheld_fields: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {
            "records": len(self.rows),
            "withheld_records": self.withheld_records,
            "withheld_fields": self.withheld_fields,
        }


@dataclass
class Result:
    kinds: list[KindResult]
    log: list[list[str]]

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        return {r.kind.key: r.counts for r in self.kinds}


def marker(reason: str) -> str:
    return f"[withheld: {reason}]"


def _in_range(kind: Kind, records: models.QuerySet, request: Request) -> models.QuerySet:
    name = kind.date_field
    is_datetime = isinstance(kind.model._meta.get_field(name), models.DateTimeField)
    lookup = f"{name}__date" if is_datetime else name
    if request.since:
        records = records.filter(**{f"{lookup}__gte": request.since})
    if request.until:
        records = records.filter(**{f"{lookup}__lte": request.until})
    return records


def _searched(kind: Kind, records: models.QuerySet, term: str) -> models.QuerySet:
    if not term:
        return records
    q = Q()
    for name in kind.search_fields:
        q |= Q(**{f"{name}__icontains": term})
    return records.filter(q)


def _hidden(user: Any, related: Any) -> bool:
    """A related record with a visibility the requester may not read (a private campaign)."""
    return (
        hasattr(related, "visibility")
        and hasattr(related, "owning_organization_id")
        and (not can_view(user, related))
    )


def _plain(user: Any, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name.rsplit("/", 1)[-1] if value.name else ""
    if isinstance(value, models.Model) and value._meta.label == "accounts.User":
        return actor_label(user, value)  # type: ignore[arg-type]  # by name, never an email
    return str(value)


class _Writer:
    """Turns one record into a row, redacting and logging as it goes."""

    def __init__(self, user: Any, kind: Kind, result: KindResult, log: list[list[str]]):
        self.user, self.kind, self.result, self.log = user, kind, result, log
        self.rules = labels.rules()
        self.fields = exported_fields(kind.model)
        result.header = [f.name for f in self.fields]

    def withhold(self, record: Any, name: str, label: str, reason: str) -> str:
        self.result.withheld_fields += 1
        self.log.append([self.kind.key, f"#{record.pk}", name, label, reason])
        return marker(reason)

    def cell(self, record: Any, f: Any) -> str:
        rule = self.rules[labels.field_key(self.kind.model, f.name)]
        if f.many_to_many:
            related = list(getattr(record, f.name).all())
            value = "; ".join(
                marker(str(labels.PRIVATE_RECORD)) if _hidden(self.user, r) else str(r)
                for r in related
            )
        elif f.is_relation:
            target = getattr(record, f.name)
            if target is not None and _hidden(self.user, target):
                if rule.withheld:
                    return self.withhold(record, f.name, rule.label, rule.reason)
                return self.withhold(record, f.name, "public", str(labels.PRIVATE_RECORD))
            value = _plain(self.user, target)
        else:
            value = _plain(self.user, getattr(record, f.name))
        if value in ("", "[]", "{}"):
            return ""  # nothing to withhold
        if rule.withheld:
            return self.withhold(record, f.name, rule.label, rule.reason)
        return self.protected(record, f.name, value)

    def protected(self, record: Any, name: str, value: str) -> str:
        """Contacts and identities no label can release."""
        model = record._meta.model_name
        if name in CONTACT_FIELDS.get(model, ()) and not contact_value(self.user, record, name):
            return self.withhold(record, name, "public", str(labels.HIGH_RISK))
        if (
            model == "complaint"
            and name in IDENTITY_FIELDS
            and not can_see_identity(self.user, record)
        ):
            return self.withhold(record, name, "public", str(labels.PROTECTED_COMPLAINANT))
        return value

    def row(self, record: Any) -> list[Any]:
        return [self.cell(record, f) for f in self.fields]


def gather(user: Any, request: Request) -> Result:
    """Every record of the requested kinds that ``user`` may read and that matches."""
    log: list[list[str]] = []
    results = []
    for key in request.kinds:
        kind = KINDS[key]
        result = KindResult(kind)
        writer = _Writer(user, kind, result, log)
        visible = _searched(kind, _in_range(kind, kind.visible_to(user), request), request.search)
        for record in visible.order_by("pk"):
            result.rows.append(writer.row(record))
        # Records the requester may not read: counted, never named or searched.
        hidden = _in_range(kind, kind.objects(), request).exclude(
            pk__in=kind.visible_to(user).values("pk")
        )
        result.withheld_records = hidden.count()
        for _n in range(result.withheld_records):
            log.append([key, PRIVATE, WHOLE_RECORD, "", str(labels.PRIVATE_RECORD)])
        results.append(result)
    return Result(results, log)


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs then read UTF-8 (Spanish names) correctly
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def to_zip(result: Result, *, description: str, request: Request, when: datetime) -> bytes:
    """The ZIP a requester receives: one CSV per kind, the withholding log and a summary."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for kind_result in result.kinds:
            archive.writestr(
                f"{kind_result.kind.key}.csv", _csv(kind_result.header, kind_result.rows)
            )
        archive.writestr(
            "withholding-log.csv",
            _csv([_("Kind"), _("Record"), _("Field"), _("Label"), _("Reason")], result.log),
        )
        lines = [
            _("Public-records request"),
            _("Produced: %(when)s") % {"when": when.isoformat(timespec="minutes")},
            _("Request: %(text)s") % {"text": description},
            _("From: %(date)s") % {"date": request.since or "—"},
            _("To: %(date)s") % {"date": request.until or "—"},
            _("Search: %(term)s") % {"term": request.search or "—"},
            "",
        ]
        for kind_result in result.kinds:
            c = kind_result.counts
            lines.append(
                _(
                    "%(kind)s: %(records)s records, %(whole)s withheld in full, %(fields)s fields withheld"
                )
                % {
                    "kind": kind_result.kind.label,
                    "records": c["records"],
                    "whole": c["withheld_records"],
                    "fields": c["withheld_fields"],
                }
            )
        archive.writestr("request.txt", "\n".join(str(line) for line in lines) + "\n")
    return buffer.getvalue()
