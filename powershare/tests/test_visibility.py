"""The visibility rules, one branch per case: every view inherits these answers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.models import Campaign, Organization, Person
from powershare.testing import make_campaign, make_person, make_user
from powershare.visibility import can_edit, can_view, get_editable_or_403, get_visible_or_404

# Who may read a campaign of organization A, by its visibility.
EXPECTED = {
    "private": {"partner_a"},
    "liaison": {"partner_a", "liaison"},
    "department": {"partner_a", "liaison", "admin", "analyst"},
    "public": {
        "partner_a",
        "liaison",
        "admin",
        "analyst",
        "partner_b",
        "board_member",
        "reviewer",
        "public",
    },
}


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_who_reads_a_campaign(cast, visibility):
    campaign = make_campaign(cast.org_a, visibility=visibility)
    for role, user in cast.roles().items():
        viewer = user or _anonymous()
        expected = role in EXPECTED[visibility]
        assert can_view(viewer, campaign) is expected, (role, visibility)
        listed = Campaign.objects.visible_to(viewer).filter(pk=campaign.pk).exists()
        assert listed is expected, (role, visibility)


@pytest.mark.parametrize("visibility", list(EXPECTED))
def test_only_members_edit_their_campaign(cast, visibility):
    campaign = make_campaign(cast.org_a, visibility=visibility)
    for role, user in cast.roles().items():
        assert can_edit(user or _anonymous(), campaign) is (role == "partner_a"), role


def test_liaison_of_another_partnership_does_not_see_liaison_records(cast):
    other_liaison = make_user("lou@health.example.gov", department_role="liaison")
    campaign = make_campaign(cast.org_a, visibility="liaison")
    assert not can_view(other_liaison, campaign)
    assert not Campaign.objects.visible_to(other_liaison).filter(pk=campaign.pk).exists()


def test_membership_in_several_orgs_never_duplicates_rows(cast):
    from accounts.models import Membership

    Membership.objects.create(user=cast.partner_a, organization=cast.org_b)
    make_campaign(cast.org_a, visibility="private")
    make_campaign(cast.org_b, visibility="private")
    visible = Campaign.objects.visible_to(cast.partner_a)
    assert visible.count() == len(set(visible.values_list("pk", flat=True))) == 2


def test_department_records_are_staff_and_public_only(cast):
    person = make_person(None, visibility="department")
    assert can_view(cast.analyst, person)
    assert not can_view(cast.partner_a, person)
    assert can_edit(cast.analyst, person)
    assert not can_edit(cast.partner_a, person)


def test_organization_without_members_is_the_departments(cast):
    agency = Organization.objects.create(name="Port", kind="agency", visibility="department")
    assert agency.owning_organization_id() is None
    assert can_edit(cast.liaison, agency)
    assert not can_view(cast.partner_a, agency)
    assert cast.org_a.owning_organization_id() == cast.org_a.pk
    assert not can_edit(cast.admin, cast.org_a)


def test_outsiders_get_404_and_members_without_rights_403(cast):
    campaign = make_campaign(cast.org_a, visibility="department")
    with pytest.raises(Http404):
        get_visible_or_404(Campaign.objects.all(), cast.partner_b, pk=campaign.pk)
    with pytest.raises(PermissionDenied):
        get_editable_or_403(Campaign.objects.all(), cast.analyst, pk=campaign.pk)
    assert get_editable_or_403(Campaign.objects.all(), cast.partner_a, pk=campaign.pk) == campaign


def test_garbage_lookup_is_404_not_500(cast):
    with pytest.raises(Http404):
        get_visible_or_404(Person.objects.all(), cast.admin, pk="not-a-number")


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
