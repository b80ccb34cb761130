"""High-risk means hidden everywhere: a high-risk organization's contact, its members' and
invitees' emails, and a high-risk person's contact reach only the organization's own members,
on pages, in the network import's matching and in notification emails. The department admin
plays the outsider; the organization's admin shows the same page still works for insiders."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.actions import invite
from accounts.models import Membership
from partners.models import PersonRole
from powershare.testing import make_ask, make_org, make_person, make_user
from support import actions as support_actions

pytestmark = pytest.mark.django_db

MEMBER = "morales@voces.example.org"
INVITEE = "nuevo@voces.example.org"


@pytest.fixture
def voces(cast):
    org = make_org(
        "Voces",
        high_risk=True,
        visibility="public",
        contact_email="contacto@voces.example.org",
        contact_phone="(555) 024-2052",
    )
    leader = make_user(MEMBER, name="Rosa Morales")
    Membership.objects.create(user=leader, organization=org, role="admin")
    invite(actor=leader, email=INVITEE, organization=org, membership_role="member")
    return org


def _page(user, url):
    client = Client()
    if user:
        client.force_login(user)
    return client.get(url).content.decode()


def test_the_admin_reads_no_member_or_invitee_email_of_a_high_risk_organization(cast, voces):
    url = reverse("partners:organization", args=[voces.pk])
    page = _page(cast.admin, url)
    assert "Rosa Morales" in page  # members are listed by name, for the admin's invitations
    for value in (MEMBER, INVITEE, "contacto@voces", "(555) 024-2052"):
        assert value not in page, value
    assert "Hidden: high-risk" in page
    leader = voces.memberships.get().user
    page = _page(leader, url)
    assert MEMBER in page and INVITEE in page and "contacto@voces" in page


def test_staff_see_that_a_high_risk_persons_contact_is_hidden(cast):
    person = make_person(
        cast.org_a,
        name="Ana Captain",
        email="ana@example.org",
        phone="555-0142",
        notes="Moved to a shelter",
        high_risk=True,
        visibility="department",
    )
    for outsider in (cast.admin, cast.liaison):
        page = _page(outsider, person.get_absolute_url())
        assert "Hidden: high-risk" in page
        assert "ana@example.org" not in page and "555-0142" not in page
        assert "Moved to a shelter" not in page
    page = _page(cast.partner_a, person.get_absolute_url())
    assert "ana@example.org" in page and "555-0142" in page and "Moved to a shelter" in page


def test_a_person_holding_a_role_at_a_high_risk_organization_is_hidden_too(cast, voces):
    person = make_person(cast.org_b, name="Official Ally", email="ally@city.example.gov")
    PersonRole.objects.create(person=person, organization=voces, title="Board member")
    assert "ally@city.example.gov" not in _page(cast.admin, person.get_absolute_url())


def test_the_network_import_never_matches_a_hidden_email(cast):
    person = make_person(
        cast.org_a, name="Ana Captain", email="ana@example.org", high_risk=True, visibility="public"
    )
    client = Client()
    client.force_login(cast.partner_b)
    csv = (
        "from_name,from_type,from_email,kind,to_name,to_type\n"
        "Someone Else,person,ana@example.org,ally_of,Harbor Worker Center,organization\n"
    )
    response = client.post(
        reverse("network:import"),
        {"file": SimpleUploadedFile("map.csv", csv.encode(), "text/csv"), "visibility": "private"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "same email" not in page and person.name not in page


def test_a_nameless_members_email_is_not_in_staff_notifications(
    cast, voces, django_capture_on_commit_callbacks
):
    nameless = make_user("quiet@voces.example.org")
    nameless.name = ""
    nameless.save()
    Membership.objects.create(user=nameless, organization=voces)
    ask = make_ask(voces, visibility="department", owner=cast.liaison)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        support_actions.add_comment(actor=nameless, ask=ask, text="Can we talk?")
    assert mail.outbox, "the owner is told of the comment"
    bodies = " ".join(m.body for m in mail.outbox)
    assert "quiet@voces.example.org" not in bodies
