"""The ask page shows the evidence linked to the ask, each item only to those who may read it,
and offers both sides of the ask (the asking organization, the staff answering) to add
evidence already linked to it."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.urls import reverse

from support import actions


def url(ask: Any) -> str:
    return reverse("support:ask", args=[ask.pk])


def add_evidence_link(page: str) -> str:
    found = re.search(r'href="([^"]+)">Add evidence</a>', page)
    return unescape(found.group(1)) if found else ""


def add_from_the_page(client: Any, ask: Any, **fields: Any) -> Any:
    """Follow the ask page's "Add evidence" and submit the form with the ask ticked."""
    link = add_evidence_link(client.get(url(ask)).content.decode())
    assert link, "the ask page offers to add evidence"
    form = client.get(link).content.decode()
    assert re.search(rf'name="asks" value="{ask.pk}"[^>]*checked', form)
    fields.setdefault("kind", "study")
    fields.setdefault("issue_area", "housing")
    fields.setdefault("summary", "Asthma and housing conditions")
    return client.post(link, {"asks": [ask.pk], **fields})


def test_both_sides_of_an_ask_add_evidence_and_each_reader_sees_what_they_may(
    cast: Any, login: Any, file_ask: Any
) -> None:
    ask = file_ask(kind="evidence", title="Evidence on mold and asthma", visibility="public")
    response = add_from_the_page(
        login(cast.partner_a),
        ask,
        title="Our tenant survey",
        kind="testimony",
        visibility="private",
    )
    assert response.status_code == 302 and response["Location"] == url(ask)
    add_from_the_page(
        login(cast.liaison), ask, title="Review: damp housing and asthma", visibility="public"
    )
    add_from_the_page(
        login(cast.liaison), ask, title="Inspection backlog note", visibility="department"
    )

    titles = {"Our tenant survey", "Review: damp housing and asthma", "Inspection backlog note"}

    def sees(user: Any) -> set[str]:
        page = login(user).get(url(ask)).content.decode()
        return {t for t in titles if t in page}

    assert sees(cast.partner_a) == {"Our tenant survey", "Review: damp housing and asthma"}
    assert sees(cast.liaison) == {"Review: damp housing and asthma", "Inspection backlog note"}
    assert sees(cast.partner_b) == {"Review: damp housing and asthma"}
    assert sees(None) == {"Review: damp housing and asthma"}
    assert "Evidence for this ask" in login(None).get(url(ask)).content.decode()


def test_only_the_two_sides_of_the_ask_are_offered_to_add_evidence(
    cast: Any, login: Any, file_ask: Any
) -> None:
    ask = file_ask(visibility="public")
    offered = {
        cast.partner_a: True,  # the asking organization
        cast.liaison: True,  # staff who read the ask answer it
        cast.analyst: True,
        cast.partner_b: False,
        cast.board_member: False,
        None: False,
    }
    for user, expected in offered.items():
        page = login(user).get(url(ask)).content.decode()
        assert bool(add_evidence_link(page)) is expected, user
        assert ("No evidence is linked yet." in page) is expected, user


def test_the_owner_who_is_not_a_liaison_still_reaches_the_form_with_the_ask(
    cast: Any, login: Any, ask_a: Any
) -> None:
    # A liaison-only ask: an analyst reads it only once they own it.
    assert login(cast.analyst).get(url(ask_a)).status_code == 404
    form = login(cast.analyst).get(f"/data/evidence/new/?ask={ask_a.pk}").content.decode()
    assert ask_a.title not in form
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst)
    response = add_from_the_page(
        login(cast.analyst), ask_a, title="County asthma report", visibility="public"
    )
    assert response["Location"] == url(ask_a)
    assert "County asthma report" in login(cast.partner_a).get(url(ask_a)).content.decode()


def test_an_ask_the_user_cannot_read_is_not_ticked_or_named(
    cast: Any, login: Any, ask_a: Any
) -> None:
    form = login(cast.admin).get(f"/data/evidence/new/?ask={ask_a.pk}").content.decode()
    assert ask_a.title not in form and url(ask_a) not in form
