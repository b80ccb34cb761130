"""The board's public pages and the pages every reader shares: the board and its charter,
applying to serve, the meetings calendar, a meeting, the tracker and its feeds, a
recommendation, organizer positions. Board admins' and staff's forms are in ``views_admin.py``.
Thin: parse, check, call an action or a query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accountability import proceedings, queries, rules
from accountability.forms import (
    AccessRequestForm,
    ApplicationForm,
    CommitmentForm,
    CommitmentUpdateForm,
    ResponseForm,
    TrackerFilterForm,
    WithdrawForm,
)
from accountability.models import Material, Meeting, OrganizerPosition, Recommendation
from accountability.roster import submit_application, vacancies
from partners.models import Campaign
from powershare.calendars import calendar_response
from powershare.forms import error_text
from powershare.pagination import paginate, query_without_page
from powershare.site import absolute
from powershare.visibility import get_visible_or_404
from support.models import Ask


def posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (which must fail validation, not show a
    blank form); ``None`` for a GET."""
    return request.POST if request.method == "POST" else None


def board_or_404() -> Any:
    board = queries.the_board()
    if board is None:
        raise Http404
    return board


# The board ----------------------------------------------------------------------------------


def board(request: HttpRequest) -> HttpResponse:
    the_board = board_or_404()
    seats = list(the_board.seats.select_related("nominating_organization"))
    holders = {t.seat_id: t for t in the_board.seated_terms().select_related("member")}
    upcoming, _past = queries.calendar(request.user)
    context = {
        "board": the_board,
        "seats": [(seat, holders.get(seat.pk)) for seat in seats],
        "vacant": len(vacancies(the_board)),
        "upcoming": upcoming[:3],
        "summary": queries.summary(queries.tracker({})),
        "is_board_admin": rules.is_board_admin(request.user),
    }
    return render(request, "accountability/board.html", context)


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    the_board = board_or_404()
    initial = {"language": request.LANGUAGE_CODE}
    form = ApplicationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submit_application(board=the_board, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                _("Thank you. Your application was received; the department will write to you."),
            )
            return redirect("accountability:index")
    status = 400 if form.is_bound else 200
    return render(
        request, "accountability/apply.html", {"form": form, "board": the_board}, status=status
    )


# Meetings -----------------------------------------------------------------------------------


def meetings(request: HttpRequest) -> HttpResponse:
    upcoming, past = queries.calendar(request.user)
    context = {
        "upcoming": upcoming,
        "past": past,
        "is_board_admin": rules.is_board_admin(request.user),
        "ics_url": request.build_absolute_uri(reverse("accountability:meetings_ics")),
    }
    return render(request, "accountability/meetings.html", context)


def meetings_ics(request: HttpRequest) -> HttpResponse:
    """Public meetings only, whoever asks: a subscribed calendar must not leak closed ones."""
    meetings = list(
        Meeting.objects.filter(is_public=True).prefetch_related("agenda").order_by("starts")
    )
    return calendar_response(
        request,
        queries.icalendar_feed(meetings),
        filename="board-meetings.ics",
        changed=(m.updated for m in meetings),
    )


def get_meeting(request: HttpRequest, pk: int) -> Meeting:
    return get_object_or_404(queries.meetings_for(request.user), pk=pk)


