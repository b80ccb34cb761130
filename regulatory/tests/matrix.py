"""The regulatory module's rows of the visibility matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from powershare.matrix import PARTNERS, STAFF, Row, everyone, page, signed_in_only
from powershare.testing import Cast, image_bytes, make_campaign
from regulatory import actions
from regulatory.tests.factories import make_action, make_authority, make_complaint, make_period

READERS_OF_COMPLAINT = page(STAFF | {"partner_a"})
STAFF_ON_COMPLAINT = page(STAFF, denied={"partner_a"})


def _r(key: str) -> Any:
    return lambda c, r: [r[key].pk]


def _complaint_and(key: str) -> Any:
    return lambda c, r: [r["regulatory_complaint"].pk, r[key].pk]


ROWS = [
    Row("regulatory:index", lambda c, r: [], everyone()),
    Row("regulatory:authorities", lambda c, r: [], everyone()),
    Row("regulatory:authority", _r("regulatory_authority"), everyone()),
    Row("regulatory:authority_new", lambda c, r: [], signed_in_only(STAFF)),
    Row("regulatory:authority_edit", _r("regulatory_authority"), signed_in_only(STAFF)),
    Row("regulatory:actions", lambda c, r: [], everyone()),
    Row("regulatory:action_export", lambda c, r: [], everyone()),
    Row("regulatory:action_new", lambda c, r: [], signed_in_only(STAFF)),
    Row(
        "regulatory:action",
        _r("regulatory_action_department"),
        page(STAFF | {"partner_a"}, public="hidden"),
        label="department action on A's private campaign",
    ),
    Row("regulatory:action", _r("regulatory_action_public"), everyone(), label="public"),
    Row("regulatory:action_edit", _r("regulatory_action_department"), signed_in_only(STAFF)),
    Row("regulatory:complaints", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    Row("regulatory:complaint_export", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    Row("regulatory:patterns", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    Row("regulatory:complaint_new", lambda c, r: [], signed_in_only(PARTNERS)),
    Row("regulatory:complaint", _r("regulatory_complaint"), READERS_OF_COMPLAINT),
    Row("regulatory:complaint_triage", _r("regulatory_complaint"), STAFF_ON_COMPLAINT, "post"),
    Row("regulatory:inspection_new", _r("regulatory_complaint"), STAFF_ON_COMPLAINT, "post"),
    Row(
        "regulatory:inspection_record",
        _complaint_and("regulatory_inspection"),
        STAFF_ON_COMPLAINT,
        "post",
    ),
    Row("regulatory:violation_new", _r("regulatory_complaint"), STAFF_ON_COMPLAINT, "post"),
    Row(
        "regulatory:violation_correct",
        _complaint_and("regulatory_violation"),
        STAFF_ON_COMPLAINT,
        "post",
    ),
    Row("regulatory:complaint_close", _r("regulatory_complaint"), STAFF_ON_COMPLAINT),
    Row("regulatory:complaint_message", _r("regulatory_complaint"), READERS_OF_COMPLAINT, "post"),
    Row("regulatory:complaint_file", _complaint_and("regulatory_file"), READERS_OF_COMPLAINT),
    # An anonymous complaint's photo: the assigned inspector (the liaison) and admins only.
    Row(
        "regulatory:complaint_file",
        lambda c, r: [r["regulatory_anonymous"].pk, r["regulatory_anonymous_file"].pk],
        page({"admin", "liaison"}),
        label="anonymous complaint",
    ),
    Row("regulatory:retaliation_new", _r("regulatory_complaint"), READERS_OF_COMPLAINT),
    Row("regulatory:retaliations", lambda c, r: [], signed_in_only(STAFF)),
    Row("regulatory:retaliation", _r("regulatory_retaliation"), READERS_OF_COMPLAINT),
    Row(
        "regulatory:retaliation_update",
        _r("regulatory_retaliation"),
        STAFF_ON_COMPLAINT,
        "post",
    ),
    Row("regulatory:comment_periods", lambda c, r: [], everyone()),
    Row("regulatory:comment_periods_ics", lambda c, r: [], everyone()),
    Row("regulatory:comment_period_new", lambda c, r: [], signed_in_only(STAFF)),
    Row("regulatory:comment_period", _r("regulatory_period_public"), everyone(), label="public"),
    Row(
        "regulatory:comment_period",
        _r("regulatory_period_department"),
        page(STAFF, public="hidden"),
        label="department",
    ),
    Row("regulatory:comment_period_edit", _r("regulatory_period_public"), signed_in_only(STAFF)),
]


def records(cast: Cast) -> dict[str, Any]:
    authority = make_authority(cast)
    private_campaign = make_campaign(cast.org_a, visibility="private", title="Maple Court repairs")
    photo = SimpleUploadedFile("mold.png", image_bytes("PNG"), content_type="image/png")
    complaint = make_complaint(cast, photos=[photo], campaign=private_campaign)
    inspection = actions.schedule_inspection(
        actor=cast.admin, complaint=complaint, scheduled_for=date(2026, 3, 1)
    )
    violation = actions.add_violation(
        actor=cast.admin, complaint=complaint, description="Mold", corrective_action="Remediate"
    )
    anonymous = make_complaint(
        cast,
        anonymous=True,
        complainant_name="",
        complainant_phone="",
        photos=[SimpleUploadedFile("hall.png", image_bytes("PNG"), content_type="image/png")],
    )
    actions.triage_complaint(actor=cast.admin, complaint=anonymous, inspector=cast.liaison)
    retaliation = actions.report_retaliation(
        actor=cast.partner_a, complaint=complaint, kind="eviction", description="Notice served."
    )
    return {
        "regulatory_authority": authority,
        "regulatory_action_department": make_action(
            cast, authority=authority, campaigns=[private_campaign], visibility="department"
        ),
        "regulatory_action_public": make_action(
            cast, authority=authority, visibility="public", title="Heat order"
        ),
        "regulatory_complaint": complaint,
        "regulatory_inspection": inspection,
        "regulatory_violation": violation,
        "regulatory_file": complaint.files.get(),
        "regulatory_anonymous": anonymous,
        "regulatory_anonymous_file": anonymous.files.get(),
        "regulatory_retaliation": retaliation,
        "regulatory_period_public": make_period(cast),
        "regulatory_period_department": make_period(
            cast, title="Draft rule", visibility="department"
        ),
    }
