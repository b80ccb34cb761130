"""Decisions within the budget, the approval chain, awards, payments, reports, the public page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from grants import actions
from grants.models import Award, Decision
from grants.tests.conftest import client_for
from grants.tests.factories import make_application, to_review


@pytest.fixture
def deciding(cast: Any, cycle: Any) -> dict[str, Any]:
    a = make_application(cycle, cast.partner_a, cast.org_a, title="A's project", amount="25000")
    b = make_application(cycle, cast.partner_b, cast.org_b, title="B's project", amount="25000")
    cycle = to_review(cast.admin, cycle)
    cycle.budget = Decimal("40000")
    cycle.save()
    actions.add_panel_member(actor=cast.admin, cycle=cycle, reviewer=cast.reviewer)
    return {"cycle": cycle, "a": a, "b": b}


def decide(client: Any, application: Any, **data: str) -> Any:
    prefix = f"d{application.pk}-"
    return client.post(
        reverse("grants:decide", args=[application.pk]), {prefix + k: v for k, v in data.items()}
    )


def test_a_decision_needs_a_reason(cast: Any, deciding: dict[str, Any]) -> None:
    response = decide(
        client_for(cast.admin), deciding["a"], outcome="fund", amount="25000", reason=""
    )
    assert response.status_code == 400
    assert "Reason: This field is required." in response.content.decode()
    assert not Decision.objects.exists()


def test_going_over_budget_asks_for_confirmation_and_the_page_says_by_how_much(
    cast: Any, deciding: dict[str, Any]
) -> None:
    admin = client_for(cast.admin)
    decide(admin, deciding["a"], outcome="fund", amount="25000", reason="Top ranked")
    response = decide(admin, deciding["b"], outcome="fund", amount="25000", reason="Also strong")
    assert response.status_code == 400
    assert "take the funded total $10,000 over the budget" in response.content.decode()
    assert Decision.objects.count() == 1
    decide(
        admin,
        deciding["b"],
        outcome="fund",
        amount="25000",
        reason="Also strong",
        confirm_over_budget="on",
    )
    page = admin.get(reverse("grants:decisions", args=[deciding["cycle"].pk])).content.decode()
    assert "The funded list exceeds the budget by $10,000.00." in page
    decide(admin, deciding["b"], outcome="part", amount="15000", reason="What is left")
    page = admin.get(reverse("grants:decisions", args=[deciding["cycle"].pk])).content.decode()
    assert "The funded list fits the budget" in page


def test_the_approval_chain_records_who_and_when_then_awards_and_tells_applicants(
    cast: Any, deciding: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    cycle = deciding["cycle"]
    actions.decide(
        actor=cast.admin,
        application=deciding["a"],
        outcome="fund",
        amount=Decimal("25000"),
        reason="Top",
    )
    admin = client_for(cast.admin)
    approve = reverse("grants:approve", args=[cycle.pk])
    page = admin.post(approve, follow=True).content.decode()
    assert "1 eligible application has no decision yet." in page
    actions.decide(
        actor=cast.admin,
        application=deciding["b"],
        outcome="decline",
        amount=None,
        reason="Out of scope",
    )
    admin.post(approve, {"note": "Recommended as ranked"})
    page = admin.get(reverse("grants:decisions", args=[cycle.pk])).content.decode()
    assert "Approved by Alice Admin" in page and "Recommended as ranked" in page
    assert not Award.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.liaison).post(approve)
    award = Award.objects.get()
    assert award.application == deciding["a"] and award.amount == 25000
    assert {m.to[0] for m in mail.outbox} == {cast.partner_a.email, cast.partner_b.email}
    steps = list(cycle.approvals.values_list("name", "approved_by__email"))
    assert steps == [
        ("Review committee recommends", cast.admin.email),
        ("Board of health approves", cast.liaison.email),
    ]
    # The public page lists the award and the panel's community share.
    page = client_for(None).get(reverse("grants:awards_public")).content.decode()
    assert "Eastside Tenants Union" in page and "$25,000" in page
    assert "100% of reviewers were community members (1 of 1)." in page
    assert "Harbor Worker Center" not in page


def test_payments_fit_the_award_and_the_grantee_reports_in_their_language(
    cast: Any, deciding: dict[str, Any]
) -> None:
    actions.decide(
        actor=cast.admin,
        application=deciding["a"],
        outcome="fund",
        amount=Decimal("25000"),
        reason="Top",
    )
    actions.decide(
        actor=cast.admin, application=deciding["b"], outcome="decline", amount=None, reason="No"
    )
    for _ in range(2):
        actions.approve_step(actor=cast.admin, cycle=deciding["cycle"])
    award = Award.objects.get()
    admin = client_for(cast.admin)
    admin.post(
        reverse("grants:payment_add", args=[award.pk]), {"due": "2026-01-01", "amount": "20000"}
    )
    response = admin.post(
        reverse("grants:payment_add", args=[award.pk]), {"due": "2026-03-01", "amount": "10000"}
    )
    assert response.status_code == 400
    assert "more than the award" in response.content.decode()
    payment = award.payments.get()
    admin.post(
        reverse("grants:payment_paid", args=[award.pk, payment.pk]),
        {f"p{payment.pk}-paid_on": "2026-01-03"},
    )
    payment.refresh_from_db()
    assert payment.paid_on == date(2026, 1, 3)
    admin.post(reverse("grants:report_add", args=[award.pk]), {"due": "2026-06-01"})
    report = award.reports.get()
    cast.partner_a.language = "es"
    cast.partner_a.save()
    partner = client_for(cast.partner_a)
    form = partner.get(
        reverse("grants:report", args=[award.pk, report.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert form.status_code == 200
    response = partner.post(
        reverse("grants:report", args=[award.pk, report.pk]), {"progress": "Hicimos 10 reuniones."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.language == "es" and report.progress == "Hicimos 10 reuniones."
    assert client_for(cast.partner_b).get(award.get_absolute_url()).status_code == 404