def meeting_page(
    request: HttpRequest, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    insider = rules.is_board_insider(user)
    admin = rules.is_board_admin(user)
    materials = [m for m in meeting.materials.all() if rules.can_read_material(user, m)]
    motions = list(meeting.motions.select_related("moved_by__member", "seconded_by__member"))
    votes = {m.pk: list(m.votes.select_related("term__member")) for m in motions if not m.secret}
    present, needed = meeting.quorum()
    initial = {}
    if user.is_authenticated:
        initial = {"name": user.name, "email": user.email}
    context = {
        "meeting": meeting,
        "agenda": meeting.agenda.all(),
        "materials": materials,
        "attendance": meeting.attendance.select_related("term__member", "term__seat"),
        "present": present,
        "needed": needed,
        "motions": [(m, votes.get(m.pk, []), getattr(m, "recommendation", None)) for m in motions],
        "minutes_visible": bool(meeting.minutes_published) or insider,
        "can_request_access": rules.can_request_access(meeting),
        "access_form": forms.get("access_form") or AccessRequestForm(initial=initial),
        "access_requests": meeting.access_requests.all() if admin else [],
        "is_board_admin": admin,
    }
    return render(request, "accountability/meeting_detail.html", context, status=status)


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return meeting_page(request, get_meeting(request, pk))


@require_POST
def access_request(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(request, pk)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            proceedings.request_access(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your request was sent. Staff will confirm by email."))
            return redirect(meeting)
    return meeting_page(request, meeting, status=400, access_form=form)


def material_file(request: HttpRequest, pk: int, material_pk: int) -> FileResponse:
    meeting = get_meeting(request, pk)
    material = get_object_or_404(Material, pk=material_pk, meeting=meeting)
    if not rules.can_read_material(request.user, material):
        raise Http404
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


# The tracker --------------------------------------------------------------------------------


def tracker(request: HttpRequest) -> HttpResponse:
    form = TrackerFilterForm(request.GET)
    recommendations = queries.tracker(form.filters())
    page = paginate(request, recommendations)
    today = timezone.localdate()
    context = {
        "form": form,
        "page": page,
        "rows": [(r, queries.timing_of(r, today), r.days_waiting(today)) for r in page.object_list],
        "summary": queries.summary(recommendations, today),
        "query": query_without_page(request),
    }
    return render(request, "accountability/tracker.html", context)


class TrackerFeed(Feed):
    """RSS 2.0: every published recommendation, with its status and the latest response.

    Links are absolute on ``SITE_URL``: left relative, Django would prefix the Sites
    framework's record (``example.com``) to them."""

    title = gettext_lazy("You said, we did: the advisory board's recommendations")
    description = gettext_lazy(
        "Recommendations of the community advisory board and the department's responses."
    )

    feed_url_name = "accountability:tracker_rss"

    def link(self) -> str:
        return absolute(reverse("accountability:tracker"))

    def feed_url(self) -> str:
        return absolute(reverse(self.feed_url_name))

    def items(self) -> Any:
        return queries.tracker({}).order_by("-updated")[:50]

    def item_title(self, item: Recommendation) -> str:
        return f"{item.number}: {item.title} ({item.get_status_display()})"

    def item_description(self, item: Recommendation) -> str:
        response = item.published_responses[0] if item.published_responses else None
        lines = [item.text]
        if response:
            lines.append(f"{response.get_decision_display()}: {response.rationale}")
        return "\n\n".join(lines)

    def item_link(self, item: Recommendation) -> str:
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item: Recommendation) -> Any:
        return item.published

    def item_updateddate(self, item: Recommendation) -> Any:
        return item.updated


class TrackerAtomFeed(TrackerFeed):
    feed_type = Atom1Feed
    feed_url_name = "accountability:tracker_atom"
    subtitle = TrackerFeed.description


# A recommendation ---------------------------------------------------------------------------


def get_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.visible_to(request.user).select_related(
            "addressed_to", "motion__meeting"
        ),
        pk=pk,
    )


def recommendation_page(
    request: HttpRequest, recommendation: Recommendation, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    staff = rules.can_answer(user)
    responses = recommendation.responses.select_related("author")
    if not staff:
        responses = responses.filter(published__isnull=False)
    commitments = recommendation.commitments.select_related("owner").prefetch_related("updates")
    accepting = recommendation.status in (
        Recommendation.Status.ACCEPTED,
        Recommendation.Status.PARTIAL,
    )
    open_for_response = recommendation.is_published and recommendation.status not in (
        Recommendation.Status.WITHDRAWN,
        Recommendation.Status.IMPLEMENTED,
    )
    context = {
        "rec": recommendation,
        "timing": queries.timing_of(recommendation),
        "days_waiting": recommendation.days_waiting(),
        "responses": responses,
        "commitments": commitments,
        "history": queries.public_history(recommendation).select_related("actor"),
        "campaigns": Campaign.objects.visible_to(user).filter(recommendations=recommendation),
        "asks": Ask.objects.visible_to(user).filter(recommendations=recommendation),
        "can_respond": staff and open_for_response,
        "can_commit": staff and accepting,
        "can_update": staff and recommendation.status != Recommendation.Status.WITHDRAWN,
        "staff": staff,
        "is_board_admin": rules.is_board_admin(user),
        "response_form": forms.get("response_form") or ResponseForm(),
        "commitment_form": forms.get("commitment_form") or CommitmentForm(),
        "update_form": CommitmentUpdateForm(auto_id="update_%s"),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
    }
    return render(request, "accountability/recommendation_detail.html", context, status=status)


def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    return recommendation_page(request, get_recommendation(request, pk))


# Organizers on staff ------------------------------------------------------------------------


def organizers(request: HttpRequest) -> HttpResponse:
    positions = OrganizerPosition.objects.visible_to(request.user).select_related(
        "unit", "organizer"
    )
    return render(request, "accountability/organizers.html", {"positions": positions})


def organizer(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_visible_or_404(
        OrganizerPosition.objects.select_related("unit", "organizer"), request.user, pk=pk
    )
    context = {
        "position": position,
        "partnerships": position.partnerships.visible_to(request.user).select_related(
            "cpbo", "unit"
        ),
        "campaigns": position.campaigns.visible_to(request.user).select_related("organization"),
        "can_edit": request.user.is_authenticated and request.user.is_department_admin,
    }
    return render(request, "accountability/organizer_detail.html", context)
