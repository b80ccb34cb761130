"""Pages of the support ledger: the list, an ask and its answers, the new-ask form, the dashboard.
Thin: parse, check, call an action or a query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from powershare.exports import csv_response
from powershare.filters import IdField, read_param
from powershare.forms import error_text
from powershare.pagination import paginate, query_without_page
from powershare.visibility import DISCLOSURE_NOTICE, get_visible_or_404
from support import actions, queries, rules
from support.forms import AskFilterForm, AskForm, AssignForm, CommentForm, DeliverForm, StatusForm
from support.models import Ask, AskFile

# Moves made with one button and an optional comment; declining and delivering have own forms.
SIMPLE_MOVES = [Ask.Status.ACKNOWLEDGED, Ask.Status.IN_PROGRESS, Ask.Status.WITHDRAWN]
# The ask page shows several forms with a comment box: each gets its own element ids.
MOVE_ID, DELIVER_ID, ASSIGN_ID = "move_%s", "deliver_%s", "assign_%s"


def _get_ask(request: HttpRequest, pk: int) -> Ask:
    return get_visible_or_404(
        Ask.objects.select_related("organization", "campaign", "owner", "created_by"),
        request.user,
        pk=pk,
    )


def ask_list(request: HttpRequest) -> HttpResponse:
    form = AskFilterForm(request.GET, user=request.user)
    asks = queries.search_asks(request.user, form.filters())
    page = paginate(request, asks)
    context = {
        "form": form,
        "page": page,
        "asks": page.object_list,
        "query": query_without_page(request),
    }
    template = "support/ask_list.html"
    if request.htmx and request.htmx.target == "ask-results":
        template = "support/includes/ask_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def ask_export(request: HttpRequest) -> HttpResponse:
    form = AskFilterForm(request.GET, user=request.user)
    asks = queries.exportable_asks(request.user, form.filters())
    user = request.user
    header = [
        _("Number"),
        _("Title"),
        _("Organization"),
        _("Campaign"),
        _("Kind of support"),
        _("Status"),
        _("Needed by"),
        _("Owner"),
        _("Filed"),
        _("Acknowledged"),
        _("Closed"),
        _("Visibility"),
        _("What you need"),
        _("What was delivered"),
        _("Reason for declining"),
        _("Address"),
    ]
    rows = (
        [
            a.pk,
            a.title,
            a.organization.name,
            a.campaign.title if a.campaign and a.campaign_visible else "",
            a.get_kind_display(),
            a.get_status_display(),
            a.needed_by or "",
            str(a.owner) if a.owner and queries.is_insider(user, a) else "",
            a.created.date(),
            a.acknowledged_at.date() if a.acknowledged_at else "",
            a.closed_at.date() if a.closed_at else "",
            a.get_visibility_display(),
            a.description,
            a.delivered_summary,
            a.decline_reason,
            request.build_absolute_uri(a.get_absolute_url()),
        ]
        for a in asks
    )
    return csv_response("asks.csv", header, rows)


# One ask ------------------------------------------------------------------------------------


def _timeline(user: Any, ask: Ask, insider: bool) -> list[dict[str, Any]]:
    """Timeline entries with who acted: names for insiders, the side they act for otherwise."""
    entries = []
    for event in queries.timeline(ask):
        actor = event.actor
        if actor is None:
            who = _("Someone no longer registered")
        elif insider:
            who = actor.get_full_name()
        elif actor.is_department:
            who = _("The department")
        else:
            who = ask.organization.name
        entries.append({"event": event, "who": who})
    return entries


def _detail(request: HttpRequest, ask: Ask, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    insider = queries.is_insider(user, ask)
    moves = rules.next_statuses_for(user, ask)
    context = {
        "ask": ask,
        "insider": insider,
        "campaign_visible": queries.can_see_campaign(user, ask),
        "timeline": _timeline(user, ask, insider),
        "files": ask.files.all(),
        "links": [line for line in ask.delivered_links.splitlines() if line.strip()],
        "is_asker": rules.is_asker(user, ask),
        "can_answer": rules.can_answer(user, ask),
        "can_edit": rules.can_edit_ask(user, ask),
        "can_comment": rules.can_comment(user, ask),
        "simple_moves": [(s, Ask.Status(s).label) for s in moves if s in SIMPLE_MOVES],
        "can_decline": Ask.Status.DECLINED in moves,
        "can_deliver": Ask.Status.DELIVERED in moves,
        "move_form": forms.get("move_form") or StatusForm(auto_id=MOVE_ID),
        "decline_form": forms.get("decline_form")
        or StatusForm(initial={"to_status": Ask.Status.DECLINED}, prefix="decline"),
        "deliver_form": forms.get("deliver_form") or DeliverForm(auto_id=DELIVER_ID),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"owner": ask.owner_id}, auto_id=ASSIGN_ID),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "disclosure_notice": DISCLOSURE_NOTICE,
    }
    return render(request, "support/ask_detail.html", context, status=status)


def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_ask(request, pk))


def ask_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A delivered file, to whoever may read its ask; never a bare media address."""
    ask = _get_ask(request, pk)
    delivered = get_object_or_404(AskFile, pk=file_pk, ask=ask)
    try:
        handle = delivered.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=delivered.name)


