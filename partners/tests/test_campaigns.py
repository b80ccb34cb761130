"""A partner keeps their campaigns; others see them only as the partner chose."""

from datetime import date

from django.urls import reverse

from partners.models import Campaign
from powershare.audit.models import AuditEvent
from powershare.testing import make_ask, make_campaign


def test_partner_creates_a_private_campaign_that_only_their_org_sees(cast, client):
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("partners:campaign_new"),
        {
            "organization": cast.org_a.pk,
            "title": "Repairs at Maple Court",
            "issue_area": "housing",
            "goal": "Fix the mold",
            "status": "active",
            "visibility": "private",
        },
    )
    campaign = Campaign.objects.get(title="Repairs at Maple Court")
    assert response["Location"] == campaign.get_absolute_url()
    assert AuditEvent.objects.filter(event="campaign.created", record_id=str(campaign.pk)).exists()

    for user in (cast.admin, cast.liaison, cast.partner_b):
        client.force_login(user)
        assert client.get(campaign.get_absolute_url()).status_code == 404
        listing = client.get(reverse("partners:campaigns"), {"q": "Maple"}).content.decode()
        assert "Maple Court" not in listing
        export = client.get(reverse("partners:campaign_export")).content.decode()
        assert "Maple Court" not in export


def test_form_shows_the_disclosure_notice_and_only_own_orgs(cast, client):
    client.force_login(cast.partner_a)
    page = client.get(reverse("partners:campaign_new")).content.decode()
    assert "public-records law" in page
    owner_select = page.split('name="organization"')[1].split("</select>")[0]
    assert cast.org_a.name in owner_select
    assert cast.org_b.name not in owner_select


def test_partner_cannot_create_a_campaign_for_another_org(cast, client):
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("partners:campaign_new"),
        {
            "organization": cast.org_b.pk,
            "title": "Sneaky",
            "issue_area": "housing",
            "goal": "x",
            "status": "active",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Campaign.objects.filter(title="Sneaky").exists()


def test_end_before_start_is_refused_with_a_message(cast, client):
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("partners:campaign_new"),
        {
            "organization": cast.org_a.pk,
            "title": "Backwards",
            "issue_area": "housing",
            "goal": "x",
            "status": "active",
            "visibility": "public",
            "start": "2025-05-01",
            "end": "2025-01-01",
        },
    )
    assert "The end date is before the start date." in response.content.decode()
    assert not Campaign.objects.filter(title="Backwards").exists()


def test_changing_visibility_is_logged_with_old_and_new(cast, client):
    campaign = make_campaign(cast.org_a, visibility="private", title="Truck route")
    client.force_login(cast.partner_a)
    client.post(
        reverse("partners:campaign_edit", args=[campaign.pk]),
        {
            "title": "Truck route",
            "issue_area": "environment",
            "goal": "Move trucks",
            "status": "active",
            "visibility": "public",
        },
    )
    event = AuditEvent.objects.get(event="campaign.visibility_changed")
    assert event.changes == {"visibility": ["private", "public"]}
    assert event.actor == cast.partner_a


def test_delete_asks_for_confirmation_then_deletes(cast, client):
    campaign = make_campaign(cast.org_a, title="Old fight")
    client.force_login(cast.partner_a)
    page = client.get(reverse("partners:campaign_delete", args=[campaign.pk])).content.decode()
    assert "cannot be undone" in page
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    client.post(reverse("partners:campaign_delete", args=[campaign.pk]))
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert AuditEvent.objects.filter(event="campaign.deleted", record_repr="Old fight").exists()


def test_list_filters_and_bad_parameters_are_refused(cast, client):
    make_campaign(
        cast.org_a, visibility="public", title="Heat rules", status="active", issue_area="workers"
    )
    make_campaign(cast.org_a, visibility="public", title="Won fight", status="won")
    page = client.get(reverse("partners:campaigns"), {"status": "won"}).content.decode()
    assert "Won fight" in page and "Heat rules" not in page
    for params in ({"page": "abc"}, {"page": "999"}):
        assert client.get(reverse("partners:campaigns"), params).status_code == 200
    for params in ({"status": "bogus"}, {"organization": "x"}):
        assert client.get(reverse("partners:campaigns"), params).status_code == 400


def test_htmx_request_gets_only_the_results(cast, client):
    make_campaign(cast.org_a, visibility="public", title="Heat rules")
    response = client.get(reverse("partners:campaigns"), HTTP_HX_REQUEST="true")
    assert "Heat rules" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_export_neutralizes_formulas(cast, client):
    make_campaign(cast.org_a, visibility="public", title='=HYPERLINK("http://x")')
    body = client.get(reverse("partners:campaign_export")).content.decode()
    assert "'=HYPERLINK" in body


def test_milestone_added_and_removed(cast, client):
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    client.post(
        reverse("partners:milestone_add", args=[campaign.pk]),
        {"date": "2025-03-01", "kind": "win", "title": "Ordinance passed"},
    )
    milestone = campaign.milestones.get()
    assert milestone.kind == "win"
    bad = client.post(reverse("partners:milestone_add", args=[campaign.pk]), {"date": "soon"})
    assert bad.status_code == 400 and "Enter a valid date" in bad.content.decode()
    client.post(reverse("partners:milestone_delete", args=[campaign.pk, milestone.pk]))
    assert not campaign.milestones.exists()


def test_a_campaigns_asks_say_when_they_are_needed_in_either_language(cast, client):
    campaign = make_campaign(cast.org_a, title="Repairs at Maple Court")
    make_ask(cast.org_a, campaign=campaign, needed_by=date(2031, 5, 4))
    client.force_login(cast.partner_a)
    assert "needed by May 4, 2031" in client.get(campaign.get_absolute_url()).content.decode()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "se necesita para el 4 de mayo de 2031" in page
