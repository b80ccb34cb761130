"""Partnerships: each side rates the relationship; one-to-ones stay minimal."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.models import Agreement, PartnershipRating, RelationalMeeting
from powershare.testing import pdf_bytes


def test_both_sides_rate_and_see_where_they_differ(cast, client):
    url = reverse("partners:partnership_rate", args=[cast.partnership_a.pk, "department"])
    client.force_login(cast.liaison)
    client.post(url, {"level": "4", "reason": "We plan together", "rated_on": "2025-06-01"})
    client.force_login(cast.partner_a)
    client.post(
        reverse("partners:partnership_rate", args=[cast.partnership_a.pk, "partner"]),
        {"level": "2", "reason": "They ask but don't follow up", "rated_on": "2025-06-02"},
    )
    page = client.get(
        reverse("partners:partnership", args=[cast.partnership_a.pk])
    ).content.decode()
    assert "The department says 4 Collaborate; the partner says 2 Consult." in page
    assert "They ask but don&#x27;t follow up" in page
    assert PartnershipRating.objects.count() == 2


def test_rating_out_of_range_or_in_the_future_is_refused(cast, client):
    client.force_login(cast.liaison)
    url = reverse("partners:partnership_rate", args=[cast.partnership_a.pk, "department"])
    response = client.post(url, {"level": "9", "reason": "x", "rated_on": "2025-01-01"})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"level": "3", "reason": "x", "rated_on": "2999-01-01"})
    assert "cannot be in the future" in response.content.decode()
    assert not PartnershipRating.objects.exists()


def test_staff_cannot_rate_for_the_partner(cast, client):
    client.force_login(cast.admin)
    url = reverse("partners:partnership_rate", args=[cast.partnership_a.pk, "partner"])
    assert (
        client.post(url, {"level": "5", "reason": "x", "rated_on": "2025-01-01"}).status_code == 403
    )


def test_agreement_upload_checks_type_and_content(cast, client):
    client.force_login(cast.liaison)
    url = reverse("partners:agreement_new", args=[cast.partnership_a.pk])
    fake = SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        url, {"kind": "mou", "title": "MOU", "start": "2025-01-01", "file": fake}
    )
    assert "do not match its .pdf name" in response.content.decode()
    exe = SimpleUploadedFile("mou.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"kind": "mou", "title": "MOU", "start": "2025-01-01", "file": exe})
    assert "Files of type .exe are not accepted" in response.content.decode()
    response = client.post(
        url, {"kind": "mou", "title": "MOU", "start": "2025-01-01", "expiry": "2024-01-01"}
    )
    assert "expires before it starts" in response.content.decode()
    assert not Agreement.objects.exists()
    good = SimpleUploadedFile("mou.pdf", pdf_bytes(), content_type="application/pdf")
    client.post(url, {"kind": "mou", "title": "MOU", "start": "2025-01-01", "file": good})
    agreement = Agreement.objects.get()
    client.force_login(cast.partner_b)
    file_url = reverse("partners:agreement_file", args=[cast.partnership_a.pk, agreement.pk])
    assert client.get(file_url).status_code == 404
    client.force_login(cast.partner_a)
    assert client.get(file_url).status_code == 200


def test_one_to_one_notes_stay_minimal_without_opt_in(cast, client):
    client.force_login(cast.liaison)
    url = reverse("partners:meeting_new", args=[cast.partnership_a.pk])
    response = client.post(url, {"date": "2025-04-01", "purpose": "Check in", "interests": "Rent"})
    assert "only when the partner agreed" in response.content.decode()
    client.post(url, {"date": "2025-04-01", "purpose": "Check in", "shared_with_partner": "on"})
    client.post(url, {"date": "2025-04-02", "purpose": "Staff debrief"})
    assert RelationalMeeting.objects.count() == 2
    client.force_login(cast.partner_a)
    page = client.get(
        reverse("partners:partnership", args=[cast.partnership_a.pk])
    ).content.decode()
    assert "Check in" in page
    assert "Staff debrief" not in page


def test_partner_b_cannot_see_partnership_a(cast, client):
    client.force_login(cast.partner_b)
    assert (
        client.get(reverse("partners:partnership", args=[cast.partnership_a.pk])).status_code == 404
    )
    assert cast.org_a.name not in client.get(reverse("partners:partnerships")).content.decode()
