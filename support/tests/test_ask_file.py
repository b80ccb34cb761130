"""Delivered files are served through a view that checks the ask's visibility."""

from __future__ import annotations

from django.urls import reverse

from powershare.testing import make_ask
from support import actions
from support.tests.conftest import pdf


def delivered(cast, ask):
    actions.acknowledge(actor=cast.liaison, ask=ask)
    actions.deliver(actor=cast.liaison, ask=ask, summary="Rates", files=[pdf("rates.pdf")])
    return ask.files.get()


def test_the_asking_organization_and_liaison_download_it(cast, login, ask_a):
    f = delivered(cast, ask_a)
    for user in (cast.partner_a, cast.liaison):
        response = login(user).get(reverse("support:ask_file", args=[ask_a.pk, f.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == f.file.open("rb").read()
        assert response["Content-Disposition"].startswith("attachment")
        assert "rates.pdf" in response["Content-Disposition"]


def test_outsiders_get_404(cast, login, ask_a):
    f = delivered(cast, ask_a)
    for user in (cast.partner_b, cast.analyst, cast.board_member, None):
        response = login(user).get(reverse("support:ask_file", args=[ask_a.pk, f.pk]))
        assert response.status_code == 404


def test_a_file_is_only_reachable_through_its_own_ask(cast, login, ask_a):
    f = delivered(cast, ask_a)
    public_b = make_ask(cast.org_b, visibility="public")
    response = login(cast.partner_b).get(reverse("support:ask_file", args=[public_b.pk, f.pk]))
    assert response.status_code == 404


def test_a_missing_file_is_404(cast, login, ask_a):
    f = delivered(cast, ask_a)
    f.file.storage.delete(f.file.name)
    response = login(cast.partner_a).get(reverse("support:ask_file", args=[ask_a.pk, f.pk]))
    assert response.status_code == 404
