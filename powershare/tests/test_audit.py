"""The audit log: department admins read it; private records stay unnamed."""

from django.urls import reverse

from partners import actions
from powershare.testing import make_campaign


def test_admin_filters_the_log_and_private_records_are_redacted(cast, client):
    secret = make_campaign(cast.org_a, visibility="private", title="Secret strategy")
    actions.update_campaign(actor=cast.partner_a, campaign=secret, goal="New goal")
    shared = make_campaign(cast.org_a, visibility="department", title="Shared plan")
    actions.update_campaign(actor=cast.partner_a, campaign=shared, goal="Shared goal")
    client.force_login(cast.admin)
    page = client.get(reverse("audit:log")).content.decode()
    assert "Secret strategy" not in page and "New goal" not in page
    assert "(private record)" in page
    assert "Shared plan" in page and "Shared goal" in page
    export = client.get(reverse("audit:export")).content.decode()
    assert "Secret strategy" not in export and "Shared plan" in export
    filtered = client.get(
        reverse("audit:log"), {"record_id": shared.pk, "record_type": "partners.campaign"}
    )
    assert filtered.content.decode().count("campaign.updated") == 1


def test_bad_filters_are_refused_by_name(cast, client):
    client.force_login(cast.admin)
    for name in ("audit:log", "audit:export"):
        response = client.get(
            reverse(name), {"since": "yesterday", "until": "2025-02-30", "user": "9" * 23}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter a valid date." in page
        assert all(f"<code>{field}</code>" in page for field in ("since", "until", "user"))


def test_only_admins_read_the_log(cast, client):
    client.force_login(cast.liaison)
    assert client.get(reverse("audit:log")).status_code == 403


# -- the log never keeps contact values, and names people, never their emails -----------------

RISKY_EMAIL = "morales@voces.example.org"
RISKY_PHONE = "(555) 024-2052"
ORG_EMAIL = "contacto@voces.example.org"
ORG_PHONE = "(555) 024-9911"
MEMBER_EMAIL = "quiet.member@voces.example.org"


def _high_risk_story(cast):
    """A high-risk organization with a member who records a high-risk person, then edits both."""
    from accounts.models import Membership
    from powershare.testing import make_user

    voces = actions.create_organization(
        actor=cast.admin,
        name="Voces Sin Fronteras",
        kind="cpbo",
        contact_email=ORG_EMAIL,
        contact_phone=ORG_PHONE,
        high_risk=True,
        visibility="public",
    )
    member = make_user(MEMBER_EMAIL, name="")  # a member who gave no name
    member.name = ""
    member.save()
    Membership.objects.create(user=member, organization=voces, role="admin")
    member.__dict__.pop("organization_ids", None)
    person = actions.save_person(
        actor=member,
        organization=voces,
        name="Ana Morales",
        email=RISKY_EMAIL,
        phone=RISKY_PHONE,
        high_risk=True,
        visibility="department",
    )
    actions.save_person(
        actor=member, person=person, email="a." + RISKY_EMAIL, phone=RISKY_PHONE + "1"
    )
    actions.update_organization(actor=member, organization=voces, contact_email="new." + ORG_EMAIL)
    return voces, person, member


def test_a_department_admin_reads_no_contact_values_in_the_log(cast, client):
    _high_risk_story(cast)
    client.force_login(cast.admin)
    page = client.get(reverse("audit:log")).content.decode()
    export = client.get(reverse("audit:export")).content.decode()
    for body in (page, export):
        assert "person.created" in body and "person.updated" in body
        for value in (RISKY_EMAIL, RISKY_PHONE, ORG_EMAIL, ORG_PHONE, MEMBER_EMAIL):
            assert value not in body, value
    # The log still says that the fields changed.
    assert "email" in export and "phone" in export


def test_the_log_stores_no_contact_values_of_anyone(cast):
    from powershare.audit.models import AuditEvent

    _high_risk_story(cast)
    actions.save_person(
        actor=cast.admin, name="Official", email="clerk@city.example.gov", phone="555-0100"
    )
    stored = " ".join(f"{e.record_repr} {e.changes}" for e in AuditEvent.objects.all())
    for value in (RISKY_EMAIL, RISKY_PHONE, ORG_EMAIL, ORG_PHONE, "clerk@city", "555-0100"):
        assert value not in stored, value


def test_actors_are_named_never_by_email_outside_their_organization(cast, client):
    from accounts.actions import invite

    voces, _person, member = _high_risk_story(cast)
    invite(
        actor=member,
        email="invited@voces.example.org",
        organization=voces,
        membership_role="member",
    )
    client.force_login(cast.admin)
    page = client.get(reverse("audit:log")).content.decode()
    export = client.get(reverse("audit:export")).content.decode()
    for body in (page, export):
        assert MEMBER_EMAIL not in body and "invited@voces" not in body
        assert "Alice Admin" in body  # named actors keep their names
    # A member who gave no name is shown by number.
    assert f"User {member.pk}" in export


def test_the_migration_scrubs_contact_values_already_in_the_log(cast):
    import importlib

    from django.apps import apps

    from powershare.audit.models import AuditEvent

    person = actions.save_person(actor=cast.admin, name="Old Entry")
    AuditEvent.objects.create(
        actor=cast.admin,
        event="person.created",
        record_type="partners.person",
        record_id=str(person.pk),
        record_repr="old@example.org",
        changes={"email": [None, RISKY_EMAIL], "phone": [None, RISKY_PHONE], "name": "Old"},
    )
    migration = importlib.import_module("powershare.audit.migrations.0002_scrub_contact_values")
    migration.scrub(apps, None)
    stored = " ".join(f"{e.record_repr} {e.changes}" for e in AuditEvent.objects.all())
    assert RISKY_EMAIL not in stored and RISKY_PHONE not in stored and "old@example" not in stored
    assert "Old" in stored
