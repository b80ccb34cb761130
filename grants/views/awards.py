"""Awards: agreement, payment schedule and payments, progress reports; the public awards page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grants import actions, queries, rules
from grants.forms import AwardForm, PaidForm, PaymentForm, ReportDueForm, ReportForm
from grants.models import Payment, Report
from grants.views.common import get_award
from powershare.decorators import department_required
from powershare.forms import apply_action_errors, error_text


def _award_page(request: HttpRequest, award, status: int = 200, **forms: object) -> HttpResponse:  # type: ignore[no-untyped-def]
    staff = rules.is_staff(request.user)
    context = {
        "award": award,
        "application": award.application,
        "payments": award.payments.all(),
        "reports": award.reports.prefetch_related("reminders"),
        "is_staff": staff,
        "is_member": award.application.organization_id in request.user.organization_ids,
        "award_form": forms.get("award_form") or AwardForm(instance=award),
        "payment_form": forms.get("payment_form") or PaymentForm(),
        "paid_form": PaidForm,
        "report_form": forms.get("report_form") or ReportDueForm(),
    }
    return render(request, "grants/award.html", context, status=status)


@login_required
def award_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _award_page(request, get_award(request, pk))


@department_required
@require_POST
def award_edit(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_award(request, pk)
    form = AwardForm(request.POST, request.FILES, instance=award)
    if form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ["agreement_signed_on", "start", "end"]}
        award.refresh_from_db()
        try:
            actions.update_award(
                actor=request.user,
                award=award,
                agreement=form.cleaned_data["agreement_file"],
                **fields,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Award saved."))
            return redirect(award)
    return _award_page(request, award, status=400, award_form=form)


@login_required
def agreement(request: HttpRequest, pk: int) -> FileResponse:
    award = get_award(request, pk)
    if not award.agreement:
        raise Http404
    try:
        handle = award.agreement.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=award.agreement.name.rsplit("/", 1)[-1]
    )


@department_required
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_award(request, pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            actions.schedule_payment(actor=request.user, award=award, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Installment scheduled."))
            return redirect(award)
    return _award_page(request, award, status=400, payment_form=form)


@department_required
@require_POST
def payment_paid(request: HttpRequest, pk: int, payment: int) -> HttpResponse:
    award = get_award(request, pk)
    installment = get_object_or_404(Payment, pk=payment, award=award)
    form = PaidForm(request.POST, prefix=f"p{installment.pk}")
    if form.is_valid():
        try:
            actions.record_payment(actor=request.user, payment=installment, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Payment recorded."))
    else:
        messages.error(request, _("Enter the date it was paid."))
    return redirect(award)


@department_required
@require_POST
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    award = get_award(request, pk)
    form = ReportDueForm(request.POST)
    if form.is_valid():
        try:
            actions.schedule_report(actor=request.user, award=award, due=form.cleaned_data["due"])
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Report scheduled."))
            return redirect(award)
    return _award_page(request, award, status=400, report_form=form)


@login_required
def report(request: HttpRequest, pk: int, report: int) -> HttpResponse:
    award = get_award(request, pk)
    due = get_object_or_404(Report, pk=report, award=award)
    member = award.application.organization_id in request.user.organization_ids
    if request.method == "POST":
        if not member:
            raise PermissionDenied
        form = ReportForm(request.POST, instance=due)
        if form.is_valid():
            due.refresh_from_db()
            try:
                actions.submit_report(actor=request.user, report=due, **form.cleaned_data)
            except ValidationError as error:
                apply_action_errors(form, error)
            else:
                messages.success(request, _("Thank you: your report was sent."))
                return redirect(award)
        return render(
            request,
            "grants/report.html",
            {"award": award, "report": due, "form": form, "is_member": member},
            status=400,
        )
    form = ReportForm(instance=due)
    return render(
        request,
        "grants/report.html",
        {"award": award, "report": due, "form": form, "is_member": member},
    )


@department_required
def reports_due(request: HttpRequest) -> HttpResponse:
    """Staff: every progress report overdue or due within the reminder window, with the
    reminders already sent."""
    today = timezone.localdate()
    reports = list(queries.reports_due(today=today, user=request.user))
    return render(
        request,
        "grants/reports_due.html",
        {
            "overdue": [r for r in reports if r.due < today],
            "coming": [r for r in reports if r.due >= today],
            "days": queries.REPORT_REMINDER_DAYS,
            "today": today,
        },
    )


def awards_public(request: HttpRequest) -> HttpResponse:
    return render(
        request, "grants/awards_public.html", {"cycles": queries.public_cycles(request.user)}
    )
