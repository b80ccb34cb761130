"""A parameter that cannot be read is a 400 naming it, in the site's layout, never a server error:
ids past the database's range, words, impossible dates, unknown choices, overlong text. The
URLs that answered 500 before (three of them signed out) first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from powershare.testing import make_campaign, make_person

HUGE = "99999999999999999999999"  # past a signed 64-bit integer: SQLite refuses it in a query


def refused(response, name: str) -> str:
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    assert f"<code>{name}</code>" in page
    assert "This request cannot be read" in page  # the site's page, not a bare error
    return page


@pytest.mark.parametrize(
    ("url", "name", "role"),
    [
        ("partners:campaigns", "organization", None),
        ("partners:campaign_export", "organization", None),
        ("network:relationships", "recorded_by", None),
        ("regulatory:actions", "authority", None),
        ("partners:people", "organization", "liaison"),
        ("audit:log", "user", "admin"),
    ],
)
def test_an_id_past_the_database_range_is_refused_by_name(cast, client, url, name, role):
    if role:
        client.force_login(getattr(cast, role))
    refused(client.get(reverse(url), {name: HUGE}), name)


def test_the_refusal_says_what_is_wrong_and_keeps_the_rest_out(cast, client):
    make_campaign(cast.org_a, visibility="public", title="Heat rules")
    response = client.get(reverse("partners:campaigns"), {"organization": HUGE, "status": "nope"})
    page = refused(response, "organization")
    assert "<code>status</code>" in page
    assert "Ensure this value is less than or equal to 9223372036854775807." in page
    assert "Heat rules" not in page  # no list quietly computed without the filter


def test_good_filters_still_filter(cast, client):
    make_campaign(cast.org_a, visibility="public", title="Heat rules")
    make_campaign(cast.org_b, visibility="public", title="Clean air")
    page = client.get(reverse("partners:campaigns"), {"organization": cast.org_b.pk})
    assert page.status_code == 200
    assert "Clean air" in page.content.decode() and "Heat rules" not in page.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "name"),
    [
        ("regulatory:actions", {"campaign": "1.5"}, "campaign"),
        ("regulatory:complaints", {"campaign": "-3"}, "campaign"),
        ("regulatory:patterns", {"months": "9999"}, "months"),
        ("regulatory:retaliations", {"status": "gone"}, "status"),
        ("network:relationships", {"actor": "p" + HUGE}, "actor"),
        ("network:relationships", {"strength": "7"}, "strength"),
        ("network:relationship_new", {"from_actor": "o" + HUGE}, "from_actor"),
        ("foundation:risks", {"owner": HUGE}, "owner"),
        ("foundation:compliance", {"resource": "x"}, "resource"),
        ("accountability:stipends", {"month": "2025-13"}, "month"),
        ("data:evidence_list", {"q": "x" * 101}, "q"),
    ],
)
def test_each_kind_of_bad_value_is_refused_by_name(cast, client, url, params, name):
    from accountability.models import Board

    Board.objects.create(name="Health advisory board", purpose="Residents advise.")
    client.force_login(cast.admin)
    refused(client.get(reverse(url), params), name)


def test_a_multiple_choice_of_records_refuses_an_id_past_the_range(cast, client):
    """A form with several records to choose (the people a campaign targets) answers a huge id
    with a form error, not a server error, and saves nothing."""
    person = make_person(cast.org_a, visibility="public")
    client.force_login(cast.partner_a)
    data = {
        "organization": cast.org_a.pk,
        "title": "Heat rules",
        "issue_area": "workers",
        "goal": "Shade and water",
        "status": "active",
        "visibility": "public",
        "target_people": [person.pk, HUGE],
    }
    response = client.post(reverse("partners:campaign_new"), data)
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not cast.org_a.campaigns.filter(title="Heat rules").exists()
