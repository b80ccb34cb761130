"""The list of asks: search, filters, pagination, htmx refresh, and who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from powershare.testing import make_ask, make_campaign
from support import actions

URL = reverse("support:asks")


def titles(response) -> list[str]:
    return [a.title for a in response.context["asks"]]


def test_partner_b_never_sees_org_as_non_public_asks(cast, login, file_ask):
    file_ask(title="Liaison ask", visibility="liaison")
    file_ask(title="Department ask", visibility="department")
    file_ask(title="Public ask", visibility="public")
    response = login(cast.partner_b).get(URL, {"q": "ask"})
    assert titles(response) == ["Public ask"]
    assert "Liaison ask" not in response.content.decode()


def test_partner_a_sees_all_their_organizations_asks(cast, login, file_ask):
    file_ask(title="Liaison ask")
    file_ask(title="Department ask", visibility="department")
    assert sorted(titles(login(cast.partner_a).get(URL))) == ["Department ask", "Liaison ask"]


def test_the_liaison_sees_liaison_asks_the_analyst_only_when_owner(cast, login, file_ask):
    ask = file_ask(title="Liaison ask")
    file_ask(title="Department ask", visibility="department")
    assert sorted(titles(login(cast.liaison).get(URL))) == ["Department ask", "Liaison ask"]
    assert titles(login(cast.analyst).get(URL)) == ["Department ask"]
    actions.assign_owner(actor=cast.liaison, ask=ask, owner=cast.analyst)
    assert sorted(titles(login(cast.analyst).get(URL))) == ["Department ask", "Liaison ask"]


def test_the_public_and_board_members_see_public_asks_only(cast, login, file_ask):
    file_ask(title="Liaison ask")
    file_ask(title="Public ask", visibility="public")
    for user in (None, cast.board_member, cast.reviewer):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert titles(response) == ["Public ask"]


def test_filters_narrow_the_list(cast, login, file_ask):
    campaign = make_campaign(cast.org_a, visibility="department")
    data = file_ask(title="Rates", kind="data", campaign=campaign)
    testimony = file_ask(title="Testify", kind="testimony")
    late = file_ask(title="Late", kind="funding")
    late.needed_by = timezone.localdate() - timedelta(days=2)
    late.save()
    actions.assign_owner(actor=cast.liaison, ask=testimony, owner=cast.liaison)
    actions.acknowledge(actor=cast.liaison, ask=data)
    make_ask(cast.org_b, title="Harbor heat data", visibility="department")
    client = login(cast.liaison)
    assert titles(client.get(URL, {"kind": "testimony"})) == ["Testify"]
    assert titles(client.get(URL, {"status": "acknowledged"})) == ["Rates"]
    assert sorted(titles(client.get(URL, {"status": "open", "organization": cast.org_a.pk}))) == [
        "Late",
        "Rates",
        "Testify",
    ]
    assert titles(client.get(URL, {"owner": "mine"})) == ["Testify"]
    assert titles(client.get(URL, {"owner": str(cast.liaison.pk)})) == ["Testify"]
    assert sorted(titles(client.get(URL, {"owner": "unassigned", "q": "a"}))) == [
        "Harbor heat data",
        "Late",
        "Rates",
    ]
    assert titles(client.get(URL, {"overdue": "on"})) == ["Late"]
    assert titles(client.get(URL, {"campaign": campaign.pk})) == ["Rates"]
    assert titles(client.get(URL, {"q": "harbor"})) == ["Harbor heat data"]
    assert (
        titles(client.get(URL, {"sort": "needed_by", "organization": cast.org_a.pk}))[0] == "Late"
    )


def test_filtering_by_a_campaign_one_cannot_see_reveals_nothing(cast, login, file_ask):
    secret = make_campaign(cast.org_a, visibility="private")
    file_ask(title="Rates", campaign=secret, visibility="department")
    client = login(cast.analyst)
    response = client.get(URL, {"campaign": secret.pk})
    # The same refusal as for a campaign that does not exist, naming the filter, not the campaign.
    assert response.status_code == 400
    page = response.content.decode()
    assert "campaign" in page and secret.title not in page and "Rates" not in page
    missing = client.get(URL, {"campaign": secret.pk + 1000}).content.decode()
    assert _refusal(missing).replace(str(secret.pk + 1000), "N") == _refusal(page).replace(
        str(secret.pk), "N"
    )


def _refusal(page: str) -> str:
    """The list of refused parameters on a 400 page."""
    return page[page.index('<ul class="usa-list">') : page.index("</ul>")]


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "999"}, {"page": "9" * 30}])
def test_any_page_number_gives_a_page(cast, login, ask_a, params):
    for user in (cast.liaison, cast.partner_a, None):
        response = login(user).get(URL, params)
        assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"owner": "xyz"},
        {"owner": "99999"},
        {"kind": "<script>"},
        {"organization": "abc"},
        {"organization": "9" * 30},
        {"campaign": "1 OR 1=1"},
        {"sort": "-password"},
        {"q": "x" * 500},
    ],
)
def test_a_bad_filter_is_refused_with_its_name(cast, login, ask_a, params):
    (name,) = params
    for user in (cast.liaison, cast.partner_a, None):
        response = login(user).get(URL, params)
        assert response.status_code == 400
        page = response.content.decode()
        assert f"<code>{name}</code>" in page and ask_a.title not in page


def test_the_export_refuses_a_bad_filter_the_same_way(cast, login, ask_a):
    response = login(cast.liaison).get(reverse("support:ask_export"), {"status": "bogus"})
    assert response.status_code == 400
    assert "<code>status</code>" in response.content.decode()


def test_htmx_refresh_returns_only_the_results(cast, login, ask_a):
    response = login(cast.partner_a).get(
        URL, {"q": "asthma"}, headers={"HX-Request": "true", "HX-Target": "ask-results"}
    )
    page = response.content.decode()
    assert ask_a.title in page
    assert "<html" not in page and 'role="search"' not in page
    full = login(cast.partner_a).get(URL)
    assert "<html" in full.content.decode() and 'hx-target="#ask-results"' in full.content.decode()


def test_pages_keep_the_filters(cast, login, settings):
    settings.PAGE_SIZE = 2
    for n in range(5):
        make_ask(cast.org_a, title=f"Ask {n}", visibility="department")
    response = login(cast.liaison).get(URL, {"kind": "data", "page": "2"})
    assert response.context["page"].number == 2
    assert "kind=data&amp;page=3" in response.content.decode()


def test_outsiders_see_organizations_not_owners(cast, login, file_ask):
    ask = file_ask(title="Public ask", visibility="public")
    actions.assign_owner(actor=cast.liaison, ask=ask, owner=cast.liaison)
    assert "Lee Liaison" in login(cast.partner_a).get(URL).content.decode()
    assert "Lee Liaison" not in login(cast.partner_b).get(URL).content.decode()
    assert "Lee Liaison" not in login(None).get(URL).content.decode()
