"""The campaign page shows the evidence linked to the campaign, each item only to those who may
read it, and offers its organization and department staff to add evidence already linked."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from powershare.testing import make_campaign


def add_evidence_link(page: str) -> str:
    found = re.search(r'href="([^"]+)">Add evidence</a>', page)
    return unescape(found.group(1)) if found else ""


def add_from_the_page(client: Any, campaign: Any, **fields: Any) -> Any:
    """Follow the campaign page's "Add evidence" and submit the form as it comes."""
    link = add_evidence_link(client.get(campaign.get_absolute_url()).content.decode())
    assert link, "the campaign page offers to add evidence"
    form = client.get(link).content.decode()
    assert re.search(rf'name="campaigns" value="{campaign.pk}"[^>]*checked', form)
    fields.setdefault("kind", "study")
    fields.setdefault("issue_area", "housing")
    fields.setdefault("summary", "Mold and asthma")
    return client.post(link, {"campaigns": [campaign.pk], **fields})


def test_organizers_add_evidence_from_their_campaign_and_readers_see_what_they_may(
    client: Any, cast: Any
) -> None:
    campaign = make_campaign(cast.org_a, visibility="public", title="Healthy Housing Ordinance")
    client.force_login(cast.partner_a)
    response = add_from_the_page(
        client, campaign, title="Tenant testimony on mold", kind="testimony", visibility="private"
    )
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Evidence for this campaign" in page and "Tenant testimony on mold" in page

    client.force_login(cast.admin)
    add_from_the_page(
        client, campaign, title="HIA: proactive rental inspection", visibility="public"
    )
    add_from_the_page(
        client, campaign, title="Internal memo on inspections", visibility="department"
    )

    def sees(user: Any) -> set[str]:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        page = client.get(campaign.get_absolute_url()).content.decode()
        titles = {"Tenant testimony on mold", "HIA: proactive rental inspection"}
        return {t for t in titles | {"Internal memo on inspections"} if t in page}

    assert sees(cast.partner_a) == {"Tenant testimony on mold", "HIA: proactive rental inspection"}
    assert sees(cast.liaison) == {
        "HIA: proactive rental inspection",
        "Internal memo on inspections",
    }
    assert sees(cast.partner_b) == {"HIA: proactive rental inspection"}
    assert sees(None) == {"HIA: proactive rental inspection"}


def test_only_the_campaigns_organization_and_staff_are_offered_to_add_evidence(
    client: Any, cast: Any
) -> None:
    campaign = make_campaign(cast.org_a, visibility="public")
    for user, offered in (
        (cast.partner_a, True),
        (cast.liaison, True),
        (cast.analyst, True),
        (cast.partner_b, False),
        (cast.board_member, False),
        (None, False),
    ):
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        page = client.get(campaign.get_absolute_url()).content.decode()
        assert bool(add_evidence_link(page)) is offered, user
        # With nothing linked, those who can't add see no empty section either.
        assert ("No evidence is linked yet." in page) is offered, user


def test_a_campaign_the_user_cannot_read_is_not_ticked_or_named(client: Any, cast: Any) -> None:
    campaign = make_campaign(cast.org_a, visibility="private", title="Rent strike plans")
    client.force_login(cast.partner_b)
    form = client.get(f"/data/evidence/new/?campaign={campaign.pk}").content.decode()
    assert "Rent strike plans" not in form and campaign.get_absolute_url() not in form
    assert "checked" not in form.split('name="campaigns"', 1)[-1].split("</fieldset>", 1)[0]
