"""The header's menu leads every visitor to the pages they may read: the signed-out public
finds the regulatory comment periods and the power maps of public campaigns too."""

from __future__ import annotations

import re
from typing import Any

from powershare.testing import make_campaign


def menu(client: Any) -> str:
    page = client.get("/").content.decode()
    found = re.search(r'<nav aria-label="Primary navigation".*?</nav>', page, flags=re.S)
    assert found, "every page has the primary navigation"
    return found.group(0)


def primary_links(nav: str) -> list[tuple[str, str]]:
    """(address, text) of the menu's top-level links."""
    return re.findall(r'<a class="usa-nav-link" href="([^"]+)"><span>([^<]+)</span></a>', nav)


def test_the_public_finds_comment_periods_and_power_maps_in_the_menu(
    client: Any, cast: Any
) -> None:
    campaign = make_campaign(cast.org_a, visibility="public", title="Healthy Housing Ordinance")
    links = dict(primary_links(menu(client)))
    assert links["/regulatory/"] == "Regulatory action"
    assert links["/network/"] == "Power map"
    assert client.get("/regulatory/").status_code == 200
    power_maps = client.get("/network/").content.decode()
    assert "Healthy Housing Ordinance" in power_maps and campaign.title in power_maps


def test_board_members_without_the_work_menu_find_them_too(client: Any, cast: Any) -> None:
    client.force_login(cast.board_member)
    links = dict(primary_links(menu(client)))
    assert "/regulatory/" in links and "/network/" in links


def test_staff_and_partners_find_them_once_under_their_own_menu(client: Any, cast: Any) -> None:
    for user in (cast.liaison, cast.partner_a):
        client.force_login(user)
        nav = menu(client)
        assert "/regulatory/" not in dict(primary_links(nav))
        assert nav.count('href="/regulatory/"') == 1 and nav.count('href="/network/"') == 1
