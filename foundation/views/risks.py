"""The risk register: its list, export, detail, form and deletion."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from foundation import actions, queries
from foundation.forms import RiskFilterForm, RiskForm
from foundation.models import Risk
from foundation.views.common import audit_history
from powershare.decorators import department_admin_required, department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors
from powershare.pagination import paginate, query_without_page


@department_required
def risk_list(request: HttpRequest) -> HttpResponse:
    form = RiskFilterForm(request.GET)
    risks = queries.search_risks(form.filters())
    page = paginate(request, risks)
    context = {
        "form": form,
        "page": page,
        "risks": page.object_list,
        "query": query_without_page(request),
        "heat_map": queries.heat_map(risks),
    }
    return render(request, "foundation/risk_list.html", context)


@department_required
def risk_export(request: HttpRequest) -> HttpResponse:
    filters = RiskFilterForm(request.GET).filters()
    header = [
        _("Title"),
        _("Category"),
        _("Likelihood"),
        _("Impact"),
        _("Score"),
        _("Status"),
        _("Owner"),
        _("Next review"),
        _("Mitigations"),
        _("Campaigns"),
    ]
    from partners.models import Campaign

    visible = set(Campaign.objects.visible_to(request.user).values_list("pk", flat=True))
    rows = (
        [
            r.title,
            r.get_category_display(),
            r.likelihood,
            r.impact,
            r.score,
            r.get_status_display(),
            str(r.owner or ""),
            r.review_date or "",
            r.mitigations,
            "; ".join(c.title for c in r.campaigns.all() if c.pk in visible),
        ]
        for r in queries.search_risks(filters).prefetch_related("campaigns")
    )
    return csv_response("risks.csv", header, rows)


def _risk_links(user: Any, risk: Risk) -> dict[str, Any]:
    from partners.models import Campaign

    campaigns = Campaign.objects.visible_to(user).filter(pk__in=risk.campaigns.values("pk"))
    return {"campaigns": campaigns, "hidden_campaigns": risk.campaigns.count() - campaigns.count()}


@department_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk.objects.select_related("owner"), pk=pk)
    context = {
        "risk": risk,
        "partnerships": risk.partnerships.select_related("cpbo", "unit"),
        "history": audit_history(risk),
        **_risk_links(request.user, risk),
    }
    return render(request, "foundation/risk_detail.html", context)


def _risk_form(request: HttpRequest, risk: Risk | None) -> HttpResponse:
    form = RiskForm(request.POST or None, instance=risk, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaigns = list(data.pop("campaigns"))
        if risk:
            # Links to campaigns the editor cannot see are kept, not silently dropped.
            from partners.models import Campaign

            unseen = risk.campaigns.exclude(
                pk__in=Campaign.objects.visible_to(request.user).values("pk")
            )
            campaigns += list(unseen)
        m2m = {"campaigns": campaigns, "partnerships": list(data.pop("partnerships"))}
        try:
            if risk:
                saved = actions.update_risk(
                    actor=request.user, risk=Risk.objects.get(pk=risk.pk), m2m=m2m, **data
                )
            else:
                saved = actions.create_risk(actor=request.user, m2m=m2m, **data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Risk saved."))
            return redirect(saved)
    return render(
        request,
        "foundation/risk_form.html",
        {"form": form, "risk": risk},
        status=400 if form.errors else 200,
    )


@department_required
def risk_new(request: HttpRequest) -> HttpResponse:
    return _risk_form(request, None)


@department_required
def risk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _risk_form(request, get_object_or_404(Risk, pk=pk))


@department_admin_required
def risk_delete(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_object_or_404(Risk, pk=pk)
    if request.method == "POST":
        actions.delete_risk(actor=request.user, risk=risk)
        messages.success(request, _("Risk deleted."))
        return redirect("foundation:risks")
    return render(request, "partners/confirm_delete.html", {"record": risk})
