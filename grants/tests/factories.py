"""Build grant records for tests through the actions, as the pages would."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grants import actions
from grants.models import Application, Cycle, Program
from powershare.testing import pdf_bytes

PDF = pdf_bytes()


def make_program(admin: Any, **fields: Any) -> Program:
    fields.setdefault("name", "Community Health Power Fund")
    fields.setdefault("purpose", "Fund organizing for healthy homes and safe jobs.")
    fields.setdefault("funding_source", "County general fund")
    fields.setdefault("restrictions", "No lobbying or partisan activity with these funds.")
    fields.setdefault("eligibility", "Community organizations based in the county.")
    fields.setdefault("approval_steps", ["Review committee recommends", "Board of health approves"])
    return actions.create_program(actor=admin, **fields)


def make_cycle(
    admin: Any, program: Program | None = None, *, status: str = "open", **fields: Any
) -> Cycle:
    """A cycle with one question, one required document and two criteria, moved to ``status``."""
    now = timezone.now()
    program = program or make_program(admin)
    fields.setdefault("title", "Spring 2026 grants")
    fields.setdefault("title_es", "Subvenciones de primavera 2026")
    fields.setdefault("call", "We fund organizing for health.")
    fields.setdefault("call_es", "Financiamos la organización por la salud.")
    fields.setdefault("opens", now - timedelta(days=10))
    fields.setdefault("deadline", now + timedelta(days=10))
    fields.setdefault("budget", Decimal("50000"))
    fields.setdefault("award_min", Decimal("5000"))
    fields.setdefault("award_max", Decimal("25000"))
    fields.setdefault("reviewers_per_application", 1)
    fields.setdefault("reviewer_cap", 5)
    fields.setdefault("stipend_per_review", Decimal("75"))
    cycle = actions.create_cycle(actor=admin, program=program, **fields)
    actions.add_item(
        actor=admin, cycle=cycle, kind="question", text="What will you do?", text_es="¿Qué harán?"
    )
    actions.add_item(
        actor=admin, cycle=cycle, kind="document", name="Budget sheet", name_es="Presupuesto"
    )
    actions.add_item(
        actor=admin,
        cycle=cycle,
        kind="criterion",
        name="Community need",
        description="How great is the need?",
        scale_min=1,
        scale_max=5,
        weight=Decimal("2"),
    )
    actions.add_item(
        actor=admin,
        cycle=cycle,
        kind="criterion",
        name="Organizing plan",
        description="Is the plan sound?",
        scale_min=1,
        scale_max=5,
        weight=Decimal("1"),
    )
    if status != "draft":
        cycle = actions.set_cycle_status(actor=admin, cycle=cycle, status="open")
    return cycle


def make_application(
    cycle: Cycle,
    partner: Any,
    organization: Any,
    *,
    submit: bool = True,
    title: str = "Healthy homes organizing",
    amount: str = "20000",
) -> Application:
    """A complete application by ``organization``, submitted unless ``submit`` is false."""
    application = actions.start_application(
        actor=partner, cycle=cycle, organization=organization, project_title=title
    )
    answers = {str(q.pk): "We will door-knock every building." for q in cycle.questions.all()}
    actions.save_application(
        actor=partner,
        application=application,
        answers=answers,
        summary="Tenant organizing on mold.",
        amount_requested=Decimal(amount),
        budget="Organizer stipends: $15,000\nTranslation: $5,000",
    )
    for requirement in cycle.required_documents.all():
        actions.add_document(
            actor=partner,
            application=application,
            requirement=requirement,
            upload=SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf"),
        )
    if submit:
        application = actions.submit_application(actor=partner, application=application)
    return application


def to_review(admin: Any, cycle: Cycle) -> Cycle:
    return actions.set_cycle_status(actor=admin, cycle=cycle, status="review")


def score(reviewer: Any, application: Application, values: list[int], submit: bool = True) -> Any:
    criteria = list(application.cycle.criteria.all())
    scores = {c.pk: (v, "Reason") for c, v in zip(criteria, values, strict=True)}
    return actions.save_review(
        actor=reviewer, application=application, scores=scores, submit=submit
    )


def make_award(
    admin: Any, partner: Any, organization: Any, *, title: str = "Funded project"
) -> Any:
    """A decided cycle with one funded application: its award, through the approval chain."""
    program = make_program(admin, name=f"Fund for {title}")
    cycle = make_cycle(admin, program, title=f"Cycle for {title}")
    application = make_application(cycle, partner, organization, title=title)
    cycle = to_review(admin, cycle)
    actions.decide(
        actor=admin,
        application=application,
        outcome="fund",
        amount=application.amount_requested,
        reason="Strong plan",
    )
    for _step in actions.approval_chain(cycle):
        actions.approve_step(actor=admin, cycle=cycle)
    application.refresh_from_db()
    return application.award
