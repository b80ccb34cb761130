"""The grants landing page, programs, cycles and their questions, documents and rubric."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import actions, queries, rules
from grants.forms import ITEM_FORMS, CycleForm, ProgramForm
from grants.models import Cycle, PanelMember, Program
from grants.views.common import get_cycle, get_staff_cycle
from powershare.decorators import department_required
from powershare.forms import apply_action_errors, error_text


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    cycles = list(queries.cycles_for(user))
    reports_due = None
    if rules.is_staff(user):
        today = timezone.localdate()
        dues = [r.due for r in queries.reports_due(today=today, user=user)]
        reports_due = {
            "overdue": sum(1 for due in dues if due < today),
            "coming": sum(1 for due in dues if due >= today),
        }
    context = {
        "open_cycles": [c for c in cycles if c.status == Cycle.Status.OPEN],
        "review_cycles": [c for c in cycles if c.status == Cycle.Status.REVIEW],
        "other_cycles": [
            c for c in cycles if c.status not in (Cycle.Status.OPEN, Cycle.Status.REVIEW)
        ],
        "programs": queries.programs() if rules.is_staff(user) else None,
        "my_applications": queries.my_drafts_and_applications(user)[:20],
        "panels": (
            PanelMember.objects.filter(reviewer=user)
            .select_related("cycle")
            .order_by("-cycle__deadline")
            if user.is_authenticated
            else []
        ),
        "is_staff": rules.is_staff(user),
        "can_apply": bool(rules.applicant_orgs(user)),
        "reports_due": reports_due,
    }
    return render(request, "grants/index.html", context)


@department_required
def program_new(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "steps"}
        try:
            program = actions.create_program(
                actor=request.user, approval_steps=form.cleaned_steps(), **fields
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Program created."))
            return redirect(program)
    return render(
        request, "grants/program_form.html", {"form": form}, status=400 if form.errors else 200
    )


@department_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    return render(
        request,
        "grants/program_detail.html",
        {
            "program": program,
            "cycles": program.cycles.all(),
            "chain": actions.DEFAULT_APPROVAL
            if not program.approval_steps
            else program.approval_steps,
        },
    )


@department_required
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "steps"}
        program.refresh_from_db()
        try:
            actions.update_program(
                actor=request.user, program=program, approval_steps=form.cleaned_steps(), **fields
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect(program)
    return render(
        request,
        "grants/program_form.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


@department_required
def cycle_new(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(Program, pk=pk)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = actions.create_cycle(actor=request.user, program=program, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Cycle drafted. Add its questions, documents and rubric, then publish the call."),
            )
            return redirect(cycle)
    return render(
        request,
        "grants/cycle_form.html",
        {"form": form, "program": program},
        status=400 if form.errors else 200,
    )


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request, pk)
    staff = rules.is_staff(request.user)
    context = {
        "cycle": cycle,
        "program": cycle.program,
        "questions": cycle.questions.all(),
        "documents": cycle.required_documents.all(),
        "criteria": cycle.criteria.all(),
        "is_staff": staff,
        "applicant_orgs": rules.applicant_orgs(request.user),
        "is_panelist": rules.is_panelist(request.user, cycle),
        "item_forms": {kind: form(prefix=kind) for kind, form in ITEM_FORMS.items()}
        if staff
        else {},
        "moves": actions.CYCLE_MOVES[Cycle.Status(cycle.status)] if staff else [],
        "status_labels": dict(Cycle.Status.choices),
        "budget": queries.budget_status(cycle) if staff else None,
    }
    return render(request, "grants/cycle_detail.html", context)


@department_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        cycle.refresh_from_db()
        try:
            actions.update_cycle(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Cycle saved."))
            return redirect(cycle)
    return render(
        request,
        "grants/cycle_form.html",
        {"form": form, "program": cycle.program, "cycle": cycle},
        status=400 if form.errors else 200,
    )


@department_required
@require_POST
def cycle_status(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    try:
        cycle = actions.set_cycle_status(
            actor=request.user, cycle=cycle, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The cycle is now: %(status)s.") % {"status": cycle.get_status_display()}
        )
    return redirect(cycle)


@department_required
@require_POST
def item_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    if kind not in ITEM_FORMS:
        raise Http404
    form = ITEM_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            actions.add_item(actor=request.user, cycle=cycle, kind=kind, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Added."))
            return redirect(cycle)
    context = {
        "cycle": cycle,
        "program": cycle.program,
        "questions": cycle.questions.all(),
        "documents": cycle.required_documents.all(),
        "criteria": cycle.criteria.all(),
        "is_staff": True,
        "item_forms": {k: (form if k == kind else f(prefix=k)) for k, f in ITEM_FORMS.items()},
        "moves": actions.CYCLE_MOVES[Cycle.Status(cycle.status)],
        "status_labels": dict(Cycle.Status.choices),
        "budget": queries.budget_status(cycle),
    }
    return render(request, "grants/cycle_detail.html", context, status=400)


@department_required
def item_delete(request: HttpRequest, pk: int, kind: str, item: int) -> HttpResponse:
    cycle = get_staff_cycle(request, pk)
    if kind not in actions.ITEM_MODELS:
        raise Http404
    record = get_object_or_404(actions.ITEM_MODELS[kind], cycle=cycle, pk=item)
    if request.method == "POST":
        try:
            actions.remove_item(actor=request.user, cycle=cycle, kind=kind, item_id=record.pk)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Removed."))
        return redirect(cycle)
    return render(
        request,
        "grants/confirm.html",
        {"title": str(record), "back": cycle.get_absolute_url(), "action": _("Yes, remove")},
    )
