"""Participatory grant review end to end: a partner applies, a community reviewer declares
conflicts and scores, staff decide and approve, and the public sees the awards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from grants.tests.factories import make_cycle
from powershare.testing import pdf_bytes
from tests.browser.helpers import axe_violations, describe_violations, login

pytestmark = pytest.mark.browser

PROJECT = "Mold-free homes organizing"


def flash(page: Page) -> Any:
    return page.locator("main .usa-alert").first


def no_axe_problems(page: Page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe_violations(where, violations)


def open_page(new_context: Any) -> Page:
    page = new_context().new_page()
    page.set_default_timeout(30_000)  # a long story on a shared machine
    return page


def test_apply_declare_score_decide_and_publish(
    new_context: Any, cast: Any, tmp_path: Path
) -> None:
    cycle = make_cycle(cast.admin, title="Community Health Power Fund 2026")
    pdf = tmp_path / "budget.pdf"
    pdf.write_bytes(pdf_bytes())

    # Pat applies for the Eastside Tenants Union, saving a draft first.
    pat = open_page(new_context)
    login(pat, cast.partner_a)
    pat.goto("/grants/")
    pat.get_by_role("link", name="Community Health Power Fund 2026").click()
    pat.get_by_role("link", name="Apply", exact=True).click()
    pat.get_by_label("Apply for").select_option(label="Eastside Tenants Union")
    pat.get_by_label("Project title").fill(PROJECT)
    pat.get_by_role("button", name="Start the application").click()
    expect(flash(pat)).to_contain_text("Draft started")
    pat.get_by_label("Summary").fill("Tenants organize building by building for mold inspections.")
    pat.get_by_label("Amount requested").fill("20000")
    pat.get_by_label("Budget").fill("Organizer stipends: $15,000\nInterpretation: $5,000")
    pat.get_by_label("What will you do?").fill("Door-knock every building on Alder Street.")
    pat.get_by_role("button", name="Save the draft").click()
    expect(flash(pat)).to_contain_text("Draft saved.")
    no_axe_problems(pat, "application form")
    pat.get_by_label("Which document").select_option(label="Budget sheet")
    pat.get_by_label("File").set_input_files(str(pdf))
    pat.get_by_role("button", name="Attach the document").click()
    expect(flash(pat)).to_contain_text("Document attached.")
    pat.get_by_role("button", name="Submit the application").click()
    expect(flash(pat)).to_contain_text("Your application was submitted.")
    expect(pat.locator("main")).to_contain_text("Not yet screened")

    # Alice closes the call, screens the application and seats Rey on the panel.
    alice = open_page(new_context)
    login(alice, cast.admin)
    alice.goto(cycle.get_absolute_url())
    alice.get_by_role("button", name="Close applications and start review").click()
    expect(flash(alice)).to_contain_text("Under review")
    alice.get_by_role("link", name="Applications", exact=True).click()
    alice.get_by_role("link", name=PROJECT).click()
    alice.locator("label", has_text="Eligible").first.click()
    alice.get_by_label("Reason").fill("County-based tenant union; budget within range.")
    alice.get_by_role("button", name="Record the screening").click()
    expect(flash(alice)).to_contain_text("Screening recorded.")
    alice.goto(f"/grants/cycles/{cycle.pk}/panel/")
    alice.get_by_label("Reviewer").select_option(label="Rey Reviewer — community reviewer")
    alice.get_by_role("button", name="Add to the panel").click()
    expect(flash(alice)).to_contain_text("Added to the panel.")

    # Rey declares no conflict before reading, is assigned, and scores.
    rey = open_page(new_context)
    login(rey, cast.reviewer)
    rey.goto("/grants/")
    panels = rey.locator(
        "main ul", has=rey.get_by_role("link", name="Community Health Power Fund 2026")
    )
    panels.first.get_by_role("link").first.click()
    expect(rey.get_by_role("heading", level=1)).to_have_text("Your reviews")
    expect(rey.locator("main")).not_to_contain_text("Door-knock")
    rey.get_by_label("Do you have a conflict of interest?").select_option("none")
    rey.get_by_role("button", name=f"Declare {PROJECT}").click()
    expect(flash(rey)).to_contain_text("Declared: no conflict")
    alice.get_by_role("button", name="Assign reviewers").click()
    expect(flash(alice)).to_contain_text("1 assignment made.")
    rey.reload()
    rey.get_by_role("link", name=f"Read and score {PROJECT}").click()
    expect(rey.locator("main")).to_contain_text("Door-knock every building on Alder Street.")
    no_axe_problems(rey, "scoring page")
    rey.get_by_label("Community need: score from 1 to 5").fill("7")
    rey.get_by_label("Organizing plan: score from 1 to 5").fill("4")
    rey.evaluate("() => document.querySelectorAll('main form').forEach(f => f.noValidate = true)")
    rey.get_by_role("button", name="Submit the review").click()
    expect(rey.locator("main")).to_contain_text("Ensure this value is less than or equal to 5.")
    rey.get_by_label("Community need: score from 1 to 5").fill("5")
    rey.get_by_label("Comment on Community need").fill(
        "Mold is the top complaint in these buildings."
    )
    rey.get_by_role("button", name="Submit the review").click()
    expect(flash(rey)).to_contain_text("Review submitted.")
    expect(rey.locator("main")).to_contain_text("Mold is the top complaint in these buildings.")

    # Alice decides from the ranking and takes the program's approval chain.
    alice.goto(f"/grants/cycles/{cycle.pk}/decisions/")
    alice.get_by_text(f"Decide {PROJECT}").click()
    alice.get_by_label("Decision").select_option("fund")
    alice.get_by_label("Amount").fill("20000")
    alice.get_by_label("Reason").fill("Ranked first by the panel.")
    alice.get_by_role("button", name="Record the decision").click()
    expect(flash(alice)).to_contain_text("Decision recorded")
    expect(alice.locator("main")).to_contain_text("The funded list fits the budget")
    alice.get_by_role("button", name="Record: Review committee recommends").click()
    expect(flash(alice)).to_contain_text("Step recorded: Review committee recommends.")
    alice.get_by_role("button", name="Record: Board of health approves").click()
    expect(alice.locator("main")).to_contain_text("Approved by Alice Admin")

    # Anyone can read the awards and who reviewed.
    public = open_page(new_context)
    public.goto("/grants/awards/")
    section = public.locator(
        "section", has=public.get_by_role("heading", name="Community Health Power Fund 2026")
    )
    expect(section).to_contain_text("Eastside Tenants Union")
    expect(section).to_contain_text("$20,000")
    expect(section).to_contain_text("100% of reviewers were community members (1 of 1).")
    no_axe_problems(public, "public awards page")
