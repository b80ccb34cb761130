"""Programs and their cycles: creating and editing them, the questions, documents and criteria a
cycle asks for, and the moves of a cycle's status (open, review, decided, closed)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from grants.actions.common import save_fields
from grants.models import Criterion, Cycle, Program, Question, RequiredDocument
from powershare.audit.log import record, snapshot

ITEM_MODELS: dict[str, type[Question] | type[RequiredDocument] | type[Criterion]] = {
    "question": Question,
    "document": RequiredDocument,
    "criterion": Criterion,
}


@transaction.atomic
def create_program(*, actor: User, **fields: Any) -> Program:
    """Create a grant program."""
    program = Program(**fields)
    program.full_clean()
    program.save()
    record(actor=actor, event="grants.program_created", target=program, changes=snapshot(program))
    return program


@transaction.atomic
def update_program(*, actor: User, program: Program, **fields: Any) -> Program:
    """Change a program's description, restrictions or approval chain."""
    changes = save_fields(program, fields)
    if changes:
        record(actor=actor, event="grants.program_updated", target=program, changes=changes)
    return program


@transaction.atomic
def create_cycle(*, actor: User, program: Program, **fields: Any) -> Cycle:
    """Draft a new cycle of ``program``; it is published by opening it."""
    cycle = Cycle(program=program, **fields)
    cycle.full_clean()
    cycle.save()
    record(actor=actor, event="grants.cycle_created", target=cycle, changes=snapshot(cycle))
    return cycle


@transaction.atomic
def update_cycle(*, actor: User, cycle: Cycle, **fields: Any) -> Cycle:
    """Change a cycle's call, dates, money or review numbers."""
    changes = save_fields(cycle, fields)
    if changes:
        record(actor=actor, event="grants.cycle_updated", target=cycle, changes=changes)
    return cycle


@transaction.atomic
def add_item(*, actor: User, cycle: Cycle, kind: str, **fields: Any) -> Any:
    """Add a question, a required document or a rubric criterion to a cycle."""
    model = ITEM_MODELS[kind]
    if kind == "criterion" and cycle.reviews_started():
        raise ValidationError(_("The rubric cannot change once reviewers have scored."))
    fields.setdefault("order", model.objects.filter(cycle=cycle).count() + 1)
    item = model(cycle=cycle, **fields)
    item.full_clean()
    item.save()
    record(actor=actor, event=f"grants.{kind}_added", target=cycle, changes=snapshot(item))
    return item


@transaction.atomic
def remove_item(*, actor: User, cycle: Cycle, kind: str, item_id: int) -> None:
    """Remove a question, required document or criterion (criteria only before scoring)."""
    model = ITEM_MODELS[kind]
    item = model.objects.get(cycle=cycle, pk=item_id)
    if kind == "criterion" and cycle.reviews_started():
        raise ValidationError(_("The rubric cannot change once reviewers have scored."))
    record(actor=actor, event=f"grants.{kind}_removed", target=cycle, changes=snapshot(item))
    item.delete()


CYCLE_MOVES = {
    Cycle.Status.DRAFT: [Cycle.Status.OPEN],
    Cycle.Status.OPEN: [Cycle.Status.REVIEW],
    Cycle.Status.REVIEW: [],  # the approval chain moves it on
    Cycle.Status.DECIDED: [Cycle.Status.CLOSED],
    Cycle.Status.CLOSED: [],
}


@transaction.atomic
def set_cycle_status(*, actor: User, cycle: Cycle, status: str) -> Cycle:
    """Publish a call, close it for review, or close a finished cycle."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if status not in CYCLE_MOVES[Cycle.Status(cycle.status)]:
        raise ValidationError(_("A cycle cannot move from that status to that one."))
    if status == Cycle.Status.OPEN:
        missing = []
        if not cycle.questions.exists():
            missing.append(_("at least one question"))
        if not cycle.criteria.exists():
            missing.append(_("a rubric with at least one criterion"))
        if missing:
            raise ValidationError(
                _("Before publishing the call, add %(missing)s.") % {"missing": ", ".join(missing)}
            )
    old = cycle.status
    cycle.status = status
    cycle.save(update_fields=["status"])
    record(
        actor=actor, event="grants.cycle_status", target=cycle, changes={"status": [old, status]}
    )
    return cycle
