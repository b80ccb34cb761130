"""Organizers place actors on their campaign's map and judge them again over time; the grid
and the position page show the movement, and only the campaign's organizers change it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from network.models import Position
from powershare.testing import make_campaign, make_person


def test_organizer_places_a_target_and_records_movement(cast):
    campaign = make_campaign(cast.org_a, visibility="department")
    supervisor = make_person(name="Maria Delgado", visibility="public")
    client = Client()
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("network:position_new", args=[campaign.pk]),
        {
            "actor": f"p{supervisor.pk}",
            "tier": "primary",
            "role": "decision_maker",
            "stance": "-2",
            "influence": "3",
            "assessed_on": "2025-01-10",
            "evidence": "Voted against the budget line.",
        },
    )
    assert response.status_code == 302
    position = Position.objects.get()
    response = client.post(
        reverse("network:position_assess", args=[position.pk]),
        {
            "stance": "1",
            "influence": "3",
            "assessed_on": "2025-06-01",
            "evidence": "Co-sponsored the ordinance.",
        },
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.stance, position.influence) == (1, 3)
    grid = client.get(reverse("network:campaign", args=[campaign.pk])).content.decode()
    assert "from strong opponent, high influence (Jan. 10, 2025)" in grid
    assert "ps-grid__move" in grid and '<title id="grid-title">' in grid
    history = client.get(reverse("network:position", args=[position.pk])).content.decode()
    assert history.index("Voted against") < history.index("Co-sponsored")
    assert "Judged by Pat" in history
    # Staff read the map but do not change another organization's judgment.
    staff = Client()
    staff.force_login(cast.admin)
    assert staff.get(reverse("network:campaign", args=[campaign.pk])).status_code == 200
    assert staff.post(reverse("network:position_assess", args=[position.pk]), {}).status_code == 403


def test_bad_assessment_names_the_field_and_saves_nothing(cast):
    campaign = make_campaign(cast.org_a, visibility="private")
    client = Client()
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("network:position_new", args=[campaign.pk]),
        {
            "actor": "p999999",
            "tier": "primary",
            "role": "ally",
            "stance": "7",
            "influence": "3",
            "assessed_on": "2999-01-01",
            "evidence": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Person or organization: Select a valid choice" in page
    assert "Stance on the demand: Select a valid choice" in page
    assert "Date: The date is in the future." in page
    assert not Position.objects.exists()


def test_the_same_actor_twice_is_refused_with_a_message(cast):
    campaign = make_campaign(cast.org_a, visibility="private")
    person = make_person(name="Alan Brooks", visibility="public")
    client = Client()
    client.force_login(cast.partner_a)
    data = {
        "actor": f"p{person.pk}",
        "tier": "secondary",
        "role": "opposition",
        "stance": "-1",
        "influence": "2",
        "assessed_on": "2025-01-01",
        "evidence": "Port statement",
    }
    client.post(reverse("network:position_new", args=[campaign.pk]), data)
    response = client.post(reverse("network:position_new", args=[campaign.pk]), data)
    assert response.status_code == 400
    assert "already on the map" in response.content.decode()
    assert Position.objects.count() == 1
