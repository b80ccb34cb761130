"""An applicant withdraws a submitted application before it is decided: a confirmation page and
an optional reason; it leaves review and the ranking; staff see when and why; the applicant's
members get a receipt; the audit log keeps it; it can't be withdrawn again or decided."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Membership
from grants import actions, queries
from grants.models import Application, Assignment, Decision, Review
from grants.tests.conftest import client_for
from grants.tests.factories import make_application, score, to_review
from powershare.audit.models import AuditEvent
from powershare.testing import make_user


def _in_review(cast: Any, cycle: Any) -> tuple[Any, Any]:
    """A's and B's applications under review, both assigned to the cast's reviewer."""
    mine = make_application(cycle, cast.partner_a, cast.org_a, title="Mold-free homes")
    theirs = make_application(cycle, cast.partner_b, cast.org_b, title="Safe jobs")
    cycle = to_review(cast.admin, cycle)
    actions.add_panel_member(actor=cast.admin, cycle=cycle, reviewer=cast.reviewer)
    for application in (mine, theirs):
        actions.declare_conflict(actor=cast.reviewer, application=application, kind="none")
    actions.run_assignment(actor=cast.admin, cycle=cycle)
    return mine, theirs


def test_a_partner_withdraws_with_a_reason_and_the_application_leaves_review(
    cast: Any, cycle: Any, django_capture_on_commit_callbacks: Any
) -> None:
    colleague = make_user("cruz@eastside.example.org", name="Cruz Colleague", language="es")
    Membership.objects.create(user=colleague, organization=cast.org_a, role="member")
    mine, theirs = _in_review(cast, cycle)
    score(cast.reviewer, theirs, [4, 3])
    client = client_for(cast.partner_a)
    page = client.get(mine.get_absolute_url()).content.decode()
    withdraw_url = reverse("grants:application_withdraw", args=[mine.pk])
    assert withdraw_url in page and "Withdraw the application" in page

    # The confirmation step: nothing changes until the applicant says yes.
    confirm = client.get(withdraw_url).content.decode()
    assert "Withdraw “Mold-free homes”?" in confirm and "cannot be undone" in confirm
    mine.refresh_from_db()
    assert mine.status == "submitted"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            withdraw_url, {"reason": "Our lead organizer moved away."}, follow=True
        )
    assert "Your application was withdrawn" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "withdrawn" and mine.withdrawn_by == cast.partner_a
    assert mine.withdrawal_reason == "Our lead organizer moved away."
    # Every member of the applicant gets the receipt, the one who withdrew included.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.partner_a.email, colleague.email])
    receipt = next(m for m in mail.outbox if m.to == [cast.partner_a.email])
    assert receipt.subject == "Your application was withdrawn: Mold-free homes"
    assert "Our lead organizer moved away." in receipt.body
    assert mine.get_absolute_url() in receipt.body

    # Reviewers: out of the queue, and the application itself is no longer theirs to read.
    reviewer = client_for(cast.reviewer)
    queue = reviewer.get(reverse("grants:reviews", args=[cycle.pk])).content.decode()
    assert "Mold-free homes" not in queue and "Safe jobs" in queue
    assert reviewer.get(mine.get_absolute_url()).status_code == 404
    assert not Assignment.objects.filter(application=mine).exists()
    # With their only remaining review done, the reviewer reaches the ranking.
    assert reviewer.get(reverse("grants:ranking", args=[cycle.pk])).status_code == 200

    # Staff see it withdrawn, when and why; in the list, the CSV and the decisions page.
    staff = client_for(cast.liaison)
    detail = staff.get(mine.get_absolute_url()).content.decode()
    assert "Withdrawn by the applicant on" in detail and "Our lead organizer moved away." in detail
    listing = staff.get(
        reverse("grants:applications", args=[cycle.pk]), {"status": "withdrawn"}
    ).content.decode()
    assert "Mold-free homes" in listing and "Safe jobs" not in listing
    csv = staff.get(reverse("grants:applications_export", args=[cycle.pk])).content.decode()
    assert "Withdrawn" in csv and "Our lead organizer moved away." in csv
    decisions = staff.get(reverse("grants:decisions", args=[cycle.pk])).content.decode()
    assert "Withdrawn by the applicant, so neither ranked nor decided" in decisions

    # The partner's own page says so, and offers no second withdrawal.
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Withdrawn by the applicant on" in page and withdraw_url not in page

    event = AuditEvent.objects.get(event="grants.application_withdrawn")
    assert event.actor == cast.partner_a and event.record_id == str(mine.pk)
    assert event.changes["status"] == ["submitted", "withdrawn"]
    assert event.changes["reason"] == "Our lead organizer moved away."


