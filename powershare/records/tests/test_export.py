"""The public-records request export, as the department admin answering a request: what the
ZIP holds (read back with pandas, as a records officer's spreadsheet would), what it withholds
and why, and who may produce it."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership
from partners.models import Organization
from powershare.audit.models import AuditEvent
from powershare.records.models import ExemptionReason, RecordsRequest
from powershare.testing import PASSWORD, make_ask, make_campaign, make_org, make_user
from regulatory.models import Retaliation
from regulatory.tests.factories import make_complaint

ALL_KINDS = [
    "meetings",
    "complaints",
    "data_requests",
    "data_agreements",
    "audit",
    "campaigns",
    "organizations",
]
SECRET = "Rent strike at Maple Court zq9"


def produce(client: Client, **fields) -> RecordsRequest:
    data = {
        "description": "Ms. Reyes asks for every record about Maple Court since 2020.",
        "kinds": ALL_KINDS,
        "password": PASSWORD,
        "produce": "1",
        **fields,
    }
    response = client.post(reverse("records:request_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return RecordsRequest.objects.latest("pk")


def unzip(client: Client, answer: RecordsRequest) -> dict[str, pd.DataFrame]:
    response = client.get(reverse("records:request_file", args=[answer.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(body))
    frames = {
        name.removesuffix(".csv"): pd.read_csv(
            io.BytesIO(archive.read(name)), encoding="utf-8-sig", dtype=str, keep_default_na=False
        )
        for name in archive.namelist()
        if name.endswith(".csv")
    }
    frames["_raw"] = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    return frames


@pytest.fixture
def admin(cast) -> Client:
    client = Client()
    client.force_login(cast.admin)
    return client


@pytest.mark.django_db
def test_the_export_redacts_exempt_and_personal_fields(cast, admin):
    complaint = make_complaint(cast, where_detail="Unit 4B")
    files = unzip(admin, produce(admin))
    row = files["complaints"].set_index("id").loc[str(complaint.pk)]
    assert row["issue"] == "[withheld: Active investigation or enforcement]"
    assert row["address"] == "[withheld: Personal privacy]"
    assert row["complainant_name"] == "[withheld: personal information]"
    assert row["neighborhood"] == "Eastside" and row["violation_type"] == "mold"
    assert "Maria Lopez" not in files["_raw"] and "12 Maple Court" not in files["_raw"]
    log = files["withholding-log"]
    entry = log[(log["Record"] == f"#{complaint.pk}") & (log["Field"] == "address")]
    assert entry.iloc[0]["Label"] == "exempt" and entry.iloc[0]["Reason"] == "Personal privacy"
    assert entry.iloc[0]["Kind"] == "complaints"


@pytest.mark.django_db
def test_a_partners_private_record_is_withheld_in_full(cast, admin):
    make_campaign(cast.org_a, visibility="private", title=SECRET)
    public = make_campaign(cast.org_a, visibility="public", title="Healthy homes ordinance")
    make_ask(cast.org_b, visibility="liaison", title=f"{SECRET} data")  # not the admin's partner
    files = unzip(admin, produce(admin))
    assert SECRET not in files["_raw"]
    assert list(files["campaigns"]["title"]) == [public.title]
    assert files["data_requests"].empty
    log = files["withholding-log"]
    whole = log[log["Field"] == "(whole record)"]
    assert set(whole["Kind"]) == {"campaigns", "data_requests"}
    assert set(whole["Record"]) == {"(private record)"}
    assert set(whole["Reason"]) == {"private to the organization that owns it"}
    answer = RecordsRequest.objects.get()
    assert answer.counts["campaigns"] == {"records": 1, "withheld_records": 1, "withheld_fields": 0}


@pytest.mark.django_db
def test_high_risk_contacts_and_protected_complainants_are_withheld(cast, admin):
    voces = make_org(
        "Voces Sin Fronteras",
        visibility="public",
        high_risk=True,
        contact_email="voces.zq9@example.org",
        contact_phone="(555) 013-7731",
    )
    # With members, the organization keeps its own record (the department does not own it).
    Membership.objects.create(user=make_user("m@voces.example.org"), organization=voces)
    Organization.objects.filter(pk=cast.org_b.pk).update(contact_email="hello@harbor.example.org")
    complaint = make_complaint(cast)
    Retaliation.objects.create(complaint=complaint, kind="eviction", description="Threatened")
    # Even a department that labels the complainant's name public never releases it here.
    admin.post(
        reverse("records:label_edit", args=["regulatory.Complaint.complainant_name"]),
        {"label": "public"},
    )
    files = unzip(admin, produce(admin))
    orgs = files["organizations"].set_index("name")
    assert orgs.loc[voces.name, "contact_email"] == "[withheld: high-risk contact]"
    assert orgs.loc[voces.name, "contact_phone"] == "[withheld: high-risk contact]"
    assert orgs.loc[cast.org_b.name, "contact_email"] == "hello@harbor.example.org"
    assert "voces.zq9" not in files["_raw"] and "013-7731" not in files["_raw"]
    complaints = files["complaints"].set_index("id")
    assert complaints.loc[str(complaint.pk), "complainant_name"] == (
        "[withheld: protected complainant]"
    )
    assert "Maria Lopez" not in files["_raw"]


@pytest.mark.django_db
def test_the_department_relabels_a_field_with_a_reason_of_its_own(cast, admin):
    admin.post(reverse("records:labels"), {"name": "Strategy of a community partner"})
    reason = ExemptionReason.objects.get(name="Strategy of a community partner")
    url = reverse("records:label_edit", args=["partners.Organization.mission"])
    assert admin.post(url, {"label": "exempt"}).status_code == 400  # an exemption needs a reason
    assert admin.post(url, {"label": "exempt", "reason": reason.pk}).status_code == 302
    page = admin.get(reverse("records:labels")).content.decode()
    assert "Strategy of a community partner" in page
    files = unzip(admin, produce(admin, kinds=["organizations"]))
    missions = set(files["organizations"]["mission"]) - {""}  # the unit has none
    assert missions == {"[withheld: Strategy of a community partner]"}
    assert AuditEvent.objects.filter(event="records.label_set").exists()
    # Back to the default: public again.
    admin.post(url, {"label": "default"})
    files = unzip(admin, produce(admin, kinds=["organizations"]))
    assert "Healthy homes" in set(files["organizations"]["mission"])


@pytest.mark.django_db
def test_the_request_filters_by_dates_and_search_and_is_kept_and_audited(cast, admin):
    make_campaign(cast.org_a, visibility="public", title="Maple Court repairs")
    make_campaign(cast.org_a, visibility="public", title="Harbor air")
    today = date.today().isoformat()
    preview = admin.post(
        reverse("records:request_new"),
        {"description": "Maple Court", "kinds": ["campaigns"], "search": "maple", "since": today},
    )
    assert preview.status_code == 200
    assert not RecordsRequest.objects.exists()  # a preview produces nothing
    assert "Records produced" in preview.content.decode()
    answer = produce(admin, kinds=["campaigns"], search="maple", since=today, until=today)
    files = unzip(admin, answer)
    assert list(files["campaigns"]["title"]) == ["Maple Court repairs"]
    assert answer.counts["campaigns"]["records"] == 1
    history = admin.get(reverse("records:requests")).content.decode()
    assert "Ms. Reyes asks" in history
    detail = admin.get(reverse("records:request", args=[answer.pk])).content.decode()
    assert "Download the ZIP" in detail
    event = AuditEvent.objects.get(event="records.request_answered")
    assert event.actor == cast.admin and event.changes["counts"]["campaigns"]["records"] == 1
    assert event.changes["search"] == "maple"
    old = produce(admin, kinds=["campaigns"], until="2001-01-01")
    assert unzip(admin, old)["campaigns"].empty


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {"since": "2026-05-01", "until": "2026-01-01"},
        {"kinds": ["campaigns", "secrets"]},
        {"kinds": []},
        {"since": "99999999999999999999999"},
        {"until": "2026-02-30"},
        {"search": "x" * 10_000},
        {"password": "not it"},
    ],
)
def test_bad_input_is_a_form_error_and_produces_nothing(cast, admin, bad):
    data = {"description": "A request", "kinds": ["campaigns"], "password": PASSWORD}
    data.update(bad)
    for button in ("preview", "produce"):
        response = admin.post(reverse("records:request_new"), {**data, button: "1"})
        if button == "preview" and list(bad) == ["password"]:
            assert response.status_code == 200  # the preview asks for no password
            continue
        assert response.status_code == 400, (button, bad)
        assert "usa-error-message" in response.content.decode() or "usa-alert--error" in (
            response.content.decode()
        )
    assert not RecordsRequest.objects.exists()


@pytest.mark.django_db
def test_only_department_admins_answer_requests(cast, admin):
    answer = produce(admin, kinds=["campaigns"])
    for user in (cast.liaison, cast.analyst, cast.partner_a, cast.partner_b, cast.reviewer):
        client = Client()
        client.force_login(user)
        for name, args in (
            ("records:requests", []),
            ("records:request_new", []),
            ("records:request", [answer.pk]),
            ("records:request_file", [answer.pk]),
            ("records:labels", []),
        ):
            assert client.get(reverse(name, args=args)).status_code == 403, (user, name)
        response = client.post(
            reverse("records:request_new"),
            {"description": "x", "kinds": ["campaigns"], "password": PASSWORD, "produce": "1"},
        )
        assert response.status_code == 403
    assert Client().get(reverse("records:request_file", args=[answer.pk])).status_code == 302
    assert RecordsRequest.objects.count() == 1
    assert admin.get(reverse("records:request_file", args=[answer.pk + 1])).status_code == 404
