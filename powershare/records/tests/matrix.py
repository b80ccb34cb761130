"""The records module's rows of the visibility matrix: every page is for department admins."""

from __future__ import annotations

from typing import Any

from powershare.matrix import Row, signed_in_only
from powershare.records import actions
from powershare.testing import Cast

ADMINS = signed_in_only({"admin"})


def _r(key: str) -> Any:
    return lambda c, r: [r[key].pk]


ROWS = [
    Row("records:retention", lambda c, r: [], ADMINS),
    Row("records:retention_preview", lambda c, r: [], ADMINS),
    Row("records:retention_run", lambda c, r: [], ADMINS, "post"),
    Row("records:hold_new", lambda c, r: [], ADMINS, "post"),
    Row("records:hold_release", _r("records_hold"), ADMINS, "post"),
    Row("records:rule_edit", lambda c, r: ["complaints"], ADMINS),
    Row("records:labels", lambda c, r: [], ADMINS),
    Row("records:label_edit", lambda c, r: ["partners.Organization.contact_email"], ADMINS),
    Row("records:requests", lambda c, r: [], ADMINS),
    Row("records:request_new", lambda c, r: [], ADMINS),
    Row("records:request", _r("records_request"), ADMINS),
    Row("records:request_file", _r("records_request"), ADMINS),
]


def records(cast: Cast) -> dict[str, Any]:
    from powershare.audit.models import AuditEvent

    entry = AuditEvent.objects.order_by("pk").first()
    assert entry is not None  # the core records are made through actions
    hold = actions.place_hold(
        actor=cast.admin, kind="audit", record_id=entry.pk, reason="Litigation hold"
    )
    answer = actions.answer_request(
        actor=cast.admin,
        description="Every campaign and organization",
        kinds=["campaigns", "organizations", "meetings", "audit"],
    )
    return {"records_hold": hold, "records_request": answer}
