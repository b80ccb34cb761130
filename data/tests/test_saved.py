"""Partners save queries to their campaigns; the fact sheet prints in English or Spanish."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from data.models import SavedQuery
from data.tests.conftest import story_query
from powershare.testing import make_campaign


def save(client: Any, campaign: Any, visibility: str = "private") -> Any:
    return client.post(
        f"/data/query/save/?{story_query()}",
        {"title": "Eastside kids' asthma", "campaign": campaign.pk, "visibility": visibility},
    )


def test_partner_saves_a_query_to_their_campaign(client: Any, cast: Any, catalog: dict) -> None:
    campaign = make_campaign(cast.org_a, title="Healthy Housing Ordinance")
    client.force_login(cast.partner_a)
    response = save(client, campaign)
    saved = SavedQuery.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/data/saved/{saved.pk}/"
    assert (saved.organization, saved.campaign, saved.params["measure"]) == (
        cast.org_a,
        campaign,
        "asthma_ed_children",
    )
    page = client.get(f"/data/saved/{saved.pk}/").content.decode()
    assert "Eastside kids&#x27; asthma" in page and "Fact sheet in Spanish" in page


def test_a_private_saved_query_is_hidden_from_other_organizations(
    client: Any, cast: Any, catalog: dict
) -> None:
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    save(client, campaign)
    saved = SavedQuery.objects.get()
    client.force_login(cast.partner_b)
    assert client.get(f"/data/saved/{saved.pk}/").status_code == 404
    assert client.get(f"/data/saved/{saved.pk}/factsheet/").status_code == 404
    assert "Eastside kids" not in client.get("/data/saved/").content.decode()


def test_a_partner_cannot_save_to_another_organizations_campaign(
    client: Any, cast: Any, catalog: dict
) -> None:
    campaign = make_campaign(cast.org_b)
    client.force_login(cast.partner_a)
    save(client, campaign)
    assert not SavedQuery.objects.exists()


def test_fact_sheet_in_spanish_has_no_suppressed_number(
    client: Any, cast: Any, catalog: dict
) -> None:
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    save(client, campaign)
    saved = SavedQuery.objects.get()
    response = client.get(f"/data/saved/{saved.pk}/factsheet/?lang=es&download=1")
    html = unescape(response.content.decode())
    assert response["Content-Disposition"].startswith("attachment")
    assert '<html lang="es">' in html
    assert "Visitas a emergencias por asma" in html  # the measure's Spanish label
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        if " S " in row or ">S " in row:
            assert not re.search(r"<td>[\d.,\s]+", row.split("S ")[-1]), row
    english = client.get(f"/data/saved/{saved.pk}/factsheet/?lang=en").content.decode()
    assert '<html lang="en">' in english and "Sources and caveats" in english


def test_fact_sheet_names_its_data_version_and_date_in_words(
    client: Any, cast: Any, catalog: dict
) -> None:
    client.force_login(cast.partner_a)
    save(client, make_campaign(cast.org_a))
    saved = SavedQuery.objects.get()
    html = unescape(client.get(f"/data/saved/{saved.pk}/factsheet/?lang=en").content.decode())
    version = re.search(r"<li>Data version: ([^<]*)</li>", html)
    assert version and "events ed_visits" in version[1] and "{" not in version[1]
    made = re.search(r"Made with Powershare on ([^<]*)\.", html)
    assert made and not re.match(r"\d{4}-\d{2}-\d{2}", made[1])  # not an ISO date
    assert re.search(r"[A-Z][a-z]+\.? \d{1,2}, \d{4}", made[1])


def test_deleting_a_saved_query_asks_first(client: Any, cast: Any, catalog: dict) -> None:
    client.force_login(cast.partner_a)
    save(client, make_campaign(cast.org_a))
    saved = SavedQuery.objects.get()
    assert "cannot be undone" in client.get(f"/data/saved/{saved.pk}/delete/").content.decode()
    client.post(f"/data/saved/{saved.pk}/delete/")
    assert not SavedQuery.objects.exists()
