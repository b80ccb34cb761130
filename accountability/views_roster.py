"""Pages of the board's roster, for board admins: members and their private profiles, terms
(renewals, early ends), applications to serve, stipends, their payments and the finance export;
a member's own stipend record; and organizer positions (department admins)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accountability import queries, roster
from accountability.forms import (
    DecideApplicationForm,
    EndTermForm,
    OrganizerPositionForm,
    PasswordConfirmForm,
    ProfileForm,
    SelectApplicationForm,
    StipendExportForm,
    StipendMonthForm,
    StipendPaymentForm,
)
from accountability.models import Application, MemberProfile, OrganizerPosition, Term
from accountability.views import board_or_404, error_text, posted
from accountability.views_admin import board_admin_required, form_page
from accounts.models import User
from partners.rules import contact_value
from powershare.audit.log import record
from powershare.decorators import department_admin_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors

# Roster and applications --------------------------------------------------------------------


@board_admin_required
def members(request: HttpRequest) -> HttpResponse:
    board = board_or_404()
    today = timezone.localdate()
    terms = (
        Term.objects.filter(seat__board=board, end__gte=today)
        .exclude(ended_early__lte=today)
        .select_related("member__board_profile", "seat", "renewed_by")
        .order_by("seat", "start")
    )
    context = {
        "board": board,
        "terms": terms,
        "vacancies": roster.vacancies(board),
        "today": today,
        "applications": Application.objects.filter(board=board)
        .exclude(status__in=["selected", "not_selected"])
        .count(),
    }
    return render(request, "accountability/members.html", context)


@board_admin_required
@require_http_methods(["GET", "POST"])
def member_profile(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk, board_terms__isnull=False)
    # Shown unsaved when missing: the action creates it on save.
    profile = MemberProfile.objects.filter(member=member).first() or MemberProfile(member=member)
    form = ProfileForm(posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in roster.PROFILE_FIELDS}
        roster.save_member_profile(actor=request.user, member=member, **fields)
        messages.success(request, _("Private profile saved."))
        return redirect("accountability:members")
    return form_page(
        request,
        form,
        title=_("Private profile of %(name)s") % {"name": member},
        submit=_("Save"),
        back="accountability:members",
    )


@board_admin_required
@require_http_methods(["GET", "POST"])
def term_renew(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(Term.objects.select_related("seat", "member"), pk=pk)
    form = PasswordConfirmForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            renewed = roster.renew_term(actor=request.user, term=term)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Term renewed until %(end)s.") % {"end": renewed.end})
            return redirect("accountability:members")
    return form_page(
        request,
        form,
        title=_("Renew the term of %(name)s") % {"name": term.member},
        submit=_("Renew"),
        back="accountability:members",
    )


@board_admin_required
@require_http_methods(["GET", "POST"])
def term_end(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(Term.objects.select_related("seat", "member"), pk=pk)
    form = EndTermForm(posted(request), user=request.user, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            roster.end_term(
                actor=request.user,
                term=term,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The term ended; the seat is vacant."))
            return redirect("accountability:members")
    return form_page(
        request,
        form,
        title=_("End the term of %(name)s early") % {"name": term.member},
        submit=_("End the term"),
        back="accountability:members",
    )


@board_admin_required
def applications(request: HttpRequest) -> HttpResponse:
    board = board_or_404()
    return render(
        request,
        "accountability/applications.html",
        {"applications": board.applications.all(), "vacancies": roster.vacancies(board)},
    )


def _application_page(
    request: HttpRequest, application: Application, status: int = 200, **forms: Any
) -> HttpResponse:
    seats = roster.vacancies(application.board)
    context = {
        "application": application,
        "select_form": forms.get("select_form")
        or SelectApplicationForm(
            user=request.user, seats=seats, initial={"start": timezone.localdate()}
        ),
        "decide_form": forms.get("decide_form") or DecideApplicationForm(),
        "has_vacancy": bool(seats),
    }
    return render(request, "accountability/application_detail.html", context, status=status)


@board_admin_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, get_object_or_404(Application, pk=pk))


@board_admin_required
@require_POST
def application_select(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = SelectApplicationForm(
        request.POST, user=request.user, seats=roster.vacancies(application.board)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            roster.select_application(
                actor=request.user,
                application=application,
                seat=data["seat"],
                start=data["start"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("%(name)s was selected and seated.") % {"name": application.name}
            )
            return redirect("accountability:members")
    return _application_page(request, application, status=400, select_form=form)


@board_admin_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=pk)
    form = DecideApplicationForm(request.POST)
    if form.is_valid():
        try:
            roster.decide_application(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Decision saved."))
            return redirect("accountability:applications")
    return _application_page(request, application, status=400, decide_form=form)


# Stipends -----------------------------------------------------------------------------------


@board_admin_required
def stipends(request: HttpRequest) -> HttpResponse:
    board = board_or_404()
    today = timezone.localdate()
    month = StipendMonthForm(request.GET).filters().get("month") or today.replace(day=1)
    context = {
        "board": board,
        "month": month,
        "lines": queries.monthly_payments(board, month.year, month.month),
        "totals": queries.yearly_totals(board, month.year),
        "export_form": StipendExportForm(user=request.user, initial={"month": month}),
        "statuses": payment_statuses(),
    }
    return render(request, "accountability/stipends.html", context)


# How a member prefers to be paid, as the usual way finance pays them.
PREFERRED_METHOD = {"check": "check", "deposit": "deposit", "gift_card": "gift_card"}


@board_admin_required
@require_http_methods(["GET", "POST"])
def stipend_pay(request: HttpRequest, year: int, month: int, pk: int) -> HttpResponse:
    """Record a payment of a member's stipend for a month: asks for the password."""
    board = board_or_404()
    try:
        start = date(year, month, 1)
    except (ValueError, OverflowError):  # no such month (or a year past any calendar)
        raise Http404 from None
    member = get_object_or_404(
        User.objects.filter(board_terms__seat__board=board).distinct(), pk=pk
    )
    line = queries.member_month(board, member, start)
    if line is None:
        raise Http404
    preference = line.profile.payment_preference if line.profile else ""
    form = StipendPaymentForm(
        posted(request),
        user=request.user,
        initial={
            "amount": line.outstanding,
            "paid_on": timezone.localdate(),
            "method": PREFERRED_METHOD.get(preference, "check"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            roster.record_stipend_payment(
                actor=request.user,
                board=board,
                member=member,
                month=start,
                amount=data["amount"],
                paid_on=data["paid_on"],
                method=data["method"],
                reference=data["reference"],
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Payment of $%(amount)s to %(name)s recorded.")
                % {"amount": data["amount"], "name": member.get_full_name()},
            )
            return redirect(f"{reverse('accountability:stipends')}?month={start:%Y-%m}")
    context = {"board": board, "member": member, "month": start, "line": line, "form": form}
    return render(
        request, "accountability/stipend_pay.html", context, status=400 if form.errors else 200
    )


@board_admin_required
@require_POST
def stipend_export(request: HttpRequest) -> HttpResponse:
    """The month's payment list for finance, with payment preferences: asks for the password."""
    board = board_or_404()
    form = StipendExportForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("accountability:stipends")
    month = form.cleaned_data["month"]
    lines = queries.monthly_payments(board, month.year, month.month)
    totals = {t.member.pk: t for t in queries.yearly_totals(board, month.year)}
    header = [
        _("Member"),
        _("Email"),
        _("Meetings attended"),
        _("Days"),
        _("Amount"),
        _("Payment status"),
        _("Paid"),
        _("Paid on"),
        _("How it was paid"),
        _("Reference"),
        _("Still owed"),
        _("Payment preference"),
        _("Total this year"),
        _("Over the tax threshold"),
        _("Tax form on file"),
    ]
    statuses = payment_statuses()
    rows = (
        [
            line.member.get_full_name(),
            contact_value(request.user, line.member, "email"),
            len(line.meetings),
            line.days,
            line.amount,
            statuses[line.payment_status],
            line.amount_paid,
            "; ".join(str(p.paid_on) for p in line.payments),
            "; ".join(p.get_method_display() for p in line.payments),
            "; ".join(p.reference for p in line.payments if p.reference),
            line.outstanding,
            line.profile.get_payment_preference_display() if line.profile else "",
            totals[line.member.pk].total,
            _("yes") if totals[line.member.pk].over_threshold else _("no"),
            _("yes") if line.profile and line.profile.tax_form_on_file else _("no"),
        ]
        for line in lines
    )
    record(
        actor=request.user,
        event="board.stipends_exported",
        target=board,
        changes={"month": f"{month:%Y-%m}"},
    )
    return csv_response(f"stipends-{month:%Y-%m}.csv", header, rows)


@login_required
def my_stipend(request: HttpRequest) -> HttpResponse:
    """A board member's own stipend record: meetings attended, amounts, and what was paid,
    this year."""
    user = request.user
    if not (user.is_board_member or Term.objects.filter(member=user).exists()):
        raise PermissionDenied
    board = board_or_404()
    year = timezone.localdate().year
    months = queries.member_stipend(board, user, year)
    totals = queries.yearly_totals(board, year, member=user)
    earned = sum((line.amount for _m, line in months), start=Decimal("0.00"))
    context = {
        "board": board,
        "year": year,
        "months": months,
        "total": earned,
        "year_total": totals[0] if totals else None,
        "over_threshold": bool(totals and totals[0].over_threshold),
        "profile": MemberProfile.objects.filter(member=user).first(),
        "statuses": payment_statuses(),
    }
    return render(request, "accountability/my_stipend.html", context)


def payment_statuses() -> dict[str, str]:
    """The words for a month's payment status (see ``StipendLine.payment_status``)."""
    return {
        "paid": _("Paid"),
        "part": _("Paid in part"),
        "owed": _("Owed"),
        "none": _("Nothing owed"),
    }


# Organizer positions ------------------------------------------------------------------------


@department_admin_required
@require_http_methods(["GET", "POST"])
def organizer_new(request: HttpRequest) -> HttpResponse:
    return _organizer_form(request, None)


@department_admin_required
@require_http_methods(["GET", "POST"])
def organizer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _organizer_form(request, get_object_or_404(OrganizerPosition, pk=pk))


def _organizer_form(request: HttpRequest, position: OrganizerPosition | None) -> HttpResponse:
    form = OrganizerPositionForm(posted(request), instance=position, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        links = {"partnerships": data.pop("partnerships"), "campaigns": data.pop("campaigns")}
        stored = OrganizerPosition.objects.get(pk=position.pk) if position else None
        try:
            saved = roster.save_organizer_position(
                actor=request.user, position=stored, **links, **data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Position saved."))
            return redirect(saved)
    title = _("Edit the position") if position else _("New organizer position")
    return form_page(request, form, title=title, submit=_("Save"), back="accountability:organizers")
