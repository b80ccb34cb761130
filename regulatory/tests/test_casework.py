"""Staff triage a complaint into an inspection, violations and corrective action, and close it
with evidence; retaliation against the complainant is its own record."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regulatory import actions
from regulatory.models import Complaint, Retaliation
from regulatory.tests.factories import make_complaint

pytestmark = pytest.mark.django_db


def test_from_triage_to_closing_with_evidence(client, cast):
    complaint = make_complaint(cast)
    client.force_login(cast.analyst)
    url = complaint.get_absolute_url()
    client.post(
        reverse("regulatory:complaint_triage", args=[complaint.pk]),
        {"triage-inspector": cast.analyst.pk, "triage-message": "Assigned."},
    )
    client.post(
        reverse("regulatory:inspection_new", args=[complaint.pk]),
        {"inspection-scheduled_for": "2026-03-02"},
    )
    inspection = complaint.inspections.get()
    client.post(
        reverse("regulatory:inspection_record", args=[complaint.pk, inspection.pk]),
        {
            f"result{inspection.pk}-inspected_on": "2026-03-02",
            f"result{inspection.pk}-findings": "Mold in 3 units.",
        },
    )
    client.post(
        reverse("regulatory:violation_new", args=[complaint.pk]),
        {
            "violation-description": "Mold growth",
            "violation-corrective_action": "Remediate",
            "violation-fine": "500",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CORRECTIVE_ACTION
    # Closing as fixed while a violation is open is refused, with the reason.
    refused = client.post(
        reverse("regulatory:complaint_close", args=[complaint.pk]),
        {"resolution": "fixed", "evidence": "Re-inspected."},
    )
    assert refused.status_code == 400 and "not corrected yet" in refused.content.decode()
    violation = complaint.violations.get()
    client.post(
        reverse("regulatory:violation_correct", args=[complaint.pk, violation.pk]),
        {f"corrected{violation.pk}-corrected_on": "2026-04-01"},
    )
    client.post(
        reverse("regulatory:complaint_close", args=[complaint.pk]),
        {
            "resolution": "fixed",
            "evidence": "Re-inspection found no mold.",
            "resident_confirmed": "on",
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED and complaint.resident_confirmed
    client.force_login(cast.partner_a)
    page = client.get(url).content.decode()
    assert "Re-inspection found no mold." in page and "Mold growth" in page


def test_closing_needs_evidence(cast):
    complaint = make_complaint(cast)
    with pytest.raises(ValidationError):
        actions.close_complaint(
            actor=cast.admin, complaint=complaint, resolution="no_violation", evidence=" "
        )


def test_retaliation_is_its_own_record(client, cast):
    complaint = make_complaint(cast)
    client.force_login(cast.partner_a)
    response = client.post(
        reverse("regulatory:retaliation_new", args=[complaint.pk]),
        {
            "kind": "eviction",
            "occurred_on": "2026-03-10",
            "description": "Landlord served a notice after the inspection.",
        },
    )
    retaliation = Retaliation.objects.get()
    assert response.status_code == 302 and retaliation.complaint == complaint
    assert (
        client.post(
            reverse("regulatory:retaliation_update", args=[retaliation.pk]), {"status": "referred"}
        ).status_code
        == 403
    )
    client.force_login(cast.admin)
    assert (
        "Eviction or threat of eviction"
        in client.get(reverse("regulatory:retaliations")).content.decode()
    )
    client.post(
        reverse("regulatory:retaliation_update", args=[retaliation.pk]),
        {"status": "referred", "response": "Referred to legal aid."},
    )
    retaliation.refresh_from_db()
    assert retaliation.status == "referred"
    client.force_login(cast.partner_b)
    assert client.get(retaliation.get_absolute_url()).status_code == 404


def test_only_staff_can_be_assigned(cast):
    complaint = make_complaint(cast)
    with pytest.raises(ValidationError):
        actions.triage_complaint(actor=cast.admin, complaint=complaint, inspector=cast.partner_b)


def test_patterns_count_complaints_by_owner_and_neighborhood(client, cast):
    make_complaint(cast)
    make_complaint(cast, address="14 Maple Court")
    make_complaint(
        cast, building_owner="Harbor Logistics", neighborhood="Port", address="1 Dock Rd"
    )
    client.force_login(cast.admin)
    page = client.get(reverse("regulatory:patterns")).content.decode()
    owner_table = page.split("By building owner or employer</caption>")[1].split("By neighborhood")[
        0
    ]
    assert "Maple Holdings LLC" in owner_table
    row = owner_table.split("Maple Holdings LLC")[1].split("</tr>")[0]
    assert "<strong>2</strong>" in row
    assert "<svg" in page and "Complaints per month" in page


def test_filed_on_a_date_counts_in_its_month(cast):
    from regulatory import queries

    make_complaint(cast)
    months = queries.last_months(date.today(), 3)
    pattern = queries.patterns(Complaint.objects.all(), "neighborhood", months)
    assert pattern.rows[0][0] == "Eastside" and pattern.rows[0][2] == 1
