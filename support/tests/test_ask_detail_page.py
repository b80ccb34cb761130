"""An ask's page: details, what was delivered, the full timeline, and the forms each side gets."""

from __future__ import annotations

import pytest
from django.urls import reverse

from powershare.testing import make_campaign
from support import actions
from support.tests.conftest import pdf


def url(ask) -> str:
    return reverse("support:ask", args=[ask.pk])


def test_partner_b_and_the_public_get_404_on_org_as_asks(cast, login, file_ask):
    for visibility in ("liaison", "department"):
        ask = file_ask(visibility=visibility)
        for user in (cast.partner_b, cast.board_member, cast.reviewer, None):
            assert login(user).get(url(ask)).status_code == 404


def test_a_non_liaison_staff_member_gets_404_unless_owner(cast, login, ask_a):
    assert login(cast.analyst).get(url(ask_a)).status_code == 404
    assert login(cast.admin).get(url(ask_a)).status_code == 404
    assert login(cast.liaison).get(url(ask_a)).status_code == 200
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst)
    assert login(cast.analyst).get(url(ask_a)).status_code == 200


def test_an_unknown_ask_is_404(cast, login):
    assert login(cast.admin).get("/support/asks/99999/").status_code == 404


def test_the_timeline_shows_who_when_what_and_comments(cast, login, ask_a):
    actions.assign_owner(actor=cast.liaison, ask=ask_a, owner=cast.analyst)
    actions.acknowledge(actor=cast.liaison, ask=ask_a, comment="Pulling the numbers.")
    actions.add_comment(actor=cast.partner_a, ask=ask_a, text="Thank you!")
    actions.decline(actor=cast.analyst, ask=ask_a, reason="The data are suppressed.")
    page = login(cast.partner_a).get(url(ask_a)).content.decode()
    assert "Pat Partner</strong> filed the ask" in page
    assert "Lee Liaison</strong> made Ana Analyst the owner" in page
    assert "Lee Liaison</strong> changed the status" in page
    assert "Pulling the numbers." in page
    assert "Pat Partner</strong> commented" in page and "Thank you!" in page
    assert "The department declined this ask" in page and "The data are suppressed." in page
    timeline = page.split('id="timeline"')[1]
    assert timeline.index(">New<") < timeline.index(">Acknowledged<") < timeline.index(">Declined<")
    assert "<time" in page


def test_in_spanish_a_status_change_reads_as_one_sentence(cast, login, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    client = login(cast.partner_a)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    timeline = client.get(url(ask_a)).content.decode().split('id="timeline"')[1]
    assert "Lee Liaison</strong> cambió el estado de <span" in timeline
    assert '<span class="usa-sr-only">a</span> <span' in timeline
    assert timeline.index(">Nueva<") < timeline.index(">Recibo confirmado<")


def test_outsiders_see_who_acted_for_which_side_not_names(cast, login, file_ask):
    ask = file_ask(visibility="public")
    actions.assign_owner(actor=cast.liaison, ask=ask, owner=cast.liaison)
    actions.acknowledge(actor=cast.liaison, ask=ask)
    for user in (None, cast.partner_b):
        page = login(user).get(url(ask)).content.decode()
        assert "Lee Liaison" not in page and "Pat Partner" not in page
        assert "The department</strong> changed the status" in page
        assert "Eastside Tenants Union</strong> filed the ask" in page


def test_a_campaign_is_named_only_to_those_who_may_see_it(cast, login, file_ask):
    secret = make_campaign(cast.org_a, title="Secret strategy", visibility="liaison")
    ask = file_ask(visibility="public", campaign=secret)
    assert "Secret strategy" in login(cast.partner_a).get(url(ask)).content.decode()
    assert "Secret strategy" in login(cast.liaison).get(url(ask)).content.decode()
    assert "Secret strategy" not in login(cast.analyst).get(url(ask)).content.decode()
    assert "Secret strategy" not in login(None).get(url(ask)).content.decode()


def test_staff_get_the_answer_forms_partners_their_own(cast, login, ask_a):
    staff_page = login(cast.liaison).get(url(ask_a)).content.decode()
    for form in ("ask_status", "ask_assign", "ask_comment"):
        assert reverse(f"support:{form}", args=[ask_a.pk]) in staff_page
    assert 'value="acknowledged"' in staff_page and "Decline the ask" in staff_page
    assert "Withdraw this ask" not in staff_page
    partner_page = login(cast.partner_a).get(url(ask_a)).content.decode()
    assert "Withdraw this ask" in partner_page and "Edit the ask" in partner_page
    assert 'value="acknowledged"' not in partner_page and "Decline the ask" not in partner_page
    assert reverse("support:ask_assign", args=[ask_a.pk]) not in partner_page
    assert "public-records law" in partner_page  # the disclosure notice above the comment box


def test_the_public_reads_a_public_ask_without_forms(cast, login, file_ask):
    ask = file_ask(visibility="public")
    page = login(None).get(url(ask)).content.decode()
    assert ask.title in page
    assert "<form" not in page.split('id="main-content"')[1].split("</main>")[0]


def test_deliver_form_only_once_acknowledged(cast, login, ask_a):
    assert "Deliver and close" not in login(cast.liaison).get(url(ask_a)).content.decode()
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    page = login(cast.liaison).get(url(ask_a)).content.decode()
    assert "Deliver and close" in page and 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize("status", ["delivered", "declined", "withdrawn"])
def test_a_closed_ask_offers_no_moves(cast, login, ask_a, status):
    if status == "withdrawn":
        actions.withdraw(actor=cast.partner_a, ask=ask_a)
    elif status == "declined":
        actions.decline(actor=cast.liaison, ask=ask_a, reason="No")
    else:
        actions.acknowledge(actor=cast.liaison, ask=ask_a)
        actions.deliver(actor=cast.liaison, ask=ask_a, summary="Done")
    for user in (cast.liaison, cast.partner_a):
        page = login(user).get(url(ask_a)).content.decode()
        assert reverse("support:ask_status", args=[ask_a.pk]) not in page
        assert "Edit the ask" not in page


def test_delivered_files_link_to_the_checking_view(cast, login, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    actions.deliver(
        actor=cast.liaison,
        ask=ask_a,
        summary="The rates",
        links="https://data.example.gov/asthma",
        files=[pdf()],
    )
    page = login(cast.partner_a).get(url(ask_a)).content.decode()
    f = ask_a.files.get()
    assert reverse("support:ask_file", args=[ask_a.pk, f.pk]) in page
    assert "/media/" not in page and f.file.name not in page
    assert 'href="https://data.example.gov/asthma"' in page
