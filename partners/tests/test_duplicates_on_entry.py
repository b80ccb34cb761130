"""Adding a person or organization that looks like one already recorded: warn, list the
records the user may see, and save only once they confirm it is different."""

from django.urls import reverse

from partners.models import Organization, Person
from powershare.testing import make_org, make_person


def test_similar_person_name_warns_and_saves_nothing(cast, client):
    existing = make_person(None, name="María Delgado", visibility="department")
    client.force_login(cast.liaison)
    response = client.post(
        reverse("partners:person_new"), {"name": "Maria Delgado", "visibility": "department"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "usa-alert--warning" in page
    assert existing.get_absolute_url() in page
    assert "This is a different person; save anyway" in page
    assert reverse("network:duplicates") in page  # staff may merge after saving
    assert Person.objects.count() == 1


def test_same_email_warns(cast, client):
    existing = make_person(cast.org_a, name="Rosa Park", email="rosa@example.org")
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("partners:person_new"),
        {"name": "R. Parkinson-Smith", "email": "ROSA@example.org", "visibility": "private"},
    )
    page = response.content.decode()
    assert existing.get_absolute_url() in page
    assert "same email" in page
    assert reverse("network:duplicates") not in page  # the merge hint is for staff
    assert not Person.objects.filter(name="R. Parkinson-Smith").exists()


def test_ticking_the_box_saves(cast, client):
    make_person(None, name="María Delgado", visibility="department")
    client.force_login(cast.liaison)
    response = client.post(
        reverse("partners:person_new"),
        {"name": "Maria Delgado", "visibility": "department", "not_duplicate": "on"},
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="Maria Delgado").exists()


def test_no_warning_when_nothing_alike(cast, client):
    make_person(None, name="María Delgado", visibility="department")
    client.force_login(cast.liaison)
    response = client.post(
        reverse("partners:person_new"), {"name": "Tom Okafor", "visibility": "department"}
    )
    assert response.status_code == 302


def test_other_orgs_private_person_is_never_shown(cast, client):
    hidden = make_person(
        cast.org_a, name="Secret Organizer", email="secret@example.org", visibility="private"
    )
    client.force_login(cast.partner_b)
    response = client.post(
        reverse("partners:person_new"),
        {"name": "Secret Organizer", "email": "secret@example.org", "visibility": "private"},
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="Secret Organizer").count() == 2
    page = client.get(reverse("partners:person_new")).content.decode()
    assert hidden.get_absolute_url() not in page


def test_high_risk_email_is_not_matched_for_staff(cast, client):
    make_person(cast.org_a, name="Leader", email="leader@example.org", high_risk=True)
    client.force_login(cast.liaison)
    response = client.post(
        reverse("partners:person_new"),
        {"name": "Someone Else", "email": "leader@example.org", "visibility": "department"},
    )
    assert response.status_code == 302  # a match would reveal the hidden email


def test_organization_same_website_warns_then_saves_when_confirmed(cast, client):
    existing = make_org("Westside Clinic", website="https://www.westside.example.org/about")
    client.force_login(cast.admin)
    data = {"kind": "cpbo", "name": "West Side Health", "visibility": "public"}
    data["website"] = "http://westside.example.org"
    response = client.post(reverse("partners:organization_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert existing.get_absolute_url() in page
    assert "This is a different organization; save anyway" in page
    assert not Organization.objects.filter(name="West Side Health").exists()
    response = client.post(reverse("partners:organization_new"), {**data, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Organization.objects.filter(name="West Side Health").exists()


def test_organization_similar_name_warns(cast, client):
    client.force_login(cast.liaison)
    response = client.post(
        reverse("partners:organization_new"),
        {"kind": "cpbo", "name": "Eastside Tenant Union", "visibility": "public"},
    )
    assert response.status_code == 200
    assert cast.org_a.get_absolute_url() in response.content.decode()
    assert not Organization.objects.filter(name="Eastside Tenant Union").exists()
