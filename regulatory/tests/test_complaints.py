"""Partners file complaints for residents and workers and follow them; the complainant's
identity reaches only those who need it; other organizations cannot see the complaint."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership
from powershare.testing import image_bytes, make_campaign, make_user
from regulatory import actions
from regulatory.models import Complaint, ComplaintFile
from regulatory.tests.factories import make_complaint

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


def _form(campaign, **extra):
    data = {
        "organization": campaign.organization_id,
        "campaign": campaign.pk,
        "category": "housing",
        "violation_type": "mold",
        "issue": "Mold in three units; children with asthma.",
        "address": "12 Maple Court",
        "neighborhood": "Eastside",
        "building_owner": "Maple Holdings LLC",
        "ongoing": "on",
        "language": "Spanish",
        "complainant_name": "Maria Lopez",
        "complainant_phone": "555-0101",
        "contact_ok": "on",
    }
    data.update(extra)
    return data


def test_partner_files_a_complaint_with_a_photo_for_a_campaign(client, cast):
    campaign = make_campaign(cast.org_a, title="Repairs at Maple Court")
    client.force_login(cast.partner_a)
    page = client.get(reverse("regulatory:complaint_new"))
    assert "may be disclosed under public-records law" in page.content.decode()
    photo = SimpleUploadedFile("mold.png", PNG, content_type="image/png")
    response = client.post(
        reverse("regulatory:complaint_new"), {**_form(campaign), "photos": photo}
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.campaign == campaign and complaint.filed_by == cast.partner_a
    assert complaint.files.get().name == "mold.png"
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Received" in page and "Maria Lopez" in page and "Repairs at Maple Court" in page


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_saved(client, cast):
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    fake = SimpleUploadedFile("mold.png", b"not an image at all", content_type="image/png")
    response = client.post(reverse("regulatory:complaint_new"), {**_form(campaign), "photos": fake})
    assert response.status_code == 400
    assert "do not match" in response.content.decode()
    assert not Complaint.objects.exists() and not ComplaintFile.objects.exists()


def test_workplace_complaints_need_the_kind_of_work(client, cast):
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("regulatory:complaint_new"), _form(campaign, category="workplace")
    )
    assert response.status_code == 400
    assert "Type of work: Say what kind of work it is." in response.content.decode()


def test_an_anonymous_complaint_keeps_no_identity(cast):
    complaint = make_complaint(cast, anonymous=True, contact_ok=True)
    assert complaint.complainant_name == "" and complaint.complainant_phone == ""
    assert not complaint.contact_ok


def test_another_organization_cannot_see_or_guess_the_complaint(client, cast):
    complaint = make_complaint(cast)
    client.force_login(cast.partner_b)
    assert client.get(complaint.get_absolute_url()).status_code == 404
    listing = client.get(reverse("regulatory:complaints")).content.decode()
    assert "12 Maple Court" not in listing and "0 complaints" in listing
    export = client.get(reverse("regulatory:complaint_export")).content.decode()
    assert "Maple" not in export
    patterns = client.get(reverse("regulatory:patterns")).content.decode()
    assert "Maple Holdings" not in patterns
    assert (
        client.post(
            reverse("regulatory:complaint_message", args=[complaint.pk]), {"message-message": "hi"}
        ).status_code
        == 404
    )
    assert client.get(reverse("regulatory:retaliation_new", args=[complaint.pk])).status_code == 404


def test_identity_only_for_the_filer_the_assigned_inspector_and_admins(client, cast):
    complaint = make_complaint(cast)
    colleague = make_user("sam@eastside.example.org")
    Membership.objects.create(user=colleague, organization=cast.org_a)
    actions.triage_complaint(actor=cast.admin, complaint=complaint, inspector=cast.liaison)

    def sees(user):
        client.force_login(user)
        return "Maria Lopez" in client.get(complaint.get_absolute_url()).content.decode()

    assert sees(cast.partner_a)
    assert sees(cast.liaison)
    assert sees(cast.admin)
    assert not sees(cast.analyst)
    assert not sees(colleague)
    client.force_login(cast.admin)
    assert "Maria Lopez" not in client.get(reverse("regulatory:complaint_export")).content.decode()
    assert "Maria Lopez" not in client.get(reverse("regulatory:complaints")).content.decode()


def test_the_partner_follows_the_status_without_staff_names_or_internal_notes(client, cast):
    complaint = make_complaint(cast)
    actions.triage_complaint(
        actor=cast.analyst,
        complaint=complaint,
        inspector=cast.liaison,
        message="We will inspect within two weeks.",
        internal_note="Owner has three prior violations.",
    )
    client.force_login(cast.partner_a)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Triaged" in page and "We will inspect within two weeks." in page
    assert "Owner has three prior violations." not in page
    assert "Lee Liaison" not in page and "Ana Analyst" not in page
    assert "The department" in page
    client.force_login(cast.analyst)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Owner has three prior violations." in page and "Lee Liaison" in page


def test_partners_post_messages_but_cannot_triage(client, cast):
    complaint = make_complaint(cast)
    client.force_login(cast.partner_a)
    client.post(
        reverse("regulatory:complaint_message", args=[complaint.pk]),
        {"message-message": "It got worse."},
    )
    assert complaint.events.filter(message="It got worse.", internal=False).exists()
    response = client.post(
        reverse("regulatory:complaint_triage", args=[complaint.pk]),
        {"triage-inspector": cast.partner_a.pk},
    )
    assert response.status_code == 403


def test_photos_download_for_readers_only(client, cast):
    photo = SimpleUploadedFile("mold.png", PNG, content_type="image/png")
    complaint = make_complaint(cast, photos=[photo])
    stored = complaint.files.get()
    url = reverse("regulatory:complaint_file", args=[complaint.pk, stored.pk])
    client.force_login(cast.partner_a)
    assert client.get(url).status_code == 200
    client.force_login(cast.partner_b)
    assert client.get(url).status_code == 404
