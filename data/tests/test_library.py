"""The evidence library, data-sharing agreements and data requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from data import actions
from data.models import DataAgreement, EvidenceItem
from powershare.testing import make_campaign
from support.models import Ask


def test_a_partner_adds_private_evidence_that_other_organizations_cannot_see(
    client: Any, cast: Any
) -> None:
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    form = client.get("/data/evidence/new/").content.decode()
    assert "public-records law" in form
    client.post(
        "/data/evidence/new/",
        {
            "title": "Tenant testimony",
            "kind": "testimony",
            "issue_area": "housing",
            "summary": "Mold and asthma",
            "visibility": "private",
            "campaigns": [campaign.pk],
        },
    )
    item = EvidenceItem.objects.get()
    assert item.organization == cast.org_a and list(item.campaigns.all()) == [campaign]
    assert "Tenant testimony" in client.get("/data/evidence/?q=tenant").content.decode()
    client.force_login(cast.partner_b)
    assert "Tenant testimony" not in client.get("/data/evidence/").content.decode()
    assert client.get(f"/data/evidence/{item.pk}/").status_code == 404
    client.force_login(cast.analyst)
    assert client.get(f"/data/evidence/{item.pk}/").status_code == 404


def test_staff_record_an_agreement_and_partners_see_their_own(
    client: Any, cast: Any, catalog: dict
) -> None:
    client.force_login(cast.admin)
    today = timezone.localdate()
    client.post(
        "/data/agreements/new/",
        {
            "organization": cast.org_a.pk,
            "title": "ED data for tenants",
            "parties": "Dept\nETU",
            "datasets": [catalog["datasets"]["ed_visits"].pk],
            "purpose": "Campaign",
            "start": today.isoformat(),
            "expires": (today + timedelta(days=10)).isoformat(),
        },
    )
    agreement = DataAgreement.objects.get()
    assert agreement.is_current
    client.force_login(cast.partner_a)
    assert "ED data for tenants" in client.get("/data/agreements/").content.decode()
    client.force_login(cast.partner_b)
    assert client.get(f"/data/agreements/{agreement.pk}/").status_code == 404


def test_expiry_before_start_is_refused(client: Any, cast: Any, catalog: dict) -> None:
    client.force_login(cast.admin)
    today = timezone.localdate()
    response = client.post(
        "/data/agreements/new/",
        {
            "organization": cast.org_a.pk,
            "title": "T",
            "parties": "P",
            "datasets": [catalog["datasets"]["ed_visits"].pk],
            "purpose": "P",
            "start": today.isoformat(),
            "expires": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert "must expire after it starts" in response.content.decode()


def test_a_partner_files_a_data_request_and_an_analyst_answers_with_a_saved_query(
    client: Any, cast: Any, catalog: dict, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["powershare.example.org", "testserver"]
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/data/requests/new/",
            {
                "campaign": campaign.pk,
                "question": "Asthma by block group",
                "geography": "Eastside",
                "groups": "Children",
                "visibility": "department",
            },
        )
    ask = Ask.objects.get()
    assert ask.kind == "data" and ask.organization == cast.org_a and "Eastside" in ask.description
    saved = actions.save_query(
        actor=cast.partner_a,
        title="Kids",
        params={
            "measure": "asthma_ed_children",
            "years": "2020-2024",
            "level": "neighborhood",
            "by": ["race"],
            "compare": "county",
        },
        campaign=campaign,
        visibility="department",
    )
    client.force_login(cast.analyst)
    assert "Asthma by block group" in client.get("/data/requests/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/data/requests/{ask.pk}/answer/",
            {
                "saved_query": saved.pk,
                "explanation": "Block groups are too small; here are neighborhoods.",
            },
            HTTP_HOST="powershare.example.org",  # links must be real web addresses
        )
    ask.refresh_from_db()
    assert ask.status == "delivered"
    assert f"/data/saved/{saved.pk}/" in ask.delivered_links
    table = ask.files.get(name=f"query-{saved.pk}.csv")
    text = table.file.read().decode("utf-8-sig")
    # A plain table, and beside it what it is: the policy, the sources, the columns.
    assert text.startswith("Area,Area code,") and "Suppressed" in text and "\n#" not in text
    readme = ask.files.get(name=f"query-{saved.pk}-README.txt").file.read().decode()
    assert f"Columns of query-{saved.pk}.csv" in readme and "Area code" in readme
    assert "Asthma" in readme


def test_a_file_answer_must_confirm_the_policy(client: Any, cast: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    ask = Ask.objects.create(
        organization=cast.org_a, kind="data", title="Q", description="d", visibility="department"
    )
    client.force_login(cast.analyst)
    response = client.post(
        f"/data/requests/{ask.pk}/answer/",
        {"explanation": "Table", "file": SimpleUploadedFile("t.csv", b"a,b\n1,2\n")},
    )
    assert "Confirm that the file passed the suppression policy" in response.content.decode()


def test_evidence_opened_from_a_campaign_comes_linked_and_leads_back(
    client: Any, cast: Any
) -> None:
    campaign = make_campaign(cast.org_a, issue_area="environment", title="Clean air corridor")
    client.force_login(cast.partner_a)
    url = f"/data/evidence/new/?campaign={campaign.pk}"
    form = client.get(url).content.decode()
    assert f'href="{campaign.get_absolute_url()}"' in form  # Cancel goes back to the campaign
    assert '<option value="environment" selected>' in form  # the campaign's issue area
    fields = {"title": "Truck counts", "kind": "report", "issue_area": "environment"}
    fields |= {"summary": "Diesel trucks per hour", "visibility": "private"}
    response = client.post(url, {**fields, "campaigns": [campaign.pk]})
    assert response["Location"] == campaign.get_absolute_url()
    # Unticked before saving: the item is not the campaign's, so Pat lands on the item.
    response = client.post(url, {**fields, "title": "Bus counts"})
    item = EvidenceItem.objects.get(title="Bus counts")
    assert response["Location"] == item.get_absolute_url() and not item.campaigns.exists()
