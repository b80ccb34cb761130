"""The advisory board end to end: a board admin records a meeting with a motion that adopts a
recommendation; staff answer it with a partial acceptance and a commitment; the public tracker
shows the new state; a signed-out visitor sees no private member data. The board's pages pass
axe-core in English and Spanish."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accountability import actions, proceedings, roster
from accountability.tests.factories import make_board, pdf
from tests.browser.helpers import (
    axe_violations,
    describe_violations,
    login,
    logout,
    switch_language,
)

pytestmark = pytest.mark.browser

TITLE = "Cooling centers open until 10 p.m."
RATIONALE = "Evening hours start this summer at two centers; the rest need next year's budget."
COMMITMENT = "Open the Eastside and Harbor Flats centers until 10 p.m. on heat-advisory days"


def flash(page: Page) -> Any:
    return page.locator("main .usa-alert").first


def test_board_admin_adopts_staff_answer_public_tracks(page: Page, cast: Any) -> None:
    bs = make_board(cast)
    # Private data the public must never see: a member's profile and an access request.
    roster.save_member_profile(
        actor=cast.admin,
        member=bs.members[1],
        eligibility="low_income",
        payment_preference="gift_card",
    )
    proceedings.request_access(
        actor=cast.board_member,
        meeting=bs.upcoming,
        kind="childcare",
        details="Two children, 4 and 7.",
        name="Bea Board",
        email=cast.board_member.email,
    )
    yesterday = timezone.localdate() - timedelta(days=1)

    # Alice, a department admin, runs the board: she schedules yesterday's special meeting.
    login(page, cast.admin)
    page.goto("/board/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Special meeting on heat")
    page.get_by_label("Starts").fill(f"{yesterday.isoformat()}T18:00")
    page.get_by_label("Ends").fill(f"{yesterday.isoformat()}T20:00")
    page.get_by_label("Place").fill("Eastside Community Center")
    page.get_by_label("Agenda").fill("Welcome\nPublic comment on heat\nCooling centers")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(flash(page)).to_contain_text("Meeting scheduled.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Special meeting on heat")
    meeting_url = page.url

    # Who came: all four members.
    page.get_by_role("link", name="Record attendance").click()
    for member in bs.members:
        # USWDS draws the box on the label; a person clicks the label.
        page.locator("label.usa-checkbox__label", has_text=f"{member} (").click()
    page.get_by_role("button", name="Record attendance").click()
    expect(flash(page)).to_contain_text("4 present, 3 needed for quorum")

    # The motion: it adopts a new recommendation addressed to the Environmental Health Division.
    page.get_by_role("link", name="Record a motion").click()
    page.get_by_label(re.compile(r"^Motion")).fill(
        "To adopt the recommendation on cooling centers."
    )
    page.get_by_label("Moved by").select_option(label=f"{bs.members[0]} ({bs.seats[0]})")
    page.get_by_label("Seconded by").select_option(label=f"{bs.members[1]} ({bs.seats[1]})")
    for member in bs.members[:3]:
        page.get_by_label(f"{member} (", exact=False).select_option("yes")
    page.get_by_label(f"{bs.members[3]} (", exact=False).select_option("abstain")
    page.get_by_label("This motion adopts").select_option("new")
    page.get_by_label("Recommendation title").fill(TITLE)
    page.get_by_label("Recommendation", exact=True).fill(
        "Keep cooling centers open until 10 p.m. on heat-advisory days."
    )
    page.get_by_label("The board's rationale").fill("Apartments stay hottest in the evening.")
    page.get_by_label("Addressed to").select_option(label=str(cast.unit))
    page.get_by_role("button", name="Record the motion").click()
    expect(flash(page)).to_contain_text("The motion carried.")
    expect(page).to_have_url(meeting_url)
    expect(page.locator("main")).to_contain_text("3 yes, 0 no, 1 abstaining")
    page.get_by_role("link", name=TITLE, exact=False).click()
    expect(page.locator("main")).to_contain_text("Awaiting response")
    recommendation_url = page.url
    logout(page)

    # Lee, on staff, answers: accepted in part, with a rationale, and a commitment.
    login(page, cast.liaison)
    page.goto(recommendation_url)
    respond = page.locator(
        "section", has=page.get_by_role("heading", name="Respond for the department")
    )
    respond.locator("label.usa-radio__label", has_text="Accept in part").click()
    respond.get_by_role("button", name="Publish the response").click()
    expect(page.locator("main")).to_contain_text(
        "A response cannot be published without a rationale."
    )
    respond = page.locator(
        "section", has=page.get_by_role("heading", name="Respond for the department")
    )
    respond.locator("label.usa-radio__label", has_text="Accept in part").click()
    respond.get_by_label("Rationale").fill(RATIONALE)
    respond.get_by_role("button", name="Publish the response").click()
    expect(flash(page)).to_contain_text("Response published.")
    commit = page.locator("section", has=page.get_by_role("heading", name="Add a commitment"))
    commit.get_by_label("Commitment").fill(COMMITMENT)
    commit.get_by_label("Owner on staff").select_option(label=str(cast.analyst))
    commit.get_by_label("Due").fill((timezone.localdate() + timedelta(days=45)).isoformat())
    commit.get_by_role("button", name="Add the commitment").click()
    expect(flash(page)).to_contain_text("Commitment added.")
    logout(page)

    # Anyone, signed out, reads the new state on the public tracker.
    page.goto("/board/tracker/")
    row = page.locator("#tracker-table tbody tr", has_text=TITLE)
    expect(row).to_contain_text("Accepted in part")
    expect(row).to_contain_text("answered on time")
    expect(row).to_contain_text(COMMITMENT[:30])
    expect(page.locator('[data-figure="on-time"]')).to_have_text("1 / 1")
    expect(page.locator('[data-figure="accepted"]')).to_have_text("1 / 1")
    row.get_by_role("link").click()
    expect(page.locator("main")).to_contain_text(RATIONALE)
    expect(page.get_by_role("heading", name="Respond for the department")).to_have_count(0)

    # ... and no private member data anywhere they can go.
    for url in (
        "/board/",
        "/board/meetings/",
        meeting_url,
        bs.upcoming.get_absolute_url(),
        "/board/tracker/",
        recommendation_url,
    ):
        page.goto(url)
        body = page.locator("body").inner_text()
        for secret in (
            "Low income",
            "Gift card",
            "Two children",
            cast.board_member.email,
            "member2@example.net",
        ):
            assert secret not in body, f"{url} shows {secret!r} to a signed-out visitor"
    for url in (
        "/board/members/",
        "/board/stipends/",
        f"/board/members/{bs.members[1].pk}/profile/",
    ):
        page.goto(url)
        expect(page).to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/login/?next={url}")


def test_board_pages_pass_axe_in_english_and_spanish(page: Page, cast: Any) -> None:
    bs = make_board(cast)
    proceedings.add_material(
        actor=cast.admin, meeting=bs.held, title="Packet", file=pdf(), is_public=True
    )
    from accountability.tests.factories import adopt

    rec = adopt(cast, bs)
    actions.respond(
        actor=cast.liaison, recommendation=rec, decision="partial", rationale="In part."
    )
    actions.add_commitment(
        actor=cast.liaison,
        recommendation=rec,
        description="Open late",
        owner=cast.liaison,
        due=timezone.localdate(),
    )
    public = [
        "/board/",
        "/board/apply/",
        "/board/meetings/",
        bs.held.get_absolute_url(),
        bs.upcoming.get_absolute_url(),
        "/board/tracker/",
        rec.get_absolute_url(),
        "/board/organizers/",
    ]
    admin = [
        rec.get_absolute_url(),
        "/board/members/",
        "/board/stipends/",
        "/board/applications/",
        f"/board/meetings/{bs.held.pk}/motions/new/",
        f"/board/meetings/{bs.held.pk}/attendance/",
        "/board/meetings/new/",
        "/board/organizers/new/",
    ]
    problems: list[str] = []
    for who, urls in ((None, public), (cast.admin, admin)):
        if who:
            login(page, who)
        for language, button in (("en", None), ("es", "Español")):
            if button:
                page.goto("/")
                switch_language(page, button, language)
            for url in urls:
                page.goto(url)
                violations = axe_violations(page)
                if violations:
                    problems.append(describe_violations(f"[{language}] {url}", violations))
        page.goto("/")
        switch_language(page, "English", "en")
    assert not problems, "\n".join(problems)
