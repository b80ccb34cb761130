"""Regulatory actions for campaigns; partners see actions on their own campaigns."""

from __future__ import annotations

import pytest
from django.urls import reverse

from powershare.testing import make_campaign
from regulatory.tests.factories import make_action, make_authority

pytestmark = pytest.mark.django_db


def test_partners_see_department_actions_on_their_own_campaigns(client, cast):
    campaign = make_campaign(cast.org_a, visibility="private", title="Repairs at Maple Court")
    action = make_action(cast, campaigns=[campaign], visibility="department")
    client.force_login(cast.partner_a)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Proactive inspections of Maple Court" in page and "Repairs at Maple Court" in page
    client.force_login(cast.partner_b)
    assert client.get(action.get_absolute_url()).status_code == 404
    assert "Proactive inspections" not in client.get(reverse("regulatory:actions")).content.decode()
    client.force_login(cast.analyst)
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Repairs at Maple Court" not in page  # a private campaign is not named to staff


def test_public_actions_are_on_the_public_list(client, cast):
    make_action(cast, visibility="public", title="Heat-illness order for outdoor work")
    make_action(cast, visibility="department", title="Internal review")
    page = client.get(reverse("regulatory:actions")).content.decode()
    assert "Heat-illness order for outdoor work" in page and "Internal review" not in page
    export = client.get(reverse("regulatory:action_export")).content.decode()
    assert "Heat-illness order" in export and "Internal review" not in export


def test_staff_record_an_action_with_outcomes(client, cast):
    authority = make_authority(cast)
    campaign = make_campaign(cast.org_a, visibility="department")
    client.force_login(cast.liaison)
    response = client.post(
        reverse("regulatory:action_new"),
        {
            "title": "Inspections of Maple Holdings buildings",
            "authority": authority.pk,
            "campaigns": [campaign.pk],
            "status": "completed",
            "started": "2026-02-01",
            "completed": "2026-01-01",
            "violations_found": "12",
            "orders_issued": "3",
            "fines": "4500",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "cannot be completed before it started" in response.content.decode()


def test_authorities_are_public_and_staff_keep_them(client, cast):
    authority = make_authority(cast)
    page = client.get(reverse("regulatory:authorities")).content.decode()
    assert "Health and Safety Code § 17961" in page
    assert client.get(authority.get_absolute_url()).status_code == 200
    client.force_login(cast.partner_a)
    assert client.get(reverse("regulatory:authority_new")).status_code == 403
