"""Who sees a campaign: the public sees public ones only, and another organization's partner
cannot reach a private campaign by its address, the list, search or the CSV export."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from powershare.testing import make_campaign
from tests.browser.helpers import login

pytestmark = pytest.mark.browser


def results(page: Page) -> Any:
    return page.locator("#results")


def download_csv(page: Page) -> str:
    """Clicks the list's "Download CSV" link; returns what the spreadsheet would open."""
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "campaigns.csv"
    with open(download.path(), encoding="utf-8-sig") as f:
        return f.read()


def search(page: Page, text: str) -> None:
    page.get_by_label("Search").fill(text)
    page.get_by_label("Search").press("Enter")
    # htmx swaps the results in place and pushes the query into the address bar.
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == [text])


def test_the_public_sees_only_public_campaigns(page: Page, cast: Any) -> None:
    public = make_campaign(cast.org_a, visibility="public", title="Harbor healthy homes ordinance")
    hidden = [
        make_campaign(cast.org_a, visibility=visibility, title=f"Harbor {visibility} strategy")
        for visibility in ("private", "liaison", "department")
    ]

    page.goto("/partners/campaigns/")
    expect(results(page).get_by_role("link", name=public.title)).to_be_visible()
    for campaign in hidden:
        expect(results(page)).not_to_contain_text(campaign.title)
    expect(results(page)).to_contain_text("1 campaign")

    search(page, "Harbor")
    expect(results(page).get_by_role("link", name=public.title)).to_be_visible()
    for campaign in hidden:
        expect(results(page)).not_to_contain_text(campaign.title)

    exported = download_csv(page)
    assert public.title in exported
    for campaign in hidden:
        assert campaign.title not in exported

    results(page).get_by_role("link", name=public.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(public.title)

    for campaign in hidden:
        response = page.goto(campaign.get_absolute_url())
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).not_to_contain_text(campaign.title)
        expect(page.locator("body")).not_to_contain_text(campaign.title)


def test_another_organizations_partner_cannot_reach_a_private_campaign(
    new_context: Any, cast: Any
) -> None:
    secret = make_campaign(cast.org_a, visibility="private", title="Rent strike planning")
    own = make_campaign(cast.org_b, visibility="private", title="Heat rules for warehouses")

    # Bo, of the Harbor Worker Center, looks for the Eastside Tenants Union's private campaign.
    bo = new_context().new_page()
    login(bo, cast.partner_b)
    response = bo.goto(secret.get_absolute_url())
    assert response is not None and response.status == 404
    expect(bo.locator("body")).not_to_contain_text(secret.title)

    bo.goto("/partners/campaigns/")
    expect(results(bo).get_by_role("link", name=own.title)).to_be_visible()
    expect(results(bo)).not_to_contain_text(secret.title)
    assert secret.title not in download_csv(bo)

    search(bo, secret.title)
    expect(results(bo)).to_contain_text("No campaigns match")
    assert secret.title not in download_csv(bo)

    # Pat, a member of the Eastside Tenants Union, finds it everywhere Bo could not.
    pat = new_context().new_page()
    login(pat, cast.partner_a)
    pat.goto(f"/partners/campaigns/?q={secret.title}")
    expect(results(pat).get_by_role("link", name=secret.title)).to_be_visible()
    assert secret.title in download_csv(pat)
    results(pat).get_by_role("link", name=secret.title).click()
    expect(pat.get_by_role("heading", level=1)).to_have_text(secret.title)
