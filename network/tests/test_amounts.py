"""Money reads as people write it: "$15,000", not "$15000"."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from network.models import Grant
from powershare import money
from powershare.testing import make_org


def test_a_funders_grants_show_grouped_dollars(cast, client):
    funder = make_org("Valley Health Fund", kind="funder", visibility="public")
    Grant.objects.create(
        funder=funder,
        grantee=cast.org_a,
        issue_area="housing",
        amount=Decimal("15000"),
        year=2025,
        visibility="public",
    )
    client.force_login(cast.liaison)
    page = client.get(reverse("network:funder", args=[funder.pk])).content.decode()
    assert "$15,000" in page
    assert "$15000" not in page


def test_amounts_in_messages_keep_cents_only_when_there_are_any():
    assert money.amount(Decimal("15000")) == "15,000"
    assert money.amount(Decimal("12.5")) == "12.50"
    with translation.override("es"):
        assert money.amount(Decimal("15000")) == "15\xa0000"  # Spanish groups with a space
