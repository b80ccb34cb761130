"""Pages of the people who run the board (board admins: department admins and the chair) and
of the staff who answer it: meetings and motions, responses and commitments, the roster,
applications, stipends and organizer positions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accountability import actions, queries, roster, rules
from accountability.forms import (
    AttendanceForm,
    CommitmentForm,
    CommitmentUpdateForm,
    DecideApplicationForm,
    EndTermForm,
    MaterialForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    OrganizerPositionForm,
    PasswordConfirmForm,
    ProfileForm,
    ResponseForm,
    SelectApplicationForm,
    StipendExportForm,
    WithdrawForm,
)
from accountability.models import (
    AccessRequest,
    Application,
    Commitment,
    MemberProfile,
    OrganizerPosition,
    Recommendation,
    Response,
    Term,
)
from accountability.views import (
    _meeting,
    _posted,
    _recommendation,
    board_or_404,
    error_text,
    recommendation_page,
)
from accounts.models import User
from powershare.audit.log import record
from powershare.decorators import department_admin_required, department_required
from powershare.exports import csv_response

View = Callable[..., HttpResponse]


def board_admin_required(view: View) -> View:
    """Board admins only: department admins and the member in the chair's seat."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not rules.is_board_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    back: str,
    status: int | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit": submit, "back": back, **extra}
    status = status or (400 if form.is_bound else 200)
    return render(request, "accountability/form_page.html", context, status=status)


# Meetings -----------------------------------------------------------------------------------


@board_admin_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    board = board_or_404()
    form = MeetingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "agenda"}
        try:
            meeting = actions.schedule_meeting(
                actor=request.user, board=board, agenda=form.agenda_lines(), **data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Meeting scheduled."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Schedule a meeting"),
        submit=_("Schedule the meeting"),
        back="accountability:meetings",
    )