@login_required
@require_POST
def ask_status(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _get_ask(request, pk)
    if not rules.can_move(request.user, ask):
        raise PermissionDenied  # before the form: a reader on neither side learns nothing more
    declining = request.POST.get("decline-to_status") == Ask.Status.DECLINED
    form = StatusForm(
        request.POST,
        prefix="decline" if declining else None,
        auto_id="id_%s" if declining else MOVE_ID,
    )
    if not form.is_valid():
        if declining and rules.can_answer(request.user, ask):
            return _detail(request, ask, status=400, decline_form=form)
        messages.error(
            request,
            _("That change could not be made: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
        return redirect(ask)
    data = form.cleaned_data
    try:
        actions.change_status(
            actor=request.user,
            ask=ask,
            to_status=data["to_status"],
            comment=data["comment"],
            decline_reason=data["decline_reason"],
        )
    except ValidationError as error:
        if declining:
            form.add_error(None, error_text(error))
            return _detail(request, ask, status=400, decline_form=form)
        messages.error(request, error_text(error))
        return redirect(ask)
    messages.success(
        request, _("The ask is now: %(status)s.") % {"status": ask.get_status_display()}
    )
    return redirect(ask)


@login_required
@require_POST
def ask_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _get_ask(request, pk)
    if not rules.can_answer(request.user, ask):
        raise PermissionDenied
    form = DeliverForm(request.POST, request.FILES, auto_id=DELIVER_ID)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.deliver(
                actor=request.user,
                ask=ask,
                summary=data["summary"],
                links=data["links"],
                files=data["files"],
                comment=data["comment"],
            )
        except ValidationError as error:
            if Ask.Status.DELIVERED not in ask.next_statuses():
                messages.error(request, error_text(error))  # no delivery form to show it on
                return redirect(ask)
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Delivered. The organization has been told."))
            return redirect(ask)
    return _detail(request, ask, status=400, deliver_form=form)


@login_required
@require_POST
def ask_assign(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _get_ask(request, pk)
    if not rules.can_answer(request.user, ask):
        raise PermissionDenied
    form = AssignForm(request.POST, auto_id=ASSIGN_ID)
    if form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            actions.assign_owner(
                actor=request.user, ask=ask, owner=owner, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            if not ask.is_open:
                messages.error(request, error_text(error))  # no assignment form to show it on
                return redirect(ask)
            form.add_error(None, error_text(error))
        else:
            if owner:
                messages.success(request, _("%(name)s now owns this ask.") % {"name": owner})
            else:
                messages.success(request, _("The ask has no owner now."))
            return redirect(ask)
    return _detail(request, ask, status=400, assign_form=form)


@login_required
@require_POST
def ask_comment(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _get_ask(request, pk)
    if not rules.can_comment(request.user, ask):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(actor=request.user, ask=ask, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error_text(error))
        else:
            messages.success(request, _("Comment added."))
            return redirect(ask)
    return _detail(request, ask, status=400, comment_form=form)


# Partners' forms ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_partner:
        raise PermissionDenied
    initial = {}
    campaign = read_param(request.GET, "campaign", IdField(label=_("Campaign")))
    if campaign:
        initial["campaign"] = campaign
    form = AskForm(request.POST or None, user=request.user, initial=initial)
    if initial and not form.fields["campaign"].queryset.filter(pk=initial["campaign"]).exists():
        form.initial.pop("campaign")  # not one of theirs: say nothing, just don't preselect it
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            ask = actions.submit_ask(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Your ask was sent to the department."))
            return redirect(ask)
    status = 400 if form.is_bound else 200
    return render(request, "support/ask_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def ask_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _get_ask(request, pk)
    if not rules.is_asker(request.user, ask):
        raise PermissionDenied
    if not ask.is_open:
        messages.error(request, _("This ask is closed; it can no longer be edited."))
        return redirect(ask)
    form = AskForm(request.POST or None, instance=ask, user=request.user)
    if request.method == "POST" and form.is_valid():
        stored = Ask.objects.get(pk=ask.pk)  # the form wrote onto ``ask``; diff the stored row
        try:
            actions.update_ask(actor=request.user, ask=stored, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Ask saved."))
            return redirect(stored)
    status = 400 if form.is_bound else 200
    return render(request, "support/ask_form.html", {"form": form, "ask": ask}, status=status)


# Dashboard ----------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_department or request.user.is_partner):
        raise PermissionDenied
    return render(request, "support/dashboard.html", {"figures": queries.dashboard(request.user)})
