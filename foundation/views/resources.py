"""Resources: their list, export, detail and form, and the commitments made from them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from foundation import actions, queries
from foundation.forms import CommitmentForm, ResourceFilterForm, ResourceForm
from foundation.models import Commitment, Resource
from foundation.views.common import audit_history
from powershare.decorators import department_admin_required, department_required
from powershare.exports import csv_response
from powershare.forms import apply_action_errors
from support.models import Ask


@department_required
def resource_list(request: HttpRequest) -> HttpResponse:
    resources = queries.resources_with_totals()
    filters = ResourceFilterForm(request.GET).filters()
    kind = filters.get("kind")
    if kind:
        resources = resources.filter(kind=kind)
    if not filters.get("inactive"):
        resources = resources.filter(active=True)
    return render(
        request,
        "foundation/resource_list.html",
        {
            "resources": resources,
            "kinds": Resource.Kind.choices,
            "kind": kind,
            "query": request.GET.urlencode(),
        },
    )


@department_required
def resource_export(request: HttpRequest) -> HttpResponse:
    header = [
        _("Name"),
        _("Kind"),
        _("Source or funder"),
        _("Amount available"),
        _("Committed"),
        _("Still available"),
        _("Unit"),
        _("Period starts"),
        _("Period ends"),
        _("May not pay for lobbying"),
        _("Hatch Act coverage"),
        _("Restrictions"),
        pgettext("resource is in use", "Active"),
    ]
    rows = (
        [
            r.name,
            r.get_kind_display(),
            r.source,
            r.amount,
            r.committed_total,
            r.available_total,
            r.unit,
            r.period_start or "",
            r.period_end or "",
            _("yes") if r.bars_lobbying else _("no"),
            _("yes") if r.hatch_act else _("no"),
            r.restrictions,
            _("yes") if r.active else _("no"),
        ]
        for r in queries.resources_with_totals()
    )
    return csv_response("resources.csv", header, rows)


@department_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(queries.resources_with_totals(), pk=pk)
    context = {
        "resource": resource,
        "available": resource.available_total,
        "commitments": queries.commitments_for(resource, request.user),
        "classifications": resource.classifications.filter(
            ask__in=Ask.objects.visible_to(request.user)
        ).select_related("ask")[:50],
        "history": audit_history(resource),
    }
    return render(request, "foundation/resource_detail.html", context)


def _resource_form(request: HttpRequest, resource: Resource | None) -> HttpResponse:
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            if resource:
                saved = actions.update_resource(
                    actor=request.user,
                    resource=Resource.objects.get(pk=resource.pk),
                    **form.cleaned_data,
                )
            else:
                saved = actions.create_resource(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Resource saved."))
            return redirect(saved)
    return render(
        request,
        "foundation/resource_form.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@department_admin_required
def resource_new(request: HttpRequest) -> HttpResponse:
    return _resource_form(request, None)


@department_admin_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _resource_form(request, get_object_or_404(Resource, pk=pk))


@department_required
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(Resource, pk=pk)
    asks = (
        Ask.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("-created")[:200]
    )
    form = CommitmentForm(request.POST or None, asks=asks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ask = (
            Ask.objects.visible_to(request.user).filter(pk=data["ask"]).first()
            if data["ask"]
            else None
        )
        try:
            actions.add_commitment(
                actor=request.user,
                resource=resource,
                amount=data["amount"],
                description=data["description"],
                ask=ask,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Commitment recorded."))
            return redirect(resource)
    return render(
        request,
        "foundation/commitment_form.html",
        {"form": form, "resource": resource},
        status=400 if form.errors else 200,
    )


@department_admin_required
def commitment_delete(request: HttpRequest, pk: int, commitment_pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related("resource"), pk=commitment_pk, resource_id=pk
    )
    if request.method == "POST":
        actions.delete_commitment(actor=request.user, commitment=commitment)
        messages.success(request, _("Commitment released."))
        return redirect(commitment.resource)
    return render(request, "foundation/commitment_delete.html", {"commitment": commitment})
