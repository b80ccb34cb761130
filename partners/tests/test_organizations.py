"""The directory of organizations, high-risk protection and profiles."""

from django.urls import reverse

from partners.models import Organization
from powershare.testing import make_org, make_person


def test_high_risk_org_hides_contact_from_staff_and_exports(cast, client):
    Organization.objects.filter(pk=cast.org_a.pk).update(
        high_risk=True, contact_email="hidden@eastside.example.org"
    )
    for user in (cast.admin, cast.partner_b, None):
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(reverse("partners:organization", args=[cast.org_a.pk])).content.decode()
        assert "hidden@eastside.example.org" not in page
        export = client.get(reverse("partners:organization_export")).content.decode()
        assert "Eastside Tenants Union" not in export
    client.force_login(cast.partner_a)
    page = client.get(reverse("partners:organization", args=[cast.org_a.pk])).content.decode()
    assert "hidden@eastside.example.org" in page
    assert (
        "Eastside Tenants Union"
        in client.get(reverse("partners:organization_export")).content.decode()
    )


def test_high_risk_person_contact_only_for_their_org(cast, client):
    person = make_person(
        cast.org_a,
        name="Leader",
        email="leader@example.org",
        high_risk=True,
        visibility="department",
    )
    client.force_login(cast.admin)
    assert "leader@example.org" not in client.get(person.get_absolute_url()).content.decode()
    client.force_login(cast.partner_a)
    assert "leader@example.org" in client.get(person.get_absolute_url()).content.decode()


def test_staff_see_ordinary_person_contact(cast, client):
    person = make_person(None, name="Supervisor", email="sup@county.example.gov")
    client.force_login(cast.liaison)
    assert "sup@county.example.gov" in client.get(person.get_absolute_url()).content.decode()


def test_staff_add_an_agency_and_admin_invites_a_cpbo_admin(
    cast, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partners:organization_new"),
            {
                "kind": "cpbo",
                "name": "Southside Youth",
                "visibility": "public",
                "email": "lead@southside.example.org",
            },
        )
    org = Organization.objects.get(name="Southside Youth")
    assert response["Location"] == org.get_absolute_url()
    assert mail.outbox[0].to == ["lead@southside.example.org"]


def test_department_entries_cannot_be_private(cast, client):
    client.force_login(cast.liaison)
    response = client.post(
        reverse("partners:organization_new"),
        {"kind": "agency", "name": "Planning", "visibility": "private"},
    )
    assert response.status_code == 200
    assert not Organization.objects.filter(name="Planning").exists()


def test_partner_admin_edits_their_profile_but_not_kind(cast, client):
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("partners:organization_edit", args=[cast.org_a.pk]),
        {
            "name": "Eastside Tenants Union",
            "mission": "Homes for all",
            "visibility": "public",
            "kind": "funder",
        },
    )
    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert cast.org_a.mission == "Homes for all"
    assert cast.org_a.kind == "cpbo"


def test_search_and_filters(cast, client):
    make_org("Riverside Funders", kind="funder", visibility="public", issue_areas=["housing"])
    page = client.get(reverse("partners:organizations"), {"kind": "funder"}).content.decode()
    assert "Riverside Funders" in page and "Eastside Tenants Union" not in page
    page = client.get(reverse("partners:organizations"), {"issue_area": "housing"}).content.decode()
    assert "Riverside Funders" in page
