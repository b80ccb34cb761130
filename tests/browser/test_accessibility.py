"""axe-core finds no serious or critical accessibility problem on the pages each role uses,
in English and, after pressing the header's "Español" button, in Spanish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from powershare.testing import make_ask, make_campaign
from tests.browser.helpers import axe_violations, describe_violations, login, switch_language

pytestmark = pytest.mark.browser


@dataclass
class Stop:
    """A page to check: where to go, and what to do there first (e.g. submit an empty form)."""

    name: str
    url: str
    then: Callable[[Page], None] | None = field(default=None)


def submit_empty_form(page: Page) -> None:
    page.locator("main form.usa-form button[type=submit]").last.click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()


def tour(role: str, cast: Any) -> list[Stop]:
    """The pages ``role`` uses, with a record of each kind for the detail pages."""
    public_campaign = make_campaign(
        cast.org_a, visibility="public", title="Healthy homes ordinance", demands="Inspections"
    )
    own_campaign = make_campaign(cast.org_a, visibility="liaison", title="Rent strike support")
    ask = make_ask(cast.org_a, campaign=own_campaign, title="Mold complaints by building")
    org = cast.org_a.get_absolute_url()
    common = [
        Stop("home", "/"),
        Stop("campaign list", "/partners/campaigns/"),
        Stop("campaign search", "/partners/campaigns/?q=homes&status=planning"),
        Stop("organization list", "/partners/organizations/"),
        Stop("organization detail", org),
    ]
    if role == "public":
        return [
            *common,
            Stop("campaign detail", public_campaign.get_absolute_url()),
            Stop("sign-in form", "/accounts/login/"),
            Stop("page not found", own_campaign.get_absolute_url()),
        ]
    asks = [
        Stop("ask list", "/support/asks/"),
        Stop("ask detail", ask.get_absolute_url()),
        Stop("dashboard", "/support/dashboard/"),
    ]
    if role == "partner":
        return [
            *common,
            *asks,
            Stop("campaign detail", own_campaign.get_absolute_url()),
            Stop("campaign form", "/partners/campaigns/new/"),
            Stop("campaign form with errors", "/partners/campaigns/new/", submit_empty_form),
            Stop("ask form", f"/support/asks/new/?campaign={own_campaign.pk}"),
            Stop("partnership detail", cast.partnership_a.get_absolute_url()),
        ]
    return [
        *common,
        *asks,
        Stop("campaign detail", own_campaign.get_absolute_url()),
        Stop("partnership detail", cast.partnership_a.get_absolute_url()),
        Stop("people list", "/partners/people/"),
        Stop("not allowed", "/partners/campaigns/new/"),
    ]


@pytest.mark.parametrize("role", ["public", "partner", "staff"])
def test_pages_have_no_serious_accessibility_violations(role: str, page: Page, cast: Any) -> None:
    stops = tour(role, cast)
    if role == "partner":
        login(page, cast.partner_a)
    elif role == "staff":
        login(page, cast.liaison)

    problems: list[str] = []
    for language, button in (("en", None), ("es", "Español")):
        if button:
            page.goto("/")
            switch_language(page, button, language)
        for stop in stops:
            page.goto(stop.url)
            if stop.then:
                stop.then(page)
            where = f"[{language}] {stop.name} {stop.url}"
            if page.locator("html").get_attribute("lang") != language:
                problems.append(f"{where}: the page is not marked as {language} (html lang)")
            violations = axe_violations(page)
            if violations:
                problems.append(describe_violations(where, violations))

    assert not problems, f"axe-core found problems for {role}:\n" + "\n".join(problems)
