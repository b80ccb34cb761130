"""Resources: what the department has, what is committed and what is still available."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from foundation import actions
from foundation.models import Commitment
from powershare.testing import make_ask

pytestmark = pytest.mark.django_db


def _grant(cast, **fields):
    fields.setdefault("name", "CDC Health Equity Grant")
    fields.setdefault("kind", "funding")
    fields.setdefault("amount", Decimal("100000"))
    fields.setdefault("bars_lobbying", True)
    fields.setdefault("hatch_act", True)
    return actions.create_resource(actor=cast.admin, **fields)


def test_admin_adds_a_funding_source_with_restrictions(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("foundation:resource_new"),
        {
            "kind": "funding",
            "name": "County general fund",
            "amount": "50000",
            "unit": "USD",
            "period_start": "2026-07-01",
            "period_end": "2026-06-30",
            "active": "on",
        },
    )
    assert response.status_code == 400
    assert "end on or after it starts" in response.content.decode()
    client.post(
        reverse("foundation:resource_new"),
        {
            "kind": "funding",
            "name": "County general fund",
            "amount": "50000",
            "unit": "USD",
            "bars_lobbying": "on",
            "active": "on",
        },
    )
    page = client.get(reverse("foundation:resources")).content.decode()
    assert "County general fund" in page and "no lobbying" in page


def test_commitments_count_against_what_is_available(client, cast):
    grant = _grant(cast)
    ask = make_ask(
        cast.org_a, visibility="department", kind="funding", title="Stipends for tenant leaders"
    )
    client.force_login(cast.analyst)
    client.post(
        reverse("foundation:commitment_new", args=[grant.pk]),
        {"amount": "30000", "description": "Community grants 2026", "ask": ask.pk},
    )
    page = client.get(grant.get_absolute_url()).content.decode()
    assert "70,000" in page and "Stipends for tenant leaders" in page
    too_much = client.post(
        reverse("foundation:commitment_new", args=[grant.pk]),
        {"amount": "70001", "description": "More"},
    )
    assert too_much.status_code == 400
    assert "Only 70000.00 is still available" in too_much.content.decode()
    assert Commitment.objects.count() == 1


def test_an_ask_the_viewer_cannot_read_is_not_named(client, cast):
    grant = _grant(cast)
    ask = make_ask(cast.org_a, visibility="liaison", kind="funding", title="Liaison-only ask")
    actions.add_commitment(
        actor=cast.liaison, resource=grant, amount=Decimal("10"), description=ask.title, ask=ask
    )
    client.force_login(cast.analyst)
    page = client.get(grant.get_absolute_url()).content.decode()
    assert "Liaison-only ask" not in page
    assert "Support for an ask you cannot see" in page


def test_the_amount_cannot_drop_below_what_is_committed(cast):
    grant = _grant(cast)
    actions.add_commitment(actor=cast.admin, resource=grant, amount=Decimal("600"), description="x")
    with pytest.raises(Exception, match="already committed"):
        actions.update_resource(actor=cast.admin, resource=grant, amount=Decimal("500"))


def test_releasing_a_commitment_asks_first(client, cast):
    grant = _grant(cast)
    commitment = actions.add_commitment(
        actor=cast.admin, resource=grant, amount=Decimal("600"), description="x"
    )
    client.force_login(cast.admin)
    url = reverse("foundation:commitment_delete", args=[grant.pk, commitment.pk])
    assert "Release this commitment?" in client.get(url).content.decode()
    client.post(url)
    assert not Commitment.objects.exists()
