"""Visibility matrix rows for grants: who reaches each page of a cycle's life."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from grants import actions
from grants.models import ReviewerInterest
from grants.tests.factories import PDF, make_application, make_cycle, make_program, score, to_review
from powershare.matrix import PARTNERS, STAFF, Row, everyone, page, signed_in_only
from powershare.testing import Cast


def records(cast: Cast) -> dict[str, Any]:
    admin = cast.admin
    program = make_program(admin)
    draft_cycle = make_cycle(admin, program, status="draft", title="Draft cycle")
    open_cycle = make_cycle(admin, program, title="Open cycle")
    draft = make_application(
        open_cycle, cast.partner_a, cast.org_a, submit=False, title="Draft plan"
    )
    # Under review: A's application scored by the reviewer, B's assigned but not yet scored.
    review_cycle = make_cycle(admin, program, title="Review cycle")
    scored = make_application(review_cycle, cast.partner_a, cast.org_a, title="A's project")
    pending = make_application(review_cycle, cast.partner_b, cast.org_b, title="B's project")
    review_cycle = to_review(admin, review_cycle)
    seat = actions.add_panel_member(actor=admin, cycle=review_cycle, reviewer=cast.reviewer)
    for application in (scored, pending):
        actions.declare_conflict(actor=cast.reviewer, application=application, kind="none")
    actions.run_assignment(actor=admin, cycle=review_cycle)
    score(cast.reviewer, scored, [4, 3])
    # Decided: an award to A with an agreement, an installment and a report due.
    done_cycle = make_cycle(admin, program, title="Done cycle")
    funded = make_application(done_cycle, cast.partner_a, cast.org_a, title="Funded project")
    done_cycle = to_review(admin, done_cycle)
    actions.decide(
        actor=admin, application=funded, outcome="fund", amount=Decimal("20000"), reason="Strong"
    )
    for _ in program.approval_steps:
        actions.approve_step(actor=admin, cycle=done_cycle)
    award = funded.award
    actions.update_award(
        actor=admin,
        award=award,
        agreement=SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf"),
    )
    payment = actions.schedule_payment(
        actor=admin, award=award, due=date(2026, 1, 1), amount=Decimal("10000")
    )
    report = actions.schedule_report(actor=admin, award=award, due=date(2026, 6, 1))
    offer = ReviewerInterest.objects.create(
        name="Resident", email="res@example.net", language="es", experience="I live here"
    )
    return {
        "grants_program": program,
        "grants_draft_cycle": draft_cycle,
        "grants_open_cycle": open_cycle,
        "grants_review_cycle": review_cycle,
        "grants_draft": draft,
        "grants_scored": scored,
        "grants_pending": pending,
        "grants_seat": seat,
        "grants_award": award,
        "grants_payment": payment,
        "grants_report": report,
        "grants_offer": offer,
    }


def staff_only() -> dict[str, str]:
    return signed_in_only(STAFF)


def staff_post(name: str, args: Any, label: str = "") -> Row:
    return Row(name, args, staff_only(), "post", label=label)


REVIEWERS_OF_SCORED = STAFF | {"partner_a", "reviewer"}

ROWS: list[Row] = [
    Row("grants:index", lambda c, r: [], everyone()),
    Row("grants:awards_public", lambda c, r: [], everyone()),
    Row("grants:interest", lambda c, r: [], everyone()),
    Row("grants:interests", lambda c, r: [], staff_only()),
    staff_post("grants:interest_handle", lambda c, r: [r["grants_offer"].pk]),
    Row("grants:program_new", lambda c, r: [], staff_only()),
    Row("grants:program", lambda c, r: [r["grants_program"].pk], staff_only()),
    Row("grants:program_edit", lambda c, r: [r["grants_program"].pk], staff_only()),
    Row("grants:cycle_new", lambda c, r: [r["grants_program"].pk], staff_only()),
    Row("grants:cycle", lambda c, r: [r["grants_open_cycle"].pk], everyone(), label="open"),
    Row(
        "grants:cycle",
        lambda c, r: [r["grants_draft_cycle"].pk],
        page(STAFF, public="hidden"),
        label="draft",
    ),
    Row("grants:cycle_edit", lambda c, r: [r["grants_open_cycle"].pk], staff_only()),
    staff_post("grants:cycle_status", lambda c, r: [r["grants_open_cycle"].pk]),
    staff_post("grants:item_add", lambda c, r: [r["grants_draft_cycle"].pk, "question"]),
    Row(
        "grants:item_delete",
        lambda c, r: [
            r["grants_draft_cycle"].pk,
            "question",
            r["grants_draft_cycle"].questions.first().pk,
        ],
        staff_only(),
    ),
    Row("grants:apply", lambda c, r: [r["grants_open_cycle"].pk], signed_in_only(PARTNERS)),
    Row("grants:applications", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    Row("grants:applications_export", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    Row("grants:panel", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    staff_post("grants:panel_add", lambda c, r: [r["grants_review_cycle"].pk]),
    Row(
        "grants:panel_remove",
        lambda c, r: [r["grants_review_cycle"].pk, r["grants_seat"].pk],
        staff_only(),
    ),
    staff_post("grants:assign", lambda c, r: [r["grants_review_cycle"].pk]),
    Row("grants:stipends_export", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    Row("grants:reviews", lambda c, r: [r["grants_review_cycle"].pk], signed_in_only({"reviewer"})),
    # The reviewer has one of two reviews left: the ranking waits until they finish.
    Row("grants:ranking", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    Row("grants:ranking_export", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    Row("grants:decisions", lambda c, r: [r["grants_review_cycle"].pk], staff_only()),
    staff_post("grants:approve", lambda c, r: [r["grants_review_cycle"].pk]),
    Row(
        "grants:application",
        lambda c, r: [r["grants_scored"].pk],
        page(REVIEWERS_OF_SCORED, public="hidden"),
        label="submitted",
    ),
    Row(
        "grants:application",
        lambda c, r: [r["grants_draft"].pk],
        page({"partner_a"}, public="hidden"),
        label="draft",
    ),
    Row("grants:application_edit", lambda c, r: [r["grants_draft"].pk], page({"partner_a"})),
    Row("grants:document_add", lambda c, r: [r["grants_draft"].pk], page({"partner_a"}), "post"),
    Row(
        "grants:document",
        lambda c, r: [r["grants_scored"].pk, r["grants_scored"].documents.first().pk],
        page(REVIEWERS_OF_SCORED, public="hidden"),
    ),
    Row(
        "grants:document_delete",
        lambda c, r: [r["grants_draft"].pk, r["grants_draft"].documents.first().pk],
        page({"partner_a"}),
    ),
    Row(
        "grants:application_submit",
        lambda c, r: [r["grants_draft"].pk],
        page({"partner_a"}),
        "post",
    ),
    # Its reviewer and staff read it, but only the applicant withdraws it.
    Row(
        "grants:application_withdraw",
        lambda c, r: [r["grants_scored"].pk],
        page({"partner_a"}, denied=REVIEWERS_OF_SCORED - {"partner_a"}),
    ),
    staff_post("grants:application_screen", lambda c, r: [r["grants_scored"].pk]),
    Row(
        "grants:conflict",
        lambda c, r: [r["grants_pending"].pk],
        signed_in_only({"reviewer"}),
        "post",
    ),
    Row(
        "grants:review",
        lambda c, r: [r["grants_pending"].pk],
        page({"reviewer"}, denied=STAFF | {"partner_b"}),
    ),
    Row(
        "grants:note_add",
        lambda c, r: [r["grants_scored"].pk],
        page(STAFF | {"reviewer"}, denied={"partner_a"}),
        "post",
    ),
    staff_post("grants:decide", lambda c, r: [r["grants_scored"].pk]),
    Row("grants:reports_due", lambda c, r: [], staff_only()),
    Row("grants:award", lambda c, r: [r["grants_award"].pk], page(STAFF | {"partner_a"})),
    staff_post("grants:award_edit", lambda c, r: [r["grants_award"].pk]),
    Row("grants:agreement", lambda c, r: [r["grants_award"].pk], page(STAFF | {"partner_a"})),
    staff_post("grants:payment_add", lambda c, r: [r["grants_award"].pk]),
    staff_post("grants:payment_paid", lambda c, r: [r["grants_award"].pk, r["grants_payment"].pk]),
    staff_post("grants:report_add", lambda c, r: [r["grants_award"].pk]),
    Row(
        "grants:report",
        lambda c, r: [r["grants_award"].pk, r["grants_report"].pk],
        page(STAFF | {"partner_a"}),
    ),
]
