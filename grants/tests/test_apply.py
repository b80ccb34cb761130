"""A partner applies in the browser: draft, answers, documents, submission before the deadline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from grants.models import Application
from grants.tests.conftest import client_for
from grants.tests.factories import PDF, make_application


def test_partner_drafts_attaches_and_submits_and_gets_a_receipt(
    cast: Any, cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(cast.partner_a)
    response = client.post(
        reverse("grants:apply", args=[cycle.pk]),
        {"organization": cast.org_a.pk, "project_title": "Mold-free homes"},
    )
    application = Application.objects.get(project_title="Mold-free homes")
    assert response.url == reverse("grants:application_edit", args=[application.pk])
    question = cycle.questions.first()
    response = client.post(
        response.url,
        {
            "project_title": "Mold-free homes",
            "summary": "Tenant organizing",
            "amount_requested": "20000",
            "budget": "Organizers $20,000",
            f"q_{question.pk}": "Door-knocking",
        },
    )
    assert response.status_code == 302
    # A draft stays private: not even staff read it.
    assert client_for(cast.admin).get(application.get_absolute_url()).status_code == 404
    page = client.get(application.get_absolute_url()).content.decode()
    assert "the document “Budget sheet”" in page
    bad = SimpleUploadedFile("budget.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("grants:document_add", args=[application.pk]),
        {"requirement": cycle.required_documents.first().pk, "file": bad},
    )
    assert response.status_code == 400
    assert "do not match its .pdf name" in response.content.decode()
    good = SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("grants:document_add", args=[application.pk]),
        {"requirement": cycle.required_documents.first().pk, "file": good},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:application_submit", args=[application.pk]), follow=True
        )
    assert "Your application was submitted" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "submitted" and application.visibility == "department"
    assert [m.to for m in mail.outbox] == [[cast.partner_a.email]]
    assert "Mold-free homes" in mail.outbox[0].subject
    assert client_for(cast.admin).get(application.get_absolute_url()).status_code == 200
    assert client_for(cast.partner_b).get(application.get_absolute_url()).status_code == 404


def test_an_incomplete_draft_says_what_is_missing(cast: Any, cycle: Any) -> None:
    application = make_application(cycle, cast.partner_a, cast.org_a, submit=False)
    application.documents.all().delete()
    response = client_for(cast.partner_a).post(
        reverse("grants:application_submit", args=[application.pk]), follow=True
    )
    assert "Before submitting, add: the document “Budget sheet”." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_late_submission_is_refused_with_the_deadline_shown(cast: Any, cycle: Any) -> None:
    application = make_application(cycle, cast.partner_a, cast.org_a, submit=False)
    cycle.deadline = timezone.now() - timedelta(hours=1)
    cycle.save()
    response = client_for(cast.partner_a).post(
        reverse("grants:application_submit", args=[application.pk]), follow=True
    )
    page = response.content.decode()
    assert "late applications are not accepted" in page
    assert "The deadline was" in page
    application.refresh_from_db()
    assert application.status == "draft" and application.submitted_at is None


def test_amount_outside_the_award_range_names_the_field(cast: Any, cycle: Any) -> None:
    application = make_application(cycle, cast.partner_a, cast.org_a, submit=False)
    response = client_for(cast.partner_a).post(
        reverse("grants:application_edit", args=[application.pk]),
        {"project_title": "X", "amount_requested": "900000", "summary": "", "budget": ""},
    )
    assert response.status_code == 400
    assert "Ask for between $5,000" in response.content.decode()


def test_staff_screen_with_a_reason(cast: Any, cycle: Any) -> None:
    application = make_application(cycle, cast.partner_a, cast.org_a)
    url = reverse("grants:application_screen", args=[application.pk])
    client_for(cast.liaison).post(url, {"eligibility": "ineligible", "reason": ""})
    application.refresh_from_db()
    assert application.eligibility == "pending"
    client_for(cast.liaison).post(
        url, {"eligibility": "ineligible", "reason": "Based outside the county"}
    )
    application.refresh_from_db()
    assert application.eligibility == "ineligible"
    page = client_for(cast.partner_a).get(application.get_absolute_url()).content.decode()
    assert "Based outside the county" in page
