"""The internal foundation in the browser: a staff member answers an assessment round, and once
the round closes the round-over-round chart shows the change."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from foundation.tests.factories import answer_all, closed_round_with, make_round, staff
from tests.browser.helpers import axe_violations, describe_violations, login, logout

pytestmark = pytest.mark.browser


def _check_axe(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(where, violations)


def test_staff_answer_an_assessment_and_see_the_round_over_round_chart(
    page: Page, cast: Any
) -> None:
    closed_round_with([2, 2, 3], title="Baseline 2025", admin=cast.admin, opens=date(2025, 3, 1))
    current = make_round(title="One year on", admin=cast.admin)
    for colleague in staff(2, prefix="colleague"):
        answer_all(current, colleague, 4)

    # Ana, an analyst, finds the open round on the foundation's overview and answers it.
    login(page, cast.analyst)
    page.goto("/foundation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Internal foundation")
    page.get_by_role("link", name="Answer now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One year on")
    expect(page.locator("main")).to_contain_text("Your answers are anonymous")
    _check_axe(page, "answer form")
    # USWDS radio buttons are drawn by their labels: click the label, as a person would.
    for label in page.locator("label.usa-radio__label", has_text="4 Mostly").all():
        label.click()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.locator("main .usa-alert").first).to_contain_text("only you can see them")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers")
    expect(page.locator("main")).to_contain_text("4 Mostly")
    # The round is still open: no results yet, so nobody can work out her answers.
    page.get_by_role("link", name="One year on").click()
    expect(page.locator("main")).to_contain_text("3 staff members have answered.")
    expect(page.locator("main")).to_contain_text("Results appear when the round closes")
    logout(page)

    # Alice, a department admin, closes the round and reads the chart and its table.
    login(page, cast.admin)
    page.goto(f"/foundation/rounds/{current.pk}/")
    page.get_by_role("button", name="Close the round").click()
    expect(page.locator("main .usa-alert").first).to_contain_text("Round closed.")
    expect(page.locator("main")).to_contain_text("Average by domain across 3 respondents")
    page.get_by_role("link", name=current.instrument.title).click()
    chart = page.get_by_role("img", name="Average score by domain, round over round")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("Baseline 2025")
    expect(chart).to_contain_text("One year on")
    table = page.get_by_role("table", name="Average score by domain and round")
    expect(table.get_by_role("row", name="Leadership support")).to_contain_text("2.33")
    expect(table.get_by_role("row", name="Leadership support")).to_contain_text("4.00")
    expect(page.locator("main")).not_to_contain_text(cast.analyst.email)
    _check_axe(page, "instrument page with the chart")
