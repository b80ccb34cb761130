"""Decisions and what follows: funding decisions within the budget, the approval chain,
awards, their payments and reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from grants import notifications
from grants.actions.common import save_fields
from grants.models import Application, ApprovalStep, Award, Cycle, Decision, Payment, Report
from powershare.audit.log import diff, record, snapshot
from powershare.forms import check_document

DEFAULT_APPROVAL = ["Final approval"]


class NeedsConfirmation(Exception):
    """The decision would take the funded total over the budget by ``excess``."""

    def __init__(self, excess: Decimal) -> None:
        super().__init__(excess)
        self.excess = excess


def funded_total(cycle: Cycle, *, excluding: Application | None = None) -> Decimal:
    """The sum of fund and fund-in-part decisions in the cycle."""
    qs = Decision.objects.filter(application__cycle=cycle).exclude(outcome=Decision.Outcome.DECLINE)
    if excluding is not None:
        qs = qs.exclude(application=excluding)
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@transaction.atomic
def decide(
    *,
    actor: User,
    application: Application,
    outcome: str,
    amount: Decimal | None,
    reason: str,
    confirm_over_budget: bool = False,
    at: datetime | None = None,
) -> Decision:
    """Record fund / fund in part / do not fund with its reason. A decision that takes the funded
    total over the budget raises :class:`NeedsConfirmation` unless confirmed."""
    if not actor.is_department:
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().get(pk=application.cycle_id)
    if cycle.status != Cycle.Status.REVIEW or cycle.approvals.exists():
        raise ValidationError(
            _(
                "Decisions can change only while the cycle is under review and before approval starts."
            )
        )
    application.refresh_from_db(fields=["status", "eligibility"])
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("This application was withdrawn; it cannot be decided."))
    if (
        application.status != Application.Status.SUBMITTED
        or application.eligibility == "ineligible"
    ):
        raise ValidationError(_("Only submitted, eligible applications are decided."))
    if outcome not in Decision.Outcome.values:
        raise ValidationError({"outcome": _("Choose a decision.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if outcome == Decision.Outcome.DECLINE:
        amount = Decimal("0")
    elif not amount or amount <= 0:
        raise ValidationError({"amount": _("Enter the amount to fund.")})
    elif application.amount_requested and amount > application.amount_requested:
        raise ValidationError({"amount": _("The amount is more than the application asked for.")})
    elif (
        outcome == Decision.Outcome.FUND
        and application.amount_requested
        and amount != application.amount_requested
    ):
        raise ValidationError(
            {
                "amount": _(
                    "Funding in full means the amount requested; otherwise choose “Fund in part”."
                )
            }
        )
    total = funded_total(cycle, excluding=application) + amount
    if total > cycle.budget and not confirm_over_budget:
        raise NeedsConfirmation(total - cycle.budget)
    decision = Decision.objects.filter(application=application).first() or Decision(
        application=application
    )
    old = snapshot(decision, ["outcome", "amount", "reason"]) if decision.pk else {}
    decision.outcome = outcome
    decision.amount = amount
    decision.reason = reason.strip()
    decision.decided_by = actor
    decision.decided_at = at or timezone.now()
    decision.full_clean()
    decision.save()
    record(
        actor=actor,
        event="grants.decided",
        target=application,
        changes={
            **diff(old, snapshot(decision, ["outcome", "amount", "reason"])),
            "over_budget": total > cycle.budget,
        },
    )
    return decision


def approval_chain(cycle: Cycle) -> list[str]:
    return [s for s in (cycle.program.approval_steps or []) if str(s).strip()] or DEFAULT_APPROVAL


@transaction.atomic
def approve_step(
    *, actor: User, cycle: Cycle, note: str = "", at: datetime | None = None
) -> ApprovalStep:
    """Take the next step of the program's approval chain for the cycle's decisions. The last
    step makes them final: awards are created and applicants told."""
    if not actor.is_department:
        raise PermissionDenied
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != Cycle.Status.REVIEW:
        raise ValidationError(_("Only a cycle under review goes through approval."))
    undecided = (
        cycle.applications.filter(status=Application.Status.SUBMITTED, decision__isnull=True)
        .exclude(eligibility=Application.Eligibility.INELIGIBLE)
        .count()
    )
    if undecided:
        raise ValidationError(
            ngettext(
                "%(n)s eligible application has no decision yet.",
                "%(n)s eligible applications have no decision yet.",
                undecided,
            )
            % {"n": undecided}
        )
    chain = approval_chain(cycle)
    step = cycle.approvals.count()
    moment = at or timezone.now()
    approval = ApprovalStep.objects.create(
        cycle=cycle,
        step=step + 1,
        name=chain[step],
        note=note.strip(),
        approved_by=actor,
        approved_at=moment,
    )
    record(
        actor=actor,
        event="grants.approved",
        target=cycle,
        changes={"step": chain[step], "note": note},
    )
    if step + 1 == len(chain):
        _finalize(actor, cycle, moment)
    return approval


def _finalize(actor: User, cycle: Cycle, moment: datetime) -> None:
    for application in cycle.applications.filter(
        status=Application.Status.SUBMITTED, decision__isnull=False
    ).select_related("decision", "organization"):
        decision = application.decision
        if decision.funds:
            Award.objects.create(application=application, amount=decision.amount, created=moment)
        notifications.decision_final(application)
    cycle.status = Cycle.Status.DECIDED
    cycle.save(update_fields=["status"])
    record(
        actor=actor,
        event="grants.cycle_status",
        target=cycle,
        changes={"status": ["review", "decided"]},
    )


@transaction.atomic
def update_award(
    *, actor: User, award: Award, agreement: UploadedFile | None = None, **fields: Any
) -> Award:
    """Record the agreement (a checked file) and the grant period."""
    if not actor.is_department:
        raise PermissionDenied
    if agreement is not None:
        check_document(agreement)
        old = award.agreement.name
        if old:
            # The replaced file goes only once the new one is recorded.
            storage = award.agreement.storage
            transaction.on_commit(lambda: storage.delete(old))
        award.agreement.save(agreement.name or "agreement", agreement, save=False)
        fields["agreement"] = award.agreement
    changes = save_fields(award, fields)
    record(actor=actor, event="grants.award_updated", target=award, changes=changes)
    return award


@transaction.atomic
def schedule_payment(*, actor: User, award: Award, due: date, amount: Decimal) -> Payment:
    """Add an installment; the schedule may not add up to more than the award."""
    if not actor.is_department:
        raise PermissionDenied
    scheduled = award.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    if scheduled + amount > award.amount:
        raise ValidationError(
            {
                "amount": _(
                    "The schedule would total $%(total)s, more than the award of $%(award)s."
                )
                % {"total": scheduled + amount, "award": award.amount}
            }
        )
    payment = Payment.objects.create(award=award, due=due, amount=amount)
    record(actor=actor, event="grants.payment_scheduled", target=award, changes=snapshot(payment))
    return payment


@transaction.atomic
def record_payment(*, actor: User, payment: Payment, paid_on: date, reference: str = "") -> Payment:
    """Mark an installment paid."""
    if not actor.is_department:
        raise PermissionDenied
    if payment.paid_on:
        raise ValidationError(_("This installment is already marked paid."))
    changes = save_fields(payment, {"paid_on": paid_on, "reference": reference.strip()})
    record(actor=actor, event="grants.payment_made", target=payment.award, changes=changes)
    return payment


@transaction.atomic
def schedule_report(*, actor: User, award: Award, due: date) -> Report:
    """Ask the grantee for a short progress report on ``due``."""
    if not actor.is_department:
        raise PermissionDenied
    if award.reports.filter(due=due).exists():
        raise ValidationError({"due": _("A report is already due that day.")})
    report = Report.objects.create(award=award, due=due)
    record(actor=actor, event="grants.report_scheduled", target=award, changes={"due": str(due)})
    return report


@transaction.atomic
def submit_report(
    *, actor: User, report: Report, at: datetime | None = None, **fields: Any
) -> Report:
    """A grantee's short progress report, in their own language; at least one answer."""
    if report.award.application.organization_id not in actor.organization_ids:
        raise PermissionDenied
    if report.submitted_at:
        raise ValidationError(_("This report was already sent."))
    if not any(str(fields.get(k) or "").strip() for k in ("progress", "change", "challenges")):
        raise ValidationError({"progress": _("Tell us at least what you did so far.")})
    fields.update(
        language=actor.language or "en", submitted_at=at or timezone.now(), submitted_by=actor
    )
    changes = save_fields(report, fields)
    record(actor=actor, event="grants.report_submitted", target=report.award, changes=changes)
    return report
