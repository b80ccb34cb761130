"""The support ledger end to end: a partner files an ask for a new campaign, the liaison
answers it, and the partner reads what happened, who did it and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import login, logout

pytestmark = pytest.mark.browser

CAMPAIGN = "Healthy homes ordinance 2027"
ASK = "Asthma emergency visits by census tract"
DELIVERED = "A table of asthma ED visit rates by tract, 2019-2024, with confidence intervals."


def flash(page: Page) -> Any:
    return page.locator("main .usa-alert").first


def test_partner_asks_liaison_delivers_partner_reads_the_timeline(page: Page, cast: Any) -> None:
    started = timezone.localdate().isoformat()
    # Pat, of the Eastside Tenants Union, starts a private campaign from the home page.
    login(page, cast.partner_a)
    page.get_by_role("link", name="New campaign").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New campaign")
    page.get_by_label("Title").fill(CAMPAIGN)
    page.get_by_label("Issue area").select_option(label="Healthy housing")
    page.get_by_label("Goal").fill("Every rental inspected for mold and lead before it is let.")
    page.get_by_label("Visibility").select_option("private")
    page.get_by_role("button", name="Save").click()
    expect(flash(page)).to_contain_text("Campaign created.")
    expect(page.get_by_role("heading", level=1)).to_have_text(CAMPAIGN)
    expect(page.locator("main")).to_contain_text("Private: our organization only")

    # From the campaign, Pat asks the department for data; the form knows the campaign.
    page.get_by_role("link", name="Ask the department for support").click()
    expect(page.get_by_label("Campaign").locator("option:checked")).to_have_text(CAMPAIGN)
    expect(page.locator("main")).to_contain_text("may be disclosed under public-records law")
    page.get_by_label("Kind of support").select_option("data")
    page.get_by_label("Title").fill(ASK)
    page.get_by_label("What you need").fill("ED visits for asthma per 10,000 children, by tract.")
    page.get_by_label("Liaison: plus our liaisons at the department").check()
    page.get_by_role("button", name="Send the ask").click()
    expect(flash(page)).to_contain_text("Your ask was sent to the department.")
    expect(page.get_by_role("heading", level=1)).to_have_text(ASK)
    ask_url = page.url
    logout(page)

    # Lee, the partnership's liaison, finds it among the open asks and works it through.
    login(page, cast.liaison)
    page.get_by_role("link", name="Asks", exact=True).click()
    page.get_by_role("link", name=ASK).click()
    expect(page).to_have_url(ask_url)
    expect(page.locator("main")).not_to_contain_text(CAMPAIGN)  # the campaign is private

    answer = page.locator("section", has=page.get_by_role("heading", name="Answer"))
    answer.get_by_label("Comment (optional)").fill("We have the data; pulling it this week.")
    answer.get_by_role("button", name="Acknowledge").click()
    expect(flash(page)).to_contain_text("The ask is now: Acknowledged.")

    answer.get_by_role("button", name="Start work").click()
    expect(flash(page)).to_contain_text("The ask is now: In progress.")

    deliver = page.locator("section", has=page.get_by_role("heading", name="Deliver"))
    deliver.get_by_label("What was delivered").fill(DELIVERED)
    deliver.get_by_role("button", name="Deliver and close the ask").click()
    expect(flash(page)).to_contain_text("Delivered.")
    logout(page)

    # Pat comes back and reads, on the ask's page, every step with who took it and when.
    login(page, cast.partner_a)
    page.get_by_role("link", name=ASK).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ASK)
    delivered = page.locator("section", has=page.get_by_role("heading", name="What was delivered"))
    expect(delivered).to_contain_text(DELIVERED)

    timeline = page.locator("section", has=page.get_by_role("heading", name="Timeline"))
    entries = timeline.locator("ol > li")
    expect(entries).to_have_count(4)
    expected = [
        ("Pat Partner", "filed the ask", ["New"]),
        ("Lee Liaison", "changed the status", ["New", "Acknowledged"]),
        ("Lee Liaison", "changed the status", ["Acknowledged", "In progress"]),
        ("Lee Liaison", "changed the status", ["In progress", "Delivered"]),
    ]
    days = (started, timezone.localdate().isoformat())  # the story may run across midnight
    for entry, (who, what, statuses) in zip(entries.all(), expected, strict=True):
        expect(entry.locator("strong")).to_have_text(who)
        expect(entry).to_contain_text(what)
        for status in statuses:
            expect(entry).to_contain_text(status)
        expect(entry.locator("time")).not_to_be_empty()
        assert (entry.locator("time").get_attribute("datetime") or "")[:10] in days
    expect(entries.nth(1)).to_contain_text("We have the data; pulling it this week.")
