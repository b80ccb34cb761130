"""axe-core finds no serious or critical accessibility problem on the pages each role uses,
in English and, after pressing the header's "Español" button, in Spanish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from powershare.testing import make_campaign
from support import actions
from tests.browser.helpers import axe_violations, describe_violations, login, switch_language

pytestmark = pytest.mark.browser


@dataclass
class Stop:
    """A page to check: where to go, and what to do there first (e.g. submit an empty form)."""

    name: str
    url: str
    then: Callable[[Page], None] | None = field(default=None)


def submit_empty_form(page: Page) -> None:
    # Skip the browser's own checks of required fields to see the server's error messages.
    page.eval_on_selector_all("main form", "forms => forms.forEach(f => f.noValidate = true)")
    page.locator("main form.usa-form button[type=submit]").last.click()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()


def tour(role: str, cast: Any) -> list[Stop]:
    """The pages ``role`` uses, with a record in each state for the detail pages."""
    public_campaign = make_campaign(
        cast.org_a, visibility="public", title="Healthy homes ordinance", demands="Inspections"
    )
    own_campaign = make_campaign(cast.org_a, visibility="liaison", title="Rent strike support")

    def ask(title: str, visibility: str = "liaison") -> Any:
        return actions.submit_ask(
            actor=cast.partner_a,
            organization=cast.org_a,
            campaign=own_campaign,
            kind="data",
            title=title,
            description="Mold complaints by building, 2020 to now.",
            visibility=visibility,
        )

    new = ask("Mold complaints by building")
    working = ask("Testimony at the housing committee")
    actions.acknowledge(actor=cast.liaison, ask=working, comment="We can do this.")
    actions.start_work(actor=cast.liaison, ask=working)
    delivered = ask("Lead poisoning rates", visibility="public")
    actions.acknowledge(actor=cast.liaison, ask=delivered)
    actions.deliver(
        actor=cast.liaison,
        ask=delivered,
        summary="Rates by tract, 2019-2024.",
        links="https://example.org/lead-rates",
    )

    common = [
        Stop("home", "/"),
        Stop("campaign list", "/partners/campaigns/"),
        Stop("campaign search", "/partners/campaigns/?q=homes&status=planning"),
        Stop("organization list", "/partners/organizations/"),
        Stop("organization detail", cast.org_a.get_absolute_url()),
        Stop("delivered ask", delivered.get_absolute_url()),
    ]
    if role == "public":
        return [
            *common,
            Stop("campaign detail", public_campaign.get_absolute_url()),
            Stop("ask list", "/support/asks/"),
            Stop("sign-in form", "/accounts/login/"),
            Stop("page not found", own_campaign.get_absolute_url()),
        ]
    signed_in = [
        *common,
        Stop("campaign detail", own_campaign.get_absolute_url()),
        Stop("ask list", "/support/asks/"),
        Stop("new ask", new.get_absolute_url()),
        Stop("ask in progress", working.get_absolute_url()),
        Stop("dashboard", "/support/dashboard/"),
        Stop("partnership detail", cast.partnership_a.get_absolute_url()),
    ]
    if role == "partner":
        return [
            *signed_in,
            Stop("campaign form", "/partners/campaigns/new/"),
            Stop("campaign form with errors", "/partners/campaigns/new/", submit_empty_form),
            Stop("ask form", f"/support/asks/new/?campaign={own_campaign.pk}"),
            Stop("ask form with errors", "/support/asks/new/", submit_empty_form),
        ]
    return [
        *signed_in,
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


def test_on_a_phone_the_menu_opens_and_lists_read_well(new_context: Any, cast: Any) -> None:
    make_campaign(cast.org_a, visibility="public", title="Healthy homes ordinance")
    phone = new_context(viewport={"width": 375, "height": 740}).new_page()

    phone.goto("/")
    campaigns_link = phone.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Campaigns"
    )
    expect(campaigns_link).to_be_hidden()
    phone.get_by_role("button", name="Menu").click()
    campaigns_link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Campaigns")
    expect(phone.get_by_role("link", name="Healthy homes ordinance")).to_be_visible()

    problems = axe_violations(phone)
    assert not problems, describe_violations("campaign list on a phone", problems)
