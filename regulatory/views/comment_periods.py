"""Comment periods: open rulemakings and permit hearings where partners can mobilize
testimony; their pages and their iCalendar feed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from powershare import calendars
from powershare.decorators import department_required
from powershare.filters import choice_filter, read_param
from powershare.forms import apply_action_errors
from powershare.pagination import paginate, query_without_page
from powershare.site import absolute
from powershare.visibility import get_visible_or_404
from regulatory import actions, queries
from regulatory.forms import CommentPeriodForm
from regulatory.models import CommentPeriod
from regulatory.views.common import form_status


def comment_period_list(request: HttpRequest) -> HttpResponse:
    periods = CommentPeriod.objects.visible_to(request.user).select_related("authority")
    show = read_param(request.GET, "show", choice_filter(_("Show"), [("past", _("Past ones"))]))
    if show != "past":
        periods = periods.filter(closes__gte=timezone.localdate())
    else:
        periods = periods.filter(closes__lt=timezone.localdate()).order_by("-closes")
    page = paginate(request, periods)
    return render(
        request,
        "regulatory/comment_period_list.html",
        {
            "page": page,
            "periods": page.object_list,
            "show": show,
            "query": query_without_page(request),
        },
    )


def comment_period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_visible_or_404(
        CommentPeriod.objects.select_related("authority", "action"), request.user, pk=pk
    )
    action_visible = (
        period.action_id is not None
        and queries.visible_actions(request.user).filter(pk=period.action_id).exists()
    )
    return render(
        request,
        "regulatory/comment_period_detail.html",
        {"period": period, "action_visible": action_visible},
    )


def _period_form(request: HttpRequest, period: CommentPeriod | None) -> HttpResponse:
    form = CommentPeriodForm(request.POST or None, instance=period, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_comment_period(
                actor=request.user,
                period=CommentPeriod.objects.get(pk=period.pk) if period else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Comment period saved."))
            return redirect(saved)
    return render(
        request,
        "regulatory/form.html",
        {
            "form": form,
            "title": _("Edit comment period") if period else _("New comment period"),
            "cancel": period.get_absolute_url()
            if period
            else reverse("regulatory:comment_periods"),
        },
        status=form_status(form),
    )


@department_required
def comment_period_new(request: HttpRequest) -> HttpResponse:
    return _period_form(request, None)


@department_required
def comment_period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _period_form(
        request, get_visible_or_404(CommentPeriod.objects.all(), request.user, pk=pk)
    )


def comment_periods_ics(request: HttpRequest) -> HttpResponse:
    """Public comment periods and hearings as an iCalendar feed (public ones only: calendar
    programs fetch it without signing in)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Powershare//Comment periods//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Comment periods and hearings"))
    periods = list(CommentPeriod.objects.filter(visibility="public").order_by("closes"))
    for period in periods:
        url = absolute(period.get_absolute_url())
        event = Event()
        event.add("uid", calendars.uid("comment-period", period.pk))
        event.add("sequence", period.sequence)
        event.add("summary", _("Comments close: %(title)s") % {"title": period.title})
        event.add("dtstart", period.closes)
        event.add("dtstamp", period.updated)
        event.add("last-modified", period.updated)
        event.add(
            "description", f"{period.description}\n\n{period.how_to_comment}\n\n{url}".strip()
        )
        event.add("url", url)
        calendar.add_component(event)
        if period.hearing_at:
            hearing = Event()
            hearing.add("uid", calendars.uid("hearing", period.pk))
            hearing.add("sequence", period.sequence)
            hearing.add("summary", _("Hearing: %(title)s") % {"title": period.title})
            hearing.add("dtstart", period.hearing_at)
            hearing.add("dtend", period.hearing_at + timedelta(hours=2))
            hearing.add("dtstamp", period.updated)
            hearing.add("last-modified", period.updated)
            if period.location:
                hearing.add("location", period.location)
            hearing.add("url", url)
            calendar.add_component(hearing)
    return calendars.calendar_response(
        request,
        calendar.to_ical(),
        filename="comment-periods.ics",
        changed=(p.updated for p in periods),
    )
