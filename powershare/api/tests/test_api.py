"""Stories of programs using the API: a partner's sync job, a liaison's dashboard, the public."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from accounts.models import ApiToken
from powershare.api.tests.helpers import client_for, token_for
from powershare.testing import make_ask, make_campaign
from support.models import Ask


def test_a_partner_lists_their_own_private_campaign_and_others_do_not(cast):
    secret = make_campaign(cast.org_a, visibility="private", title="Rent strike plan")
    make_campaign(cast.org_b, visibility="public", title="Heat standard")
    mine = client_for(cast.partner_a).get("/api/v1/campaigns").json()
    assert {c["title"] for c in mine["results"]} == {"Rent strike plan", "Heat standard"}
    theirs = client_for(cast.partner_b).get("/api/v1/campaigns").json()
    assert [c["title"] for c in theirs["results"]] == ["Heat standard"]
    assert client_for(cast.admin).get(f"/api/v1/campaigns/{secret.pk}").status_code == 404
    assert client_for(None).get(f"/api/v1/campaigns/{secret.pk}").status_code == 404


def test_high_risk_organizations_stay_out_of_the_api_for_outsiders(cast):
    cast.org_a.high_risk = True
    cast.org_a.save()
    make_campaign(cast.org_a, visibility="public", title="Quiet campaign")
    for user in (cast.admin, cast.partner_b, None):
        names = [o["name"] for o in client_for(user).get("/api/v1/organizations").json()["results"]]
        assert "Eastside Tenants Union" not in names
        assert client_for(user).get(f"/api/v1/organizations/{cast.org_a.pk}").status_code == 404
        assert client_for(user).get("/api/v1/campaigns").json()["count"] == 0
    own = client_for(cast.partner_a).get(f"/api/v1/organizations/{cast.org_a.pk}").json()
    assert own["name"] == "Eastside Tenants Union"


def test_pages_and_sync_by_updated_since(cast):
    for i in range(5):
        make_campaign(cast.org_a, visibility="public", title=f"Campaign {i}")
    client = client_for(None)
    first = client.get("/api/v1/campaigns?page_size=2").json()
    assert first["count"] == 5 and first["pages"] == 3 and len(first["results"]) == 2
    assert first["next"].endswith("page=2") or "page=2" in first["next"]
    last = client.get("/api/v1/campaigns?page_size=2&page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    beyond = client.get("/api/v1/campaigns?page_size=2&page=9").json()
    assert beyond["results"] == []
    newest = max(c["updated"] for c in first["results"] + last["results"])
    since = client.get("/api/v1/campaigns", {"updated_since": newest}).json()
    assert since["count"] >= 1
    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert client.get("/api/v1/campaigns", {"updated_since": future}).json()["count"] == 0
    bad = client.get("/api/v1/campaigns?page=zero")
    assert bad.status_code == 422 and "page" in bad.json()["detail"]


def test_a_partner_files_an_ask_and_the_liaison_acknowledges_it(cast, mailoutbox):
    campaign = make_campaign(cast.org_a, visibility="liaison")
    partner = client_for(cast.partner_a)
    response = partner.post(
        "/api/v1/asks",
        {
            "organization": cast.org_a.pk,
            "kind": "data",
            "title": "Asthma rates by neighborhood",
            "description": "For the hearing",
            "campaign": campaign.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    ask = response.json()
    assert ask["status"] == "new" and ask["campaign"]["id"] == campaign.pk
    liaison = client_for(cast.liaison)
    moved = liaison.post(
        f"/api/v1/asks/{ask['id']}/status",
        {"status": "acknowledged", "comment": "On it"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "acknowledged"
    timeline = partner.get(f"/api/v1/asks/{ask['id']}/timeline").json()
    assert [e["to_status"] for e in timeline] == ["new", "acknowledged"]
    assert timeline[1]["who"] == "Lee Liaison"
    public_view = client_for(None).get(f"/api/v1/asks/{ask['id']}")
    assert public_view.status_code == 404  # a liaison-only ask


def test_bad_writes_get_clear_errors_and_store_nothing(cast):
    partner = client_for(cast.partner_a)
    for body, field in [
        ({"organization": cast.org_b.pk, "kind": "data", "title": "x", "description": "y"}, None),
        (
            {"organization": cast.org_a.pk, "kind": "nonsense", "title": "x", "description": "y"},
            "kind",
        ),
        ({"organization": cast.org_a.pk, "kind": "data", "title": "", "description": "y"}, "title"),
        (
            {
                "organization": cast.org_a.pk,
                "kind": "data",
                "title": "x",
                "description": "y",
                "visibility": "private",
            },
            "visibility",
        ),
        (
            {
                "organization": cast.org_a.pk,
                "kind": "data",
                "title": "x",
                "description": "y",
                "needed_by": "soon",
            },
            "needed_by",
        ),
    ]:
        response = partner.post("/api/v1/asks", body, content_type="application/json")
        assert response.status_code in (400, 403, 422), response.content
        if field:
            assert field in response.json()["detail"]
    not_json = partner.post("/api/v1/asks", "{", content_type="application/json")
    assert not_json.status_code in (400, 422)
    assert Ask.objects.count() == 0


def test_a_read_only_token_cannot_write_and_a_revoked_one_cannot_read(cast):
    reader = client_for(cast.partner_a, scope="read")
    response = reader.post(
        "/api/v1/asks",
        {"organization": cast.org_a.pk, "kind": "data", "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    secret = token_for(cast.partner_a, "read")
    client = client_for(None)
    assert client.get("/api/v1/asks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token = ApiToken.objects.get(token_hash__isnull=False, hint=secret[:7], revoked_at=None)
    assert token.last_used_at is not None
    token.revoked_at = timezone.now()
    token.save()
    denied = client.get("/api/v1/asks", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert denied.status_code == 401 and denied["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/asks", HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401


def test_a_session_cookie_does_not_act_through_the_api(cast):
    browser = client_for(None)
    browser.force_login(cast.partner_a)
    ask = make_ask(cast.org_a, visibility="liaison")
    assert browser.get(f"/api/v1/asks/{ask.pk}").status_code == 404
    response = browser.post(
        "/api/v1/asks",
        {"organization": cast.org_a.pk, "kind": "data", "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_rate_limit_answers_429_with_retry_after(cast, settings):
    settings.API_RATE_LIMIT = 3
    cache.clear()
    client = client_for(cast.analyst)
    codes = [client.get("/api/v1/organizations").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/organizations")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Rate limit" in limited.json()["detail"]
    # Another token has its own budget.
    assert client_for(cast.admin).get("/api/v1/organizations").status_code == 200
    cache.clear()


def test_the_schema_and_the_docs_page(cast):
    client = client_for(None)
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/asks", "/api/v1/campaigns", "/api/v1/statistics/query"} <= set(schema["paths"])
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "GET /api/v1/asks" in html and "<script>" not in html
    assert "cdn" not in html.lower()
    assert "unsafe-inline" not in page["Content-Security-Policy"]


def test_the_profile_page_makes_a_token_once_and_revokes_it(cast):
    browser = client_for(None)
    browser.force_login(cast.partner_a)
    response = browser.post("/people/tokens/new/", {"name": "Sync", "scope": "read"}, follow=True)
    html = response.content.decode()
    token = ApiToken.objects.get(user=cast.partner_a)
    start = html.index('id="new-api-token">') + len('id="new-api-token">')
    secret = html[start : html.index("<", start)]
    assert secret.startswith("ps_") and token.token_hash != secret
    assert secret not in browser.get("/people/profile/").content.decode()  # shown once
    assert (
        client_for(None).get("/api/v1/asks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
        == 200
    )
    assert browser.post("/people/tokens/new/", {"name": "", "scope": "read"}).status_code == 400
    browser.post(f"/people/tokens/{token.pk}/revoke/")
    assert (
        client_for(None).get("/api/v1/asks", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code
        == 401
    )
    # Someone else's token can't be revoked by guessing its id.
    other = ApiToken.objects.create(user=cast.partner_b, name="x", token_hash="h", hint="ps_x")
    assert browser.post(f"/people/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
