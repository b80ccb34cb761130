"""Complaints that could put the complainant at risk: an anonymous complaint's photos and
evidence reach only the assigned inspector and department admins, and a retaliation report
makes the complainant high-risk, their name and contact hidden from department staff and
admins too. Each story plays the outsider with everything they can fetch."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from powershare.testing import image_bytes, make_user
from regulatory import actions
from regulatory.tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def _photo():
    return SimpleUploadedFile("unit.png", image_bytes("PNG"), content_type="image/png")


def _get(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url)


def test_an_anonymous_complaints_files_reach_only_the_inspector_and_admins(cast):
    inspector = make_user(
        "ines@health.example.gov", name="Ines Inspector", department_role="analyst"
    )
    complaint = make_complaint(
        cast, anonymous=True, complainant_name="", complainant_phone="", photos=[_photo()]
    )
    actions.triage_complaint(actor=cast.admin, complaint=complaint, inspector=inspector)
    stored = complaint.files.get()
    file_url = f"/regulatory/complaints/{complaint.pk}/files/{stored.pk}/"
    for insider in (cast.admin, inspector):
        assert _get(insider, file_url).status_code == 200
        assert "unit.png" in _get(insider, complaint.get_absolute_url()).content.decode()
    for outsider in (cast.liaison, cast.analyst, cast.partner_a):
        assert _get(outsider, file_url).status_code == 404, outsider
        page = _get(outsider, complaint.get_absolute_url())
        assert page.status_code == 200 and "unit.png" not in page.content.decode(), outsider
        assert file_url not in page.content.decode()


def test_a_named_complaints_files_stay_with_its_readers(cast):
    complaint = make_complaint(cast, photos=[_photo()])
    stored = complaint.files.get()
    file_url = f"/regulatory/complaints/{complaint.pk}/files/{stored.pk}/"
    for reader in (cast.liaison, cast.partner_a, cast.admin):
        assert _get(reader, file_url).status_code == 200
    assert _get(cast.partner_b, file_url).status_code == 404


def test_a_retaliation_report_hides_the_complainant_from_staff_and_admins(cast):
    inspector = make_user(
        "ines@health.example.gov", name="Ines Inspector", department_role="analyst"
    )
    complaint = make_complaint(
        cast, complainant_name="Maria Lopez", complainant_phone="555-0101", contact_ok=True
    )
    actions.triage_complaint(actor=cast.admin, complaint=complaint, inspector=inspector)
    assert "555-0101" in _get(cast.admin, complaint.get_absolute_url()).content.decode()
    retaliation = actions.report_retaliation(
        actor=cast.partner_a, complaint=complaint, kind="immigration", description="Threats."
    )
    assert retaliation.high_risk  # by default
    for outsider in (cast.admin, inspector, cast.liaison):
        for url in (complaint.get_absolute_url(), retaliation.get_absolute_url()):
            page = _get(outsider, url).content.decode()
            assert "Maria Lopez" not in page and "555-0101" not in page, (outsider, url)
        assert "Hidden: high-risk" in _get(outsider, complaint.get_absolute_url()).content.decode()
    # The partner who wrote the name down still reads it.
    page = _get(cast.partner_a, complaint.get_absolute_url()).content.decode()
    assert "Maria Lopez" in page and "555-0101" in page


def test_a_report_marked_not_high_risk_leaves_the_identity_rule_as_it_was(cast):
    complaint = make_complaint(cast, complainant_name="Maria Lopez", complainant_phone="555-0101")
    actions.report_retaliation(
        actor=cast.partner_a,
        complaint=complaint,
        kind="rent",
        description="Rent raised.",
        high_risk=False,
    )
    assert "Maria Lopez" in _get(cast.admin, complaint.get_absolute_url()).content.decode()


def test_the_report_form_marks_it_high_risk_unless_unticked(cast):
    complaint = make_complaint(cast)
    client = Client()
    client.force_login(cast.partner_a)
    url = f"/regulatory/complaints/{complaint.pk}/retaliation/"
    assert 'name="high_risk"' in client.get(url).content.decode()
    client.post(url, {"kind": "eviction", "description": "Notice served.", "high_risk": "on"})
    client.post(url, {"kind": "rent", "description": "Rent raised."})
    assert sorted(complaint.retaliations.values_list("kind", "high_risk")) == [
        ("eviction", True),
        ("rent", False),
    ]