@board_admin_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MeetingForm(_posted(request), instance=meeting)
    if request.method == "POST" and form.is_valid():
        stored = type(meeting).objects.get(pk=meeting.pk)
        data = {k: v for k, v in form.cleaned_data.items() if k != "agenda"}
        try:
            actions.update_meeting(
                actor=request.user, meeting=stored, agenda=form.agenda_lines(), **data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(stored)
    return form_page(
        request,
        form,
        title=_("Edit the meeting"),
        submit=_("Save"),
        back="accountability:meetings",
        meeting=meeting,
    )


@board_admin_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = AttendanceForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_attendance(
                actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            present, needed = meeting.quorum()
            messages.success(
                request,
                _("Attendance recorded: %(present)s present, %(needed)s needed for quorum.")
                % {"present": present, "needed": needed},
            )
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Who attended"),
        submit=_("Record attendance"),
        back="accountability:meetings",
        meeting=meeting,
    )


@board_admin_required
@require_http_methods(["GET", "POST"])
def motion_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MotionForm(_posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                adopts = _draft_to_adopt(request.user, meeting, data)
                motion = actions.record_motion(
                    actor=request.user,
                    meeting=meeting,
                    text=data["text"],
                    moved_by=data["moved_by"],
                    seconded_by=data["seconded_by"],
                    informal=data["informal"],
                    votes=form.votes(),
                    counts=form.counts(),
                    adopts=adopts if adopts and _carries(form) else None,
                )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            if adopts and motion.result == motion.Result.CARRIED and not motion.informal:
                messages.success(
                    request,
                    _(
                        "The motion carried. Recommendation %(number)s is published and sent to the department."
                    )
                    % {"number": motion.recommendation.number},
                )
            else:
                messages.success(
                    request,
                    _("Motion recorded: %(result)s.") % {"result": motion.get_result_display()},
                )
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Record a motion"),
        submit=_("Record the motion"),
        back="accountability:meetings",
        meeting=meeting,
        motion_form=True,
    )


def _carries(form: MotionForm) -> bool:
    """Whether the vote as entered carries a formal motion (only then is the draft adopted)."""
    if form.cleaned_data["informal"]:
        return False
    counts = form.counts()
    if counts is None:
        chosen = list((form.votes() or {}).values())
        counts = (chosen.count("yes"), chosen.count("no"), 0)
    return counts[0] > counts[1]


def _draft_to_adopt(actor: User, meeting: Any, data: dict[str, Any]) -> Recommendation | None:
    choice = data.get("adopts")
    if not choice:
        return None
    if choice == "new":
        return actions.draft_recommendation(
            actor=actor,
            board=meeting.board,
            title=data["rec_title"],
            text=data["rec_text"],
            rationale=data["rec_rationale"],
            addressed_to=data["rec_unit"],
        )
    return get_object_or_404(Recommendation, pk=int(choice), board=meeting.board, status="draft")


@board_admin_required
@require_http_methods(["GET", "POST"])
def material_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MaterialForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions.add_material(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Material added."))
        return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Add material"),
        submit=_("Upload"),
        back="accountability:meetings",
        meeting=meeting,
        multipart=True,
    )


@board_admin_required
@require_http_methods(["GET", "POST"])
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = MinutesForm(_posted(request), initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            actions.publish_minutes(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                publish=publish,
            )
        except ValidationError as error:
            form.add_error("minutes", error_text(error))
        else:
            messages.success(request, _("Minutes published.") if publish else _("Minutes saved."))
            return redirect(meeting)
    return form_page(
        request,
        form,
        title=_("Minutes"),
        submit=_("Publish the minutes"),
        back="accountability:meetings",
        meeting=meeting,
        draft_button=_("Save without publishing"),
    )


@board_admin_required
@require_POST
def access_status(request: HttpRequest, pk: int, access_pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    access = get_object_or_404(AccessRequest, pk=access_pk, meeting=meeting)
    try:
        actions.set_access_status(
            actor=request.user, access=access, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(meeting)


# Responses and commitments ------------------------------------------------------------------


@department_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        publish = request.POST.get("action") != "draft"
        try:
            actions.respond(
                actor=request.user,
                recommendation=recommendation,
                publish=publish,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("Response published.") if publish else _("Response saved as a draft.")
            )
            return redirect(recommendation)
    return recommendation_page(request, recommendation, status=400, response_form=form)


@department_required
@require_POST
def response_publish(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    response = get_object_or_404(Response, pk=response_pk, recommendation=recommendation)
    try:
        actions.publish_response(actor=request.user, response=response)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Response published."))
    return redirect(recommendation)


@department_required
@require_POST
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_commitment(
                actor=request.user, recommendation=recommendation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Commitment added."))
            return redirect(recommendation)
    return recommendation_page(request, recommendation, status=400, commitment_form=form)


@department_required
@require_POST
def commitment_update(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("recommendation"), pk=pk)
    form = CommitmentUpdateForm(request.POST, auto_id="update_%s")
    if not form.is_valid():
        messages.error(request, _("Give the commitment a status and say what happened."))
        return redirect(commitment.recommendation)
    try:
        actions.update_commitment(actor=request.user, commitment=commitment, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Commitment updated."))
    return redirect(commitment.recommendation)


@board_admin_required
@require_POST
def recommendation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw_recommendation(
                actor=request.user,
                recommendation=recommendation,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("The recommendation is withdrawn; the reason is in its history.")
            )
            return redirect(recommendation)
    return recommendation_page(request, recommendation, status=400, withdraw_form=form)


@board_admin_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _recommendation(request, pk)
    try:
        actions.delete_recommendation(actor=request.user, recommendation=recommendation)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(recommendation)
    messages.success(request, _("Draft deleted."))
    return redirect("accountability:index")


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
    profile, _created = MemberProfile.objects.get_or_create(member=member)
    form = ProfileForm(_posted(request), instance=profile)
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
    form = PasswordConfirmForm(_posted(request), user=request.user)
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
    form = EndTermForm(_posted(request), user=request.user, initial={"on": timezone.localdate()})
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


def _month(value: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@board_admin_required
def stipends(request: HttpRequest) -> HttpResponse:
    board = board_or_404()
    today = timezone.localdate()
    month = _month(request.GET.get("month"), today)
    context = {
        "board": board,
        "month": month,
        "lines": queries.monthly_payments(board, month.year, month.month),
        "totals": queries.yearly_totals(board, month.year),
        "export_form": StipendExportForm(user=request.user, initial={"month": month}),
    }
    return render(request, "accountability/stipends.html", context)


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
        _("Payment preference"),
        _("Total this year"),
        _("Over the tax threshold"),
        _("Tax form on file"),
    ]
    rows = (
        [
            line.member.get_full_name(),
            line.member.email,
            len(line.meetings),
            line.days,
            line.amount,
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
    """A board member's own stipend record: meetings attended and amounts, this year."""
    user = request.user
    if not (user.is_board_member or Term.objects.filter(member=user).exists()):
        raise PermissionDenied
    board = board_or_404()
    year = timezone.localdate().year
    months = queries.member_stipend(board, user, year)
    total = sum((line.amount for _m, line in months), start=Decimal("0.00"))
    context = {
        "board": board,
        "year": year,
        "months": months,
        "total": total,
        "over_threshold": total >= board.tax_threshold,
        "profile": MemberProfile.objects.filter(member=user).first(),
    }
    return render(request, "accountability/my_stipend.html", context)


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
    form = OrganizerPositionForm(_posted(request), instance=position, user=request.user)
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
