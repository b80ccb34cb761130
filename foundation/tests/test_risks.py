"""Staff keep the risk register and read it as a heat map."""

from __future__ import annotations

import pytest
from django.urls import reverse

from foundation import actions
from foundation.models import Risk
from foundation.tests.factories import make_round
from powershare.testing import make_campaign

pytestmark = pytest.mark.django_db


def _risk(cast, **fields):
    fields.setdefault("title", "Lobbying limits on our CDC grant")
    fields.setdefault("category", "lobbying")
    fields.setdefault("likelihood", 4)
    fields.setdefault("impact", 5)
    return actions.create_risk(actor=cast.admin, owner=cast.liaison, **fields)


def test_staff_add_a_risk_linked_to_a_campaign(client, cast):
    campaign = make_campaign(cast.org_a, visibility="department", title="Healthy homes")
    client.force_login(cast.analyst)
    response = client.post(
        reverse("foundation:risk_new"),
        {
            "title": "Backlash from landlords",
            "category": "backlash",
            "likelihood": "3",
            "impact": "4",
            "owner": cast.analyst.pk,
            "mitigations": "Brief the board first.",
            "review_date": "2026-09-01",
            "status": "open",
            "campaigns": [campaign.pk],
            "partnerships": [cast.partnership_a.pk],
        },
    )
    risk = Risk.objects.get(title="Backlash from landlords")
    assert response.status_code == 302
    assert list(risk.campaigns.all()) == [campaign]
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "3 × 4 = 12" in page and "Healthy homes" in page


def test_a_rating_off_the_scale_is_named(client, cast):
    client.force_login(cast.analyst)
    response = client.post(
        reverse("foundation:risk_new"),
        {"title": "X", "category": "legal", "likelihood": "9", "impact": "1", "status": "open"},
    )
    assert response.status_code == 400
    assert "Likelihood" in response.content.decode()
    assert not Risk.objects.exists()


def test_heat_map_places_each_risk_in_its_cell(client, cast):
    _risk(cast)
    client.force_login(cast.liaison)
    page = client.get(reverse("foundation:risks")).content.decode()
    assert "Likelihood 4, impact 5:" in page
    cell = page.split("Likelihood 4, impact 5:")[1].split("</td>")[0]
    assert "High" in cell and "Lobbying limits on our CDC grant" in cell


def test_a_private_campaign_is_not_named_to_staff(client, cast):
    secret = make_campaign(cast.org_a, visibility="private", title="Secret strategy")
    risk = _risk(cast, m2m={"campaigns": [secret]})
    client.force_login(cast.analyst)
    page = client.get(risk.get_absolute_url()).content.decode()
    assert "Secret strategy" not in page
    assert "1 campaign you cannot see" in page
    export = client.get(reverse("foundation:risk_export")).content.decode()
    assert "Secret strategy" not in export
    # Editing keeps the link the editor cannot see.
    client.post(
        reverse("foundation:risk_edit", args=[risk.pk]),
        {
            "title": risk.title,
            "category": "lobbying",
            "likelihood": "2",
            "impact": "5",
            "status": "open",
        },
    )
    assert list(risk.campaigns.all()) == [secret]


def test_only_admins_delete_and_only_after_confirming(client, cast):
    risk = _risk(cast)
    client.force_login(cast.liaison)
    assert client.post(reverse("foundation:risk_delete", args=[risk.pk])).status_code == 403
    client.force_login(cast.admin)
    assert (
        "This cannot be undone"
        in client.get(reverse("foundation:risk_delete", args=[risk.pk])).content.decode()
    )
    client.post(reverse("foundation:risk_delete", args=[risk.pk]))
    assert not Risk.objects.exists()


def test_in_spanish_an_open_risk_is_abierto_and_an_open_round_abierta(client, cast):
    risk = _risk(cast)
    round_ = make_round(admin=cast.admin)
    client.force_login(cast.admin)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    risk_page = client.get(risk.get_absolute_url()).content.decode()
    assert "· Abierto</p>" in risk_page
    instrument_page = client.get(round_.instrument.get_absolute_url()).content.decode()
    assert ">Abierta</td>" in instrument_page
