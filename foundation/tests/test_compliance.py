"""The compliance check: staff classify support for an ask and what pays for it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from foundation import actions
from foundation.models import AskClassification, Commitment
from powershare.testing import make_ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(cast):
    return actions.create_resource(
        actor=cast.admin,
        kind="funding",
        name="CDC Health Equity Grant",
        amount=Decimal("1000"),
        bars_lobbying=True,
        hatch_act=True,
    )


@pytest.fixture
def testimony(cast):
    return make_ask(
        cast.org_a, visibility="department", kind="testimony", title="Testify on the housing bill"
    )


def _classify(client, ask, **data):
    return client.post(reverse("foundation:ask_classify", args=[ask.pk]), data)


def test_partisan_election_activity_is_refused(client, cast, testimony):
    client.force_login(cast.liaison)
    response = _classify(client, testimony, activity="partisan")
    assert response.status_code == 400
    assert (
        "Partisan election activity cannot be recorded as department work"
        in response.content.decode()
    )
    assert not AskClassification.objects.exists()


def test_restricted_funds_for_lobbying_warn_until_confirmed(client, cast, testimony, grant):
    client.force_login(cast.liaison)
    warned = _classify(client, testimony, activity="lobbying", resource=grant.pk)
    assert warned.status_code == 400
    assert "restricted funds would pay for lobbying" in warned.content.decode()
    assert not AskClassification.objects.exists()
    confirmed = _classify(
        client, testimony, activity="lobbying", resource=grant.pk, confirm_lobbying="on"
    )
    assert confirmed.status_code == 302
    saved = AskClassification.objects.get()
    assert saved.lobbying_warning_acknowledged and saved.resource == grant


def test_education_with_an_amount_commits_the_resource(client, cast, grant):
    ask = make_ask(
        cast.org_a, visibility="department", kind="convening", title="Convene the tenants"
    )
    client.force_login(cast.analyst)
    _classify(client, ask, activity="education", resource=grant.pk, amount="250")
    commitment = Commitment.objects.get()
    assert commitment.ask == ask and commitment.amount == Decimal("250")
    page = client.get(reverse("foundation:compliance")).content.decode()
    assert "Convene the tenants" in page and "Education and technical assistance" in page


def test_asks_of_other_kinds_and_unseen_asks_are_not_classified(client, cast):
    data_ask = make_ask(cast.org_a, visibility="department", kind="data")
    private = make_ask(cast.org_a, visibility="liaison", kind="testimony")
    client.force_login(cast.analyst)
    assert client.get(reverse("foundation:ask_classify", args=[data_ask.pk])).status_code == 302
    assert client.get(reverse("foundation:ask_classify", args=[private.pk])).status_code == 404
    client.force_login(cast.liaison)
    assert client.get(reverse("foundation:ask_classify", args=[private.pk])).status_code == 200


def test_the_include_for_the_ask_page_shows_the_classification_to_staff_only(
    cast, testimony, grant
):
    actions.classify_ask(
        actor=cast.liaison, ask=testimony, activity="regulatory_advocacy", resource=grant
    )
    request = RequestFactory().get("/")
    request.user = cast.liaison
    staff = render_to_string("foundation/includes/ask_compliance.html", {"ask": testimony}, request)
    assert "Advocacy on regulation" in staff and "CDC Health Equity Grant" in staff
    request.user = cast.partner_a
    partner = render_to_string(
        "foundation/includes/ask_compliance.html", {"ask": testimony}, request
    )
    assert "Advocacy on regulation" not in partner
