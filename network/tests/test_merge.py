"""Duplicates found on entry are offered for merging; a merge moves every link to the record
kept, keeps the history, and is refused for records the user does not keep."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from network import actions
from network.models import Merge, Position, Relationship
from partners.models import Person
from powershare.audit.models import AuditEvent
from powershare.testing import make_campaign, make_person


def test_staff_merge_a_duplicate_person_with_history_kept(cast):
    maria = make_person(name="Maria Delgado", email="md@county.example.gov", visibility="public")
    twin = make_person(name="María Delgado", phone="555-0100", visibility="department")
    other = make_person(name="Nia Freeman")
    tie = actions.create_relationship(
        actor=cast.admin,
        from_actor=other,
        to_actor=twin,
        kind="ally_of",
        organization=None,
        visibility="department",
    )
    campaign = make_campaign(cast.org_a, visibility="public")
    for who, stance in ((maria, -1), (twin, 1)):
        actions.place_actor(
            actor=cast.partner_a,
            campaign=campaign,
            who=who,
            tier="primary",
            role="decision_maker",
            stance=stance,
            influence=3,
            assessed_on=date(2025, 1, stance + 5),
            evidence="Hearing",
        )
    client = Client()
    client.force_login(cast.admin)
    page = client.get(reverse("network:duplicates"))
    assert "similar name" in page.content.decode()
    confirm = client.get(reverse("network:merge"), {"keep": f"p{maria.pk}", "drop": f"p{twin.pk}"})
    assert "Merge “María Delgado” into “Maria Delgado”?" in confirm.content.decode()
    response = client.post(
        reverse("network:merge"), {"keep": f"p{maria.pk}", "drop": f"p{twin.pk}"}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=twin.pk).exists()
    tie.refresh_from_db()
    assert tie.to_person == maria
    position = Position.objects.get(campaign=campaign)
    assert position.person == maria
    assert position.assessments.count() == 2 and position.stance == 1
    maria.refresh_from_db()
    assert maria.phone == "555-0100"
    merge = Merge.objects.get()
    assert (merge.merged_name, merge.snapshot["phone"]) == ("María Delgado", "555-0100")
    assert AuditEvent.objects.filter(event="person.merged", record_id=str(maria.pk)).exists()
    history = client.get(reverse("network:duplicates")).content.decode()
    kept = f'into <a href="{maria.get_absolute_url()}">Maria Delgado</a>'
    assert "“María Delgado” merged on" in history and kept in history
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    history = client.get(reverse("network:duplicates")).content.decode()
    assert "“María Delgado” se fusionó el" in history
    assert f'con <a href="{maria.get_absolute_url()}">Maria Delgado</a>' in history


def test_merging_two_ends_of_one_tie_drops_the_tie_to_itself(cast):
    a = make_person(name="Jo Organizer", email="jo@example.org")
    b = make_person(name="Jo Organiser", email="jo@example.org")
    actions.create_relationship(
        actor=cast.admin,
        from_actor=a,
        to_actor=b,
        kind="family",
        organization=None,
        visibility="department",
    )
    actions.merge_records(actor=cast.admin, keep=a, drop=b)
    assert not Relationship.objects.exists()


def test_partner_cannot_merge_records_they_do_not_keep(cast):
    theirs = make_person(name="Maria Delgado", visibility="public")
    mine = make_person(cast.org_a, name="Maria Delgado", visibility="private")
    client = Client()
    client.force_login(cast.partner_a)
    page = client.get(reverse("network:duplicates")).content.decode()
    assert "Keep Maria Delgado" not in page  # only their own records are paired
    response = client.post(
        reverse("network:merge"), {"keep": f"p{mine.pk}", "drop": f"p{theirs.pk}"}
    )
    assert response.status_code == 403
    other = Client()
    other.force_login(cast.partner_b)
    response = other.post(
        reverse("network:merge"), {"keep": f"p{mine.pk}", "drop": f"p{theirs.pk}"}
    )
    assert response.status_code == 404
    assert Person.objects.filter(pk__in=[theirs.pk, mine.pk]).count() == 2