def test_a_withdrawn_application_cannot_be_withdrawn_again_or_decided(
    cast: Any, cycle: Any
) -> None:
    mine, _theirs = _in_review(cast, cycle)
    actions.withdraw_application(actor=cast.partner_a, application=mine)
    mine.refresh_from_db()
    assert mine.status == "withdrawn" and mine.withdrawal_reason == ""
    with pytest.raises(ValidationError, match="already withdrawn"):
        actions.withdraw_application(actor=cast.partner_a, application=mine)
    response = client_for(cast.partner_a).post(
        reverse("grants:application_withdraw", args=[mine.pk]), follow=True
    )
    assert "This application was already withdrawn." in response.content.decode()
    assert AuditEvent.objects.filter(event="grants.application_withdrawn").count() == 1

    with pytest.raises(ValidationError, match="withdrawn; it cannot be decided"):
        actions.decide(
            actor=cast.admin, application=mine, outcome="fund", amount=Decimal("20000"), reason="x"
        )
    response = client_for(cast.admin).post(
        reverse("grants:decide", args=[mine.pk]),
        {f"d{mine.pk}-outcome": "fund", f"d{mine.pk}-amount": "20000", f"d{mine.pk}-reason": "x"},
    )
    assert response.status_code == 400
    assert "This application was withdrawn; it cannot be decided." in response.content.decode()
    assert not Decision.objects.filter(application=mine).exists()
    # Approval goes ahead without a decision on it, and no award is made for it.
    actions.decide(
        actor=cast.admin,
        application=_theirs,
        outcome="fund",
        amount=Decimal("20000"),
        reason="Strong",
    )
    for _step in actions.approval_chain(mine.cycle):
        actions.approve_step(actor=cast.admin, cycle=mine.cycle)
    assert not hasattr(Application.objects.get(pk=mine.pk), "award")


def test_only_the_applicants_members_withdraw(cast: Any, cycle: Any) -> None:
    mine, _theirs = _in_review(cast, cycle)
    url = reverse("grants:application_withdraw", args=[mine.pk])
    # Another organization can't tell it exists; staff and its reviewer read it but may not.
    assert client_for(cast.partner_b).get(url).status_code == 404
    assert client_for(cast.partner_b).post(url).status_code == 404
    for user in (cast.admin, cast.reviewer):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"reason": "x"}).status_code == 403
        assert "Withdraw the application" not in (
            client_for(user).get(mine.get_absolute_url()).content.decode()
        )
    assert client_for(None).get(url).status_code == 302
    with pytest.raises(PermissionDenied):
        actions.withdraw_application(actor=cast.admin, application=mine)
    mine.refresh_from_db()
    assert mine.status == "submitted"


def test_a_draft_is_not_withdrawn(cast: Any, cycle: Any) -> None:
    draft = make_application(cycle, cast.partner_a, cast.org_a, submit=False)
    with pytest.raises(ValidationError, match="Only a submitted application"):
        actions.withdraw_application(actor=cast.partner_a, application=draft)
    assert "Withdraw the application" not in (
        client_for(cast.partner_a).get(draft.get_absolute_url()).content.decode()
    )


def test_withdrawal_drops_a_draft_decision_but_closes_once_approval_starts(
    cast: Any, cycle: Any
) -> None:
    mine, theirs = _in_review(cast, cycle)
    actions.decide(
        actor=cast.admin, application=mine, outcome="fund", amount=Decimal("20000"), reason="Good"
    )
    actions.withdraw_application(actor=cast.partner_a, application=mine, reason="Other funds")
    assert not Decision.objects.filter(application=mine).exists()
    assert queries.budget_status(mine.cycle)["funded"] == Decimal("0")
    event = AuditEvent.objects.get(event="grants.application_withdrawn")
    assert event.changes["decision_dropped"]["outcome"] == "fund"

    actions.decide(
        actor=cast.admin, application=theirs, outcome="decline", amount=None, reason="Weak"
    )
    actions.approve_step(actor=cast.admin, cycle=theirs.cycle)
    client = client_for(cast.partner_b)
    assert "Withdraw the application" not in client.get(theirs.get_absolute_url()).content.decode()
    response = client.post(reverse("grants:application_withdraw", args=[theirs.pk]), follow=True)
    assert "can no longer be withdrawn" in response.content.decode()
    with pytest.raises(ValidationError, match="too late to withdraw"):
        actions.withdraw_application(actor=cast.partner_b, application=theirs)


def test_a_withdrawn_applications_scores_leave_the_ranking_but_the_review_is_paid(
    cast: Any, cycle: Any
) -> None:
    mine, theirs = _in_review(cast, cycle)
    score(cast.reviewer, mine, [5, 5])
    score(cast.reviewer, theirs, [2, 2])
    ranked = [row.application for row in queries.ranking(cast.admin, mine.cycle)]
    assert ranked == [mine, theirs]
    actions.withdraw_application(actor=cast.partner_a, application=mine)
    ranked = [row.application for row in queries.ranking(cast.admin, mine.cycle)]
    assert ranked == [theirs]
    # The submitted review stays on the record, and in the reviewer's stipend.
    assert Review.objects.filter(application=mine, submitted_at__isnull=False).exists()
    (row,) = queries.panel(mine.cycle)
    assert row["done"] == 2 and row["stipend"] == Decimal("150")


def test_the_database_refuses_a_withdrawal_without_its_time(cast: Any, cycle: Any) -> None:
    mine = make_application(cycle, cast.partner_a, cast.org_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=mine.pk).update(status="withdrawn")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=mine.pk).update(withdrawal_reason="Changed our minds")
