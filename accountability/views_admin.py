"""Pages of the people who run the board (board admins: department admins and the chair) and
of the staff who answer it: meetings and motions, responses and commitments, the roster,
applications, stipends and organizer positions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accountability import actions, proceedings, rules
from accountability.forms import (
    AttendanceForm,
    CommitmentForm,
    CommitmentUpdateForm,
    MaterialForm,
    MeetingForm,
    MinutesForm,
    MotionForm,
    ResponseForm,
    WithdrawForm,
)
from accountability.models import (
    AccessRequest,
    Commitment,
    Recommendation,
    Response,
)
from accountability.views import (
    board_or_404,
    error_text,
    get_meeting,
    get_recommendation,
    posted,
    recommendation_page,
)
from accounts.models import User
from powershare.decorators import department_required

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
    form = MeetingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "agenda"}
        try:
            meeting = proceedings.schedule_meeting(
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
    meeting = get_meeting(request, pk)
    form = MeetingForm(posted(request), instance=meeting)
    if request.method == "POST" and form.is_valid():
        stored = type(meeting).objects.get(pk=meeting.pk)
        data = {k: v for k, v in form.cleaned_data.items() if k != "agenda"}
        try:
            proceedings.update_meeting(
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
    meeting = get_meeting(request, pk)
    form = AttendanceForm(posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            proceedings.record_attendance(
                actor=request.user, meeting=meeting, present=form.cleaned_data["present"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            present, needed = meeting.quorum()
            messages.success(
                request,
                ngettext(
                    "Attendance recorded: %(present)s present, %(needed)s needed for quorum.",
                    "Attendance recorded: %(present)s present, %(needed)s needed for quorum.",
                    present,
                )
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
    meeting = get_meeting(request, pk)
    form = MotionForm(posted(request), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                adopts = _draft_to_adopt(request.user, meeting, data)
                motion = proceedings.record_motion(
                    actor=request.user,
                    meeting=meeting,
                    text=data["text"],
                    moved_by=data["moved_by"],
                    seconded_by=data["seconded_by"],
                    informal=data["informal"],
                    votes=form.votes(),
                    counts=form.counts(),
                    adopts=adopts,
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
    meeting = get_meeting(request, pk)
    form = MaterialForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            proceedings.add_material(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:  # the action checks the file again
            form.add_error("file", error_text(error))
        else:
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
    meeting = get_meeting(request, pk)
    form = MinutesForm(posted(request), initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            proceedings.publish_minutes(
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
    meeting = get_meeting(request, pk)
    access = get_object_or_404(AccessRequest, pk=access_pk, meeting=meeting)
    try:
        proceedings.set_access_status(
            actor=request.user, access=access, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(meeting)


# Responses and commitments ------------------------------------------------------------------


@department_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_recommendation(request, pk)
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
    recommendation = get_recommendation(request, pk)
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
    recommendation = get_recommendation(request, pk)
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
    recommendation = get_recommendation(request, pk)
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
    recommendation = get_recommendation(request, pk)
    try:
        actions.delete_recommendation(actor=request.user, recommendation=recommendation)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(recommendation)
    messages.success(request, _("Draft deleted."))
    return redirect("accountability:index")
