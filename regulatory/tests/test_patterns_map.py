"""The patterns page maps complaints by neighborhood on the data portal's shapes, counting only
the complaints the viewer may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from data import portal
from regulatory.tests.factories import make_complaint

pytestmark = pytest.mark.django_db

SHAPES = [
    portal.Shape("EAST", "Eastside", "M10,10 L100,10 L100,100 L10,100 Z", 55.0, 55.0),
    portal.Shape("RIVER", "Riverside", "M100,10 L200,10 L200,100 L100,100 Z", 150.0, 55.0),
    portal.Shape("NORTH", "Northgate", "M10,100 L200,100 L200,200 L10,200 Z", 105.0, 150.0),
]


@pytest.fixture
def shapes(monkeypatch):
    monkeypatch.setattr(portal, "shapes", lambda level: SHAPES if level == "neighborhood" else [])


def _map(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("regulatory:patterns")).content.decode()
    return page.split("Map of complaints by neighborhood")[1].split("By neighborhood</h2>")[0]


def test_map_counts_what_each_viewer_may_see(client, cast, shapes):
    make_complaint(cast)
    make_complaint(cast, address="14 Maple Court")
    make_complaint(cast, neighborhood=" riverside ", address="3 River Rd")
    for n in range(3):
        make_complaint(cast, user=cast.partner_b, organization=cast.org_b, address=f"{n} Dock Rd")
    make_complaint(
        cast, user=cast.partner_b, organization=cast.org_b, neighborhood="Uptown", address="9 Hill"
    )

    staff = _map(client, cast.admin)
    assert "<svg" in staff and 'role="img"' in staff and "style=" not in staff
    assert "<title>Eastside: 5</title>" in staff
    assert "<title>Riverside: 1</title>" in staff  # names match without regard to case
    assert "<title>Northgate: 0</title>" in staff
    assert "Uptown (1 complaint)" in staff  # listed under the map, not drawn

    partner = _map(client, cast.partner_a)
    assert "<title>Eastside: 2</title>" in partner  # the other organization's 3 don't count
    assert "<title>Riverside: 1</title>" in partner
    assert "Uptown" not in partner


def test_without_shapes_a_sentence_stands_in_for_the_map(client, cast, monkeypatch):
    monkeypatch.setattr(portal, "shapes", lambda level: [])
    make_complaint(cast)
    section = _map(client, cast.admin)
    assert "No neighborhood shapes are loaded" in section and "<svg" not in section
