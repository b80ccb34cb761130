"""The foundation's rows of the visibility matrix: department staff only, admins for changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from foundation import actions
from foundation.tests.factories import make_round, readiness
from powershare.matrix import SIGNED_IN, STAFF, Row, page, signed_in_only
from powershare.testing import Cast, make_ask

STAFF_ONLY = signed_in_only(STAFF)
ADMIN_ONLY = signed_in_only({"admin"})


def _r(key: str) -> Any:
    return lambda c, r: [r[key].pk]


ROWS = [
    Row("foundation:index", lambda c, r: [], STAFF_ONLY),
    Row("foundation:instruments", lambda c, r: [], STAFF_ONLY),
    Row("foundation:instrument_new", lambda c, r: [], ADMIN_ONLY),
    Row("foundation:instrument", _r("foundation_instrument"), STAFF_ONLY),
    Row("foundation:instrument_edit", _r("foundation_instrument"), ADMIN_ONLY),
    Row("foundation:instrument_export", _r("foundation_instrument"), STAFF_ONLY),
    Row("foundation:round_new", _r("foundation_instrument"), ADMIN_ONLY),
    Row("foundation:round", _r("foundation_round"), STAFF_ONLY),
    Row("foundation:round_answer", _r("foundation_round"), STAFF_ONLY),
    Row("foundation:round_mine", _r("foundation_round"), STAFF_ONLY),
    Row("foundation:round_close", _r("foundation_round"), ADMIN_ONLY, "post"),
    Row("foundation:risks", lambda c, r: [], STAFF_ONLY),
    Row("foundation:risk_export", lambda c, r: [], STAFF_ONLY),
    Row("foundation:risk_new", lambda c, r: [], STAFF_ONLY),
    Row("foundation:risk", _r("foundation_risk"), STAFF_ONLY),
    Row("foundation:risk_edit", _r("foundation_risk"), STAFF_ONLY),
    Row("foundation:risk_delete", _r("foundation_risk"), ADMIN_ONLY),
    Row("foundation:resources", lambda c, r: [], STAFF_ONLY),
    Row("foundation:resource_export", lambda c, r: [], STAFF_ONLY),
    Row("foundation:resource_new", lambda c, r: [], ADMIN_ONLY),
    Row("foundation:resource", _r("foundation_resource"), STAFF_ONLY),
    Row("foundation:resource_edit", _r("foundation_resource"), ADMIN_ONLY),
    Row("foundation:commitment_new", _r("foundation_resource"), STAFF_ONLY),
    Row(
        "foundation:commitment_delete",
        lambda c, r: [r["foundation_resource"].pk, r["foundation_commitment"].pk],
        ADMIN_ONLY,
    ),
    Row("foundation:compliance", lambda c, r: [], STAFF_ONLY),
    Row("foundation:compliance_export", lambda c, r: [], STAFF_ONLY),
    Row("foundation:ask_classify", _r("foundation_ask"), STAFF_ONLY, label="department ask"),
    Row(
        "foundation:ask_classify",
        _r("foundation_liaison_ask"),
        page({"liaison"}, denied=SIGNED_IN - STAFF),
        label="liaison ask",
    ),
]


def records(cast: Cast) -> dict[str, Any]:
    resource = actions.create_resource(
        actor=cast.admin, kind="funding", name="Grant", amount=Decimal("100")
    )
    return {
        "foundation_instrument": readiness(),
        "foundation_round": make_round(admin=cast.admin),
        "foundation_risk": actions.create_risk(
            actor=cast.admin, title="Backlash", category="backlash", likelihood=2, impact=3
        ),
        "foundation_resource": resource,
        "foundation_commitment": actions.add_commitment(
            actor=cast.admin, resource=resource, amount=Decimal("10"), description="x"
        ),
        "foundation_ask": make_ask(cast.org_a, visibility="department", kind="testimony"),
        "foundation_liaison_ask": make_ask(cast.org_a, visibility="liaison", kind="funding"),
    }
