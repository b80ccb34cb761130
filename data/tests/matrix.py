"""The data portal's rows of the visibility matrix (see powershare/matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from powershare.matrix import (
    PARTNERS,
    READERS,
    ROLES,
    STAFF,
    Row,
    everyone,
    page,
    signed_in_only,
)
from powershare.testing import Cast, make_user, pdf_bytes

ANALYSTS = {"admin", "analyst"}  # record-level data and the catalog's writes
PUBLIC_QUERY = {"measure": "data_public", "year_from": "2020", "year_to": "2020", "level": "county"}
INTERNAL_QUERY = {**PUBLIC_QUERY, "measure": "data_internal"}


def _all(outcome: str, **overrides: str) -> dict[str, str]:
    return {role: overrides.get(role, outcome) for role in ROLES}


def _visible(name: str, kind: str, *, edit: bool = False) -> list[Row]:
    """Rows for a partner-owned data record, one per visibility (private ... public)."""
    rows = []
    for visibility, readers in READERS.items():
        if edit:
            expected = page({"partner_a"}, denied=readers - {"partner_a", "public"})
            if "public" in readers:
                expected["public"] = "login"
        else:
            expected = page(readers, public="hidden")
        rows.append(
            Row(name, lambda c, r, k=kind, v=visibility: [r[k][v].pk], expected, label=visibility)
        )
    return rows


ROWS: list[Row] = [
    Row("data:index", lambda c, r: [], everyone()),
    Row("data:query", lambda c, r: [], everyone()),
    Row("data:query", lambda c, r: [], everyone(), data=PUBLIC_QUERY, label="public measure"),
    # No store in the matrix: a measure one may read reaches the engine and is refused (200
    # with the reason); one that isn't theirs is not a choice at all (the form's 400).
    Row("data:query_json", lambda c, r: [], _all("422"), data=PUBLIC_QUERY, label="public"),
    Row(
        "data:query_json",
        lambda c, r: [],
        _all("hidden", admin="422", liaison="422", analyst="422", partner_a="422"),
        data=INTERNAL_QUERY,
        label="internal",
    ),
    Row("data:query_csv", lambda c, r: [], _all("redirect"), data=PUBLIC_QUERY, label="public"),
    Row("data:query_zip", lambda c, r: [], _all("redirect"), data=PUBLIC_QUERY, label="public"),
    Row(
        "data:query_zip",
        lambda c, r: [],
        _all(
            "hidden", admin="redirect", liaison="redirect", analyst="redirect", partner_a="redirect"
        ),
        data=INTERNAL_QUERY,
        label="internal",
    ),
    Row(
        "data:query_xlsx",
        lambda c, r: [],
        _all(
            "hidden", admin="redirect", liaison="redirect", analyst="redirect", partner_a="redirect"
        ),
        data=INTERNAL_QUERY,
        label="internal",
    ),
    Row("data:save_query", lambda c, r: [], page(set(), public="login"), "post"),
    Row("data:shapes", lambda c, r: ["neighborhood"], _all("hidden")),
    Row("data:shapes_geojson", lambda c, r: ["neighborhood"], _all("hidden")),
    Row("data:saved_list", lambda c, r: [], signed_in_only()),
    *_visible("data:saved", "data_saved"),
    *_visible("data:factsheet", "data_saved"),
    *_visible("data:saved_delete", "data_saved", edit=True),
    Row("data:dataset", lambda c, r: [r["data_dataset"].pk], everyone()),
    Row("data:dataset_new", lambda c, r: [], signed_in_only(ANALYSTS)),
    Row("data:dataset_edit", lambda c, r: [r["data_dataset"].pk], signed_in_only(ANALYSTS)),
    Row("data:dataset_records", lambda c, r: [r["data_dataset"].pk], signed_in_only(ANALYSTS)),
    Row("data:upload_new", lambda c, r: [r["data_dataset"].pk], signed_in_only(ANALYSTS)),
    Row("data:upload", lambda c, r: [r["data_upload"].pk], signed_in_only(ANALYSTS)),
    Row("data:measure_new", lambda c, r: [], signed_in_only(ANALYSTS)),
    Row("data:measure", lambda c, r: [r["data_public"].pk], everyone(), label="public"),
    Row(
        "data:measure",
        lambda c, r: [r["data_internal"].pk],
        page(STAFF | {"partner_a"}, public="hidden"),
        label="internal",
    ),
    Row("data:measure_edit", lambda c, r: [r["data_public"].pk], signed_in_only(ANALYSTS)),
    Row("data:policy", lambda c, r: [], signed_in_only(STAFF)),
    Row("data:policy", lambda c, r: [], signed_in_only({"admin"}), "post", label="change"),
    Row("data:policy", lambda c, r: [], signed_in_only(STAFF), data={"format": "csv"}, label="csv"),
    Row("data:policy_changes", lambda c, r: [], signed_in_only(STAFF)),
    # The pending change was proposed by another admin: the cast's admin may decide it (the
    # empty form is refused), only its proposer may withdraw it.
    Row("data:policy_change", lambda c, r: [r["data_change"].pk], signed_in_only(STAFF)),
    Row(
        "data:policy_change_approve",
        lambda c, r: [r["data_change"].pk],
        signed_in_only({"admin"}),
        "post",
    ),
    Row(
        "data:policy_change_reject",
        lambda c, r: [r["data_change"].pk],
        signed_in_only({"admin"}),
        "post",
    ),
    Row(
        "data:policy_change_withdraw",
        lambda c, r: [r["data_change"].pk],
        signed_in_only(set()),
        "post",
    ),
    Row(
        "data:policy_change_refresh",
        lambda c, r: [r["data_change"].pk],
        {**signed_in_only(set()), "admin": "redirect"},
        "post",
    ),
    Row("data:query_log", lambda c, r: [], signed_in_only(STAFF)),
    Row("data:evidence_list", lambda c, r: [], everyone()),
    Row("data:evidence_new", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    *_visible("data:evidence", "data_evidence"),
    *_visible("data:evidence_file", "data_evidence"),
    *_visible("data:evidence_edit", "data_evidence", edit=True),
    *_visible("data:evidence_delete", "data_evidence", edit=True),
    Row("data:agreements", lambda c, r: [], signed_in_only(STAFF | PARTNERS)),
    Row("data:agreement_new", lambda c, r: [], signed_in_only(STAFF)),
    Row(
        "data:agreement",
        lambda c, r: [r["data_agreement"].pk],
        page(STAFF | {"partner_a"}, denied=set()),
    ),
    Row(
        "data:agreement_file",
        lambda c, r: [r["data_agreement"].pk],
        page(STAFF | {"partner_a"}, denied=set()),
    ),
    Row("data:agreement_edit", lambda c, r: [r["data_agreement"].pk], signed_in_only(STAFF)),
    Row(
        "data:agreement_revoke",
        lambda c, r: [r["data_agreement"].pk],
        signed_in_only(STAFF),
        "post",
    ),
    Row("data:requests", lambda c, r: [], signed_in_only()),
    Row("data:request_new", lambda c, r: [], signed_in_only(PARTNERS)),
    Row(
        "data:request_answer",
        lambda c, r: [r["data_ask"].pk],
        page(STAFF, denied={"partner_a"}),
    ),
]


def records(cast: Cast) -> dict[str, Any]:
    from data.models import (
        DataAgreement,
        Dataset,
        EvidenceItem,
        Measure,
        PolicyChange,
        SavedQuery,
        Upload,
    )
    from support.models import Ask

    dataset = Dataset.objects.create(name="ed_visits", title="ED visits", years=[2020])
    public = Measure.objects.create(
        name="data_public",
        label="Public",
        short_label="p",
        dataset=dataset,
        unit="u",
        status="published",
    )
    internal = Measure.objects.create(
        name="data_internal",
        label="Internal",
        short_label="i",
        dataset=dataset,
        unit="u",
        status="internal",
    )
    today = timezone.localdate()
    agreement = DataAgreement.objects.create(
        organization=cast.org_a,
        title="ETU data",
        parties="Dept\nETU",
        purpose="Campaign",
        start=today - timedelta(days=1),
        expires=today + timedelta(days=30),
    )
    agreement.datasets.add(dataset)
    agreement.file.save("dsa.pdf", ContentFile(pdf_bytes()))
    saved = {
        v: SavedQuery.objects.create(
            title=f"{v} query", params=PUBLIC_QUERY, organization=cast.org_a, visibility=v
        )
        for v in READERS
    }
    evidence = {}
    for v in READERS:
        item = EvidenceItem.objects.create(
            title=f"{v} study",
            kind="study",
            issue_area="housing",
            summary="s",
            organization=cast.org_a,
            visibility=v,
        )
        item.file.save("study.pdf", ContentFile(pdf_bytes()))
        evidence[v] = item
    upload = Upload.objects.create(
        dataset=dataset, filename="ed.csv", status="failed", progress=100
    )
    ask = Ask.objects.create(
        organization=cast.org_a,
        kind="data",
        title="Data please",
        description="d",
        visibility="department",
    )
    second_admin = make_user("dee@health.example.gov", name="Dee Admin", department_role="admin")
    change = PolicyChange.objects.create(
        fields={"min_count": 5},
        base={},
        changes={"min_count": [11, 5]},
        reason="Smaller counts",
        proposed_by=second_admin,
    )
    return {
        "data_change": change,
        "data_dataset": dataset,
        "data_public": public,
        "data_internal": internal,
        "data_agreement": agreement,
        "data_saved": saved,
        "data_evidence": evidence,
        "data_upload": upload,
        "data_ask": ask,
    }
