"""Review: the panel, conflict declarations, assignment, scoring, ranking, deliberation,
decisions and the approval chain; and the public call for community reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from grants import actions, queries, rules
from grants.forms import (
    ApproveForm,
    ConflictForm,
    DecisionForm,
    InterestForm,
    NoteForm,
    PanelAddForm,
    review_form_class,
)
from grants.models import (
    Application,
    ConflictDeclaration,
    Cycle,
    PanelMember,
    Review,
    ReviewerInterest,
)
from grants.views.common import get_application, get_cycle, get_staff_cycle
from powershare import money
from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.filters import choice_filter, read_param
from powershare.forms import apply_action_errors, error_text
from powershare.pagination import paginate

# The panel ---------------------------------------------------------------------------------


@department_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    community, total = queries.community_share(cycle)
    assignments = (
        cycle.applications.filter(status=Application.Status.SUBMITTED)
        .exclude(eligibility=Application.Eligibility.INELIGIBLE)
        .select_related("organization")
        .prefetch_related("assignments__reviewer")
    )
    context = {
        "cycle": cycle,
        "rows": queries.panel(cycle),
        "form": PanelAddForm(cycle=cycle),
        "community": community,
        "total": total,
        "assignments": assignments,
    }
    return render(request, "grants/panel.html", context)


@department_required
@require_POST
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    form = PanelAddForm(request.POST, cycle=cycle)
    if form.is_valid():
        try:
            actions.add_panel_member(
                actor=request.user, cycle=cycle, reviewer=form.cleaned_data["reviewer"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Added to the panel."))
    else:
        messages.error(request, _("Choose a reviewer to add."))
    return redirect("grants:panel", cycle.pk)


@department_required
def panel_remove(request: HttpRequest, pk: int, member: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    seat = get_object_or_404(PanelMember, pk=member, cycle=cycle)
    if request.method == "POST":
        try:
            actions.remove_panel_member(actor=request.user, member=seat)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Removed from the panel."))
        return redirect("grants:panel", cycle.pk)
    back = f"/grants/cycles/{cycle.pk}/panel/"
    return render(
        request,
        "grants/confirm.html",
        {"title": str(seat.reviewer), "back": back, "action": _("Yes, remove")},
    )


@department_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    try:
        added = actions.run_assignment(actor=request.user, cycle=cycle)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            ngettext("%(n)s assignment made.", "%(n)s assignments made.", added) % {"n": added},
        )
    return redirect("grants:panel", cycle.pk)


@department_required
def stipends_export(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    rows = (
        [
            r["member"].reviewer.get_full_name(),
            r["member"].get_kind_display(),
            r["done"],
            r["stipend"],
        ]
        for r in queries.panel(cycle)
    )
    header = [_("Reviewer"), _("Kind"), _("Reviews submitted"), _("Stipend owed")]
    return csv_response(f"stipends-{cycle.pk}.csv", header, rows)


# A reviewer's work -------------------------------------------------------------------------


@login_required
def reviews(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request, pk)
    if not rules.is_panelist(request.user, cycle):
        raise PermissionDenied
    queue = queries.reviewer_queue(request.user, cycle)
    for row in queue:
        row["form"] = ConflictForm(
            auto_id=f"c{row['application'].pk}_%s",
            initial={"kind": row["declaration"].kind if row["declaration"] else ""},
        )
    return render(
        request,
        "grants/reviews.html",
        {"cycle": cycle, "queue": queue, "see_ranking": rules.may_see_ranking(request.user, cycle)},
    )


@login_required
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    # Declarations come before reading: the application is looked up by cycle membership,
    # not by the reviewer's right to read it.
    application = get_object_or_404(
        Application.objects.select_related("cycle"), pk=pk, status="submitted"
    )
    if not rules.is_panelist(request.user, application.cycle):
        raise PermissionDenied
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            actions.declare_conflict(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if form.cleaned_data["kind"] == ConflictDeclaration.Kind.NONE:
                messages.success(
                    request,
                    _("Declared: no conflict with %(title)s.")
                    % {"title": application.project_title},
                )
            else:
                messages.success(
                    request,
                    _("Conflict declared: you will not see or score %(title)s.")
                    % {"title": application.project_title},
                )
    else:
        messages.error(request, _("Choose whether you have a conflict."))
    return redirect("grants:reviews", application.cycle_id)


def _review_context(
    request: HttpRequest, application: Application, form: object
) -> dict[str, object]:
    questions = [
        (q, application.answers.get(str(q.pk), "")) for q in application.cycle.questions.all()
    ]
    return {
        "application": application,
        "cycle": application.cycle,
        "questions": questions,
        "documents": application.documents.select_related("requirement"),
        "form": form,
        "criteria": list(application.cycle.criteria.all()),
    }


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not rules.may_review(request.user, application):
        raise PermissionDenied
    criteria = list(application.cycle.criteria.all())
    existing = Review.objects.filter(application=application, reviewer=request.user).first()
    if existing and existing.is_submitted:
        messages.info(request, _("You submitted this review; here are the panel's scores."))
        return redirect(application)
    initial: dict[str, object] = {"comment": existing.comment if existing else ""}
    if existing:
        for score in existing.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
            initial[f"comment_{score.criterion_id}"] = score.comment
    form = review_form_class(criteria)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scores = {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"comment_{c.pk}") or "") for c in criteria
        }
        submit = "submit" in request.POST
        try:
            actions.save_review(
                actor=request.user,
                application=application,
                scores=scores,
                comment=data["comment"],
                submit=submit,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            if submit:
                messages.success(
                    request, _("Review submitted. You can now see the other reviewers' scores.")
                )
                return redirect(application)
            messages.success(request, _("Scores saved as a draft."))
            return redirect("grants:review", application.pk)
    status = 400 if form.errors else 200
    return render(
        request, "grants/review.html", _review_context(request, application, form), status=status
    )


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    if not rules.may_deliberate(request.user, application):
        raise PermissionDenied
    form = NoteForm(request.POST)
    if form.is_valid():
        actions.add_note(
            actor=request.user, application=application, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("Write the note."))
    return redirect(application)


# Ranking, decisions, approval --------------------------------------------------------------


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request, pk)
    if not rules.may_see_ranking(request.user, cycle):
        raise PermissionDenied
    rows = queries.ranking(request.user, cycle)
    return render(
        request,
        "grants/ranking.html",
        {"cycle": cycle, "rows": rows, "is_staff": rules.is_staff(request.user)},
    )


@department_required
def ranking_export(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    rows = (
        [
            r.ranked.rank,
            r.application.organization.name,
            r.application.project_title,
            round(r.ranked.normalized, 3),
            round(r.ranked.raw_mean, 1),
            r.ranked.reviews,
            _("yes") if r.ranked.disagreement else "",
            r.decision.get_outcome_display() if r.decision else "",
            r.decision.amount if r.decision else "",
        ]
        for r in queries.ranking(request.user, cycle)
    )
    header = [
        _("Rank"),
        _("Organization"),
        _("Project"),
        _("Normalized score"),
        _("Raw mean (0-100)"),
        _("Reviews"),
        _("Reviewers disagree"),
        _("Decision"),
        _("Amount"),
    ]
    return csv_response(f"ranking-{cycle.pk}.csv", header, rows)


def _decisions_context(request: HttpRequest, cycle: Cycle) -> dict[str, object]:
    ranked = {r.application.pk: r for r in queries.ranking(request.user, cycle)}
    apps = (
        cycle.applications.filter(status=Application.Status.SUBMITTED)
        .exclude(eligibility=Application.Eligibility.INELIGIBLE)
        .select_related("organization", "decision")
    )
    rows = []
    for a in apps:
        decision = getattr(a, "decision", None)
        form = DecisionForm(
            prefix=f"d{a.pk}",
            initial={
                "outcome": decision.outcome,
                "amount": decision.amount,
                "reason": decision.reason,
            }
            if decision
            else {"amount": a.amount_requested},
        )
        # The over-budget box appears only when a decision would need it.
        del form.fields["confirm_over_budget"]
        rows.append(
            {"application": a, "rank": ranked.get(a.pk), "decision": decision, "form": form}
        )
    rows.sort(key=lambda r: r["rank"].ranked.rank if r["rank"] else 10_000)
    chain = actions.approval_chain(cycle)
    taken = list(cycle.approvals.select_related("approved_by"))
    return {
        "cycle": cycle,
        "rows": rows,
        "budget": queries.budget_status(cycle),
        "chain": chain,
        "taken": taken,
        "next_step": chain[len(taken)]
        if len(taken) < len(chain) and cycle.status == Cycle.Status.REVIEW
        else None,
        "approve_form": ApproveForm(),
        "locked": bool(taken) or cycle.status != Cycle.Status.REVIEW,
        "withdrawn": cycle.applications.filter(status=Application.Status.WITHDRAWN)
        .select_related("organization")
        .order_by("withdrawn_at"),
    }


@department_required
def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    return render(request, "grants/decisions.html", _decisions_context(request, cycle))


@department_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request, pk)
    cycle = application.cycle
    form = DecisionForm(request.POST, prefix=f"d{application.pk}")
    confirm = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.decide(
                actor=request.user,
                application=application,
                outcome=data["outcome"],
                amount=data["amount"],
                reason=data["reason"],
                confirm_over_budget=data["confirm_over_budget"],
            )
        except actions.NeedsConfirmation as over:
            confirm = over.excess
            form.add_error(
                "confirm_over_budget",
                _(
                    "This decision would take the funded total $%(excess)s over the budget. Tick the box to confirm it anyway."
                )
                % {"excess": money.amount(over.excess)},
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Decision recorded for %(title)s.") % {"title": application.project_title},
            )
            return redirect("grants:decisions", cycle.pk)
    context = _decisions_context(request, cycle)
    shown = False
    for row in context["rows"]:  # type: ignore[attr-defined]
        if row["application"].pk == application.pk:
            row["form"] = form
            row["open"] = True
            shown = True
    if not shown:
        # A withdrawn (or ineligible) application has no row to show the error in.
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    context["confirm"] = confirm
    return render(request, "grants/decisions.html", context, status=400)


@department_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    form = ApproveForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        step = actions.approve_step(actor=request.user, cycle=cycle, note=note)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Step recorded: %(step)s.") % {"step": step.name})
    return redirect("grants:decisions", cycle.pk)


# Community reviewers -----------------------------------------------------------------------


def interest(request: HttpRequest) -> HttpResponse:
    form = InterestForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_interest(**form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            return render(request, "grants/interest_thanks.html")
    return render(
        request, "grants/interest.html", {"form": form}, status=400 if form.errors else 200
    )


@department_required
def interests(request: HttpRequest) -> HttpResponse:
    status = (
        read_param(request.GET, "status", choice_filter(_("Show"), ReviewerInterest.Status))
        or ReviewerInterest.Status.NEW
    )
    qs = ReviewerInterest.objects.filter(status=status)
    page = paginate(request, qs)
    return render(
        request,
        "grants/interests.html",
        {
            "page": page,
            "status": status,
            "statuses": ReviewerInterest.Status.choices,
            "query": f"status={status}",
        },
    )


@department_required
@require_POST
def interest_handle(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_object_or_404(ReviewerInterest, pk=pk)
    accept = request.POST.get("accept") == "yes"
    try:
        actions.handle_interest(actor=request.user, interest=offer, accept=accept)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(name)s is now a community reviewer; they were emailed a link to set a password.")
            % {"name": offer.name}
            if accept
            else _("Marked as not this time."),
        )
    return redirect("grants:interests")
