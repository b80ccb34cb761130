"""Importing a CSV with duplicates and errors: the dry run says what would be created, merged
or rejected and why, and writes nothing; the real run writes the rest, all or nothing."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from network.models import Relationship
from partners.models import Organization, Person
from powershare.testing import make_person

CSV = """from_name,from_type,from_email,from_website,kind,to_name,to_type,to_email,to_website,strength,start,end,source
Maria Delgado,person,md@county.example.gov,,ally_of,Jo Organizer,person,jo@eastside.example.org,,strong,2024-01-05,,one-to-one
Jo Organizer,person,jo@eastside.example.org,,member_of,Eastside Tenants Union,organization,,,working,,,
Maria Delgardo,person,,,reports_to,County Board,elected,,,weak,,,
Jo Organizer,person,,,best_friends,Maria Delgado,person,,,strong,,,
Jo Organizer,person,,,ally_of,Maria Delgado,person,,,sort of,,,
Jo Organizer,person,,,ally_of,Maria Delgado,person,,,weak,2024-13-01,,
,person,,,,,,,,,,,
Maria Delgado,person,,,ally_of,Maria Delgado,person,,,,,,
Sam Neighbor,person,sam@example.org,,,,,,,,,,
"""


@pytest.fixture
def delgado(cast):
    return make_person(name="Maria Delgado", email="MD@county.example.gov", visibility="public")


def upload(client, text, **extra):
    data = {
        "file": SimpleUploadedFile("map.csv", text.encode(), "text/csv"),
        "visibility": "private",
    }
    data.update(extra)
    return client.post(reverse("network:import"), data)


def test_dry_run_explains_every_row_and_writes_nothing(cast, delgado):
    client = Client()
    client.force_login(cast.partner_a)
    people_before = Person.objects.count()
    response = upload(client, CSV)
    assert response.status_code == 200
    plan = response.context["plan"]
    outcomes = {row.line: (row.outcome, "; ".join(row.reasons)) for row in plan.rows}
    assert outcomes[2][0] == "create"
    assert outcomes[3][0] == "create"  # Eastside is in the directory: merged, not duplicated
    assert outcomes[4] == (
        "reject",
        "to: County Board is not in the organization directory; department staff add "
        "organizations, so ask your liaison or record it as a person",
    )
    assert "kind “best_friends” is not one of" in outcomes[5][1]
    assert "strength “sort of” is not weak, working or strong" in outcomes[6][1]
    assert "start “2024-13-01” is not a date like 2024-05-31" in outcomes[7][1]
    assert outcomes[8] == ("reject", "from: the name is empty")
    assert outcomes[9] == ("reject", "a relationship needs two different actors")
    assert outcomes[10][0] == "actor"
    by_name = {a.name: a for a in plan.actors}
    assert by_name["Maria Delgado"].outcome == "merge"
    assert by_name["Maria Delgado"].existing == delgado
    # (by name: partner A may not read the department's contact details, so an email they
    # give is never matched against them)
    assert "same name" in by_name["Maria Delgado"].reason
    assert by_name["Eastside Tenants Union"].outcome == "merge"
    # Jo appears three times in the file and is planned once.
    assert [a.name for a in plan.actors_created] == [
        "Jo Organizer",
        "Maria Delgardo",
        "Sam Neighbor",
    ]
    assert "looks like Maria Delgado" in by_name["Maria Delgardo"].reason
    page = response.content.decode()
    assert "Dry run: nothing has been written yet" in page
    assert Person.objects.count() == people_before
    assert not Relationship.objects.exists()


def test_real_run_writes_the_good_rows_as_the_partners_private_records(cast, delgado):
    client = Client()
    client.force_login(cast.partner_a)
    preview = upload(client, CSV)
    response = client.post(
        reverse("network:import"),
        {"content": preview.context["text"], "visibility": "private", "run": "1"},
    )
    assert response.status_code == 302
    jo = Person.objects.get(name="Jo Organizer")
    assert (jo.organization, jo.visibility) == (cast.org_a, "private")
    rels = Relationship.objects.order_by("pk")
    assert [(str(r.source_actor), r.kind, str(r.target_actor)) for r in rels] == [
        ("Maria Delgado", "ally_of", "Jo Organizer"),
        ("Jo Organizer", "member_of", "Eastside Tenants Union"),
    ]
    assert {r.organization for r in rels} == {cast.org_a}
    assert {r.visibility for r in rels} == {"private"}
    assert rels[0].strength == 3 and str(rels[0].start) == "2024-01-05"
    assert Person.objects.filter(name="Maria Delgado").count() == 1
    # Importing the same file again merges every relationship: nothing new.
    again = upload(client, CSV).context["plan"]
    assert again.count("create") == 0


def test_real_run_is_all_or_nothing(cast, delgado):
    client = Client()
    client.force_login(cast.admin)
    people_before = Person.objects.count()
    with mock.patch("network.actions.Relationship.full_clean", side_effect=RuntimeError("disk")):
        with pytest.raises(RuntimeError):
            client.post(
                reverse("network:import"),
                {"content": CSV, "visibility": "department", "run": "1"},
            )
    assert Person.objects.count() == people_before
    assert not Organization.objects.filter(name="County Board").exists()
    assert not Relationship.objects.exists()


def test_staff_import_creates_organizations_in_the_directory(cast, delgado):
    client = Client()
    client.force_login(cast.admin)
    response = client.post(
        reverse("network:import"), {"content": CSV, "visibility": "department", "run": "1"}
    )
    assert response.status_code == 302
    board = Organization.objects.get(name="County Board")
    assert (board.kind, board.visibility) == ("elected", "department")
    assert Relationship.objects.filter(to_organization=board, kind="reports_to").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,email\nA,b\n", "The file has no from_name, from_type column."),
        (b"from_name,from_type\n", "The file has no rows under its header."),
        (b"\xff\xfe\x00bad", "Text files must be UTF-8 encoded."),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(cast, content, message):
    client = Client()
    client.force_login(cast.partner_a)
    data = {"file": SimpleUploadedFile("map.csv", content, "text/csv"), "visibility": "private"}
    response = client.post(reverse("network:import"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Relationship.objects.exists()
