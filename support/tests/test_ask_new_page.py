"""A partner asks the department for support through the new-ask page."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from powershare.testing import make_campaign, make_org
from support.models import Ask

URL = reverse("support:ask_new")


def form_data(**overrides):
    data = {
        "kind": "data",
        "title": "Asthma ED visits by tract",
        "description": "For the hearing on the healthy-housing ordinance.",
        "needed_by": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "visibility": "liaison",
    }
    data.update(overrides)
    return data


def test_a_partner_files_an_ask_and_lands_on_it(cast, login, django_capture_on_commit_callbacks):
    campaign = make_campaign(cast.org_a, title="Healthy homes")
    client = login(cast.partner_a)
    page = client.get(URL).content.decode()
    assert "public-records law" in page
    assert "Healthy homes" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(campaign=campaign.pk), follow=True)
    ask = Ask.objects.get()
    assert response.redirect_chain[-1][0] == ask.get_absolute_url()
    assert "Your ask was sent to the department." in response.content.decode()
    assert (ask.organization, ask.campaign, ask.created_by) == (
        cast.org_a,
        campaign,
        cast.partner_a,
    )
    assert ask.events.get().to_status == "new"
    assert len(mail.outbox) == 1  # the liaison


def test_only_their_own_campaigns_are_offered(cast, login):
    make_campaign(cast.org_a, title="Ours")
    theirs = make_campaign(cast.org_b, title="Theirs", visibility="public")
    client = login(cast.partner_a)
    assert "Theirs" not in client.get(URL).content.decode()
    response = client.post(URL, form_data(campaign=theirs.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["campaign"]
    assert not Ask.objects.exists()


def test_a_member_of_several_organizations_chooses_one(cast, login):
    Membership.objects.create(user=cast.partner_a, organization=cast.org_b, role="member")
    make_campaign(cast.org_b, title="Heat protections")
    client = login(cast.partner_a)
    page = client.get(URL).content.decode()
    assert (
        '<select name="organization"' in page and "Heat protections (Harbor Worker Center)" in page
    )
    campaign_a = make_campaign(cast.org_a)
    response = client.post(URL, form_data(organization=cast.org_b.pk, campaign=campaign_a.pk))
    assert response.status_code == 400  # campaign of the other organization
    client.post(URL, form_data(organization=cast.org_b.pk, visibility="department"))
    assert Ask.objects.get().organization == cast.org_b


def test_the_organization_must_be_theirs(cast, login):
    outsider_org = make_org("Somebody Else")
    # With one organization there is nothing to choose: a forged one is ignored.
    login(cast.partner_a).post(URL, form_data(organization=outsider_org.pk))
    assert Ask.objects.get().organization == cast.org_a
    # With several, only their own are valid choices.
    Membership.objects.create(user=cast.partner_a, organization=cast.org_b, role="member")
    response = login(cast.partner_a).post(URL, form_data(organization=outsider_org.pk))
    assert response.status_code == 400 and response.context["form"].errors["organization"]
    assert Ask.objects.count() == 1


def test_bad_input_gets_messages_naming_the_field(cast, login):
    client = login(cast.partner_a)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    cases = [
        ({"needed_by": yesterday}, "needed_by", "in the past"),
        ({"needed_by": "31/02/2030"}, "needed_by", "valid date"),
        ({"kind": "bogus"}, "kind", "valid choice"),
        ({"visibility": "private"}, "visibility", "valid choice"),
        ({"title": ""}, "title", "required"),
        ({"campaign": "abc"}, "campaign", "valid choice"),
    ]
    for overrides, field, text in cases:
        response = client.post(URL, form_data(**overrides))
        assert response.status_code == 400, field
        assert text in " ".join(response.context["form"].errors[field]), field
    assert not Ask.objects.exists()


def test_liaison_visibility_needs_a_liaison(cast, login):
    cast.partnership_a.liaisons.clear()
    response = login(cast.partner_a).post(URL, form_data())
    assert response.status_code == 400
    assert "no liaison" in " ".join(response.context["form"].errors["visibility"])
    login(cast.partner_a).post(URL, form_data(visibility="department"))
    assert Ask.objects.get().visibility == "department"


def test_a_campaign_can_be_preselected(cast, login):
    campaign = make_campaign(cast.org_a)
    client = login(cast.partner_a)
    assert (
        client.get(URL, {"campaign": campaign.pk}).context["form"]["campaign"].value()
        == campaign.pk
    )
    other = make_campaign(cast.org_b)
    for value in (other.pk, "99999"):  # not theirs: the form opens, nothing preselected
        response = client.get(URL, {"campaign": value})
        assert response.status_code == 200
        assert response.context["form"]["campaign"].value() is None
    for value in ("abc", "9" * 30):  # no campaign's id: refused, naming the parameter
        response = client.get(URL, {"campaign": value})
        assert response.status_code == 400 and "<code>campaign</code>" in response.content.decode()


def test_only_partners_file_asks(cast, login):
    for user in (cast.admin, cast.liaison, cast.board_member, cast.reviewer):
        assert login(user).get(URL).status_code == 403
        assert login(user).post(URL, form_data()).status_code == 403
    response = login(None).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Ask.objects.exists()
