"""Actions for campaigns: the department using an authority where a campaign needs it; their
list, export, detail and form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors
from powershare.pagination import paginate, query_without_page
from powershare.visibility import get_visible_or_404
from regulatory import actions, queries
from regulatory.forms import ActionFilterForm, ActionForm
from regulatory.models import CommentPeriod, RegulatoryAction
from regulatory.views.common import form_status


def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET)
    page = paginate(request, queries.search_actions(request.user, form.filters()))
    context = {
        "form": form,
        "page": page,
        "actions": page.object_list,
        "query": query_without_page(request),
    }
    return render(request, "regulatory/action_list.html", context)


def action_export(request: HttpRequest) -> HttpResponse:
    filters = ActionFilterForm(request.GET).filters()
    header = [
        _("Title"),
        _("Authority"),
        _("Status"),
        _("Campaigns"),
        _("Started"),
        _("Next key date"),
        _("Completed"),
        _("Violations found"),
        _("Orders issued"),
        _("Fines (USD)"),
        _("Outcome"),
        _("Visibility"),
    ]
    rows = (
        [
            a.title,
            a.authority.name,
            a.get_status_display(),
            "; ".join(c.title for c in queries.visible_campaigns_of(request.user, a)),
            a.started or "",
            a.next_date or "",
            a.completed or "",
            a.violations_found,
            a.orders_issued,
            a.fines,
            a.outcome,
            a.get_visibility_display(),
        ]
        for a in queries.search_actions(request.user, filters)
    )
    return csv_response("regulatory-actions.csv", header, rows)


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_visible_or_404(
        RegulatoryAction.objects.select_related("authority", "authority__unit"), request.user, pk=pk
    )
    from support.models import Ask

    context = {
        "action": action,
        "campaigns": queries.visible_campaigns_of(request.user, action),
        "asks": Ask.objects.visible_to(request.user).filter(pk__in=action.asks.values("pk")),
        "periods": CommentPeriod.objects.visible_to(request.user).filter(action=action),
    }
    return render(request, "regulatory/action_detail.html", context)


def _action_form(request: HttpRequest, action: RegulatoryAction | None) -> HttpResponse:
    form = ActionForm(request.POST or None, instance=action, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaigns, asks = list(data.pop("campaigns")), list(data.pop("asks"))
        if action:
            # Links the editor cannot see are kept as they are.
            from partners.models import Campaign
            from support.models import Ask

            campaigns += list(
                action.campaigns.exclude(
                    pk__in=Campaign.objects.visible_to(request.user).values("pk")
                )
            )
            asks += list(
                action.asks.exclude(pk__in=Ask.objects.visible_to(request.user).values("pk"))
            )
        try:
            saved = actions.save_action(
                actor=request.user,
                action=RegulatoryAction.objects.get(pk=action.pk) if action else None,
                campaigns=campaigns,
                asks=asks,
                **data,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Regulatory action saved."))
            return redirect(saved)
    return render(
        request,
        "regulatory/form.html",
        {
            "form": form,
            "title": _("Edit regulatory action") if action else _("New regulatory action"),
            "cancel": action.get_absolute_url() if action else reverse("regulatory:actions"),
        },
        status=form_status(form),
    )


@department_required
def action_new(request: HttpRequest) -> HttpResponse:
    return _action_form(request, None)


@department_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_form(
        request, get_visible_or_404(RegulatoryAction.objects.all(), request.user, pk=pk)
    )
