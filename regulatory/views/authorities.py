"""The regulatory module's home page and the department's authorities: the legal powers it
holds (an inspection program, a permit, an order)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from powershare.decorators import department_required
from powershare.filters import choice_filter, read_param
from powershare.forms import apply_action_errors
from regulatory import actions, queries
from regulatory.forms import AuthorityForm
from regulatory.models import Authority, CommentPeriod, Complaint, Retaliation
from regulatory.views.common import form_status


def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "periods": queries.upcoming_periods(user)[:5],
        "actions": queries.visible_actions(user)[:5],
        "authority_count": Authority.objects.count(),
    }
    if user.is_authenticated and (user.is_department or user.is_partner):
        complaints = Complaint.objects.visible_to(user)
        context["open_complaints"] = complaints.filter(status__in=Complaint.OPEN_STATUSES).count()
        context["recent_complaints"] = complaints.select_related("organization")[:5]
        if user.is_department:
            context["mine"] = complaints.filter(
                assigned_inspector=user, status__in=Complaint.OPEN_STATUSES
            )[:10]
            context["untriaged"] = complaints.filter(status=Complaint.Status.RECEIVED).count()
            context["open_retaliations"] = Retaliation.objects.filter(
                status=Retaliation.Status.OPEN
            ).count()
    return render(request, "regulatory/index.html", context)


def authority_list(request: HttpRequest) -> HttpResponse:
    authorities = Authority.objects.select_related("unit")
    kind = read_param(request.GET, "kind", choice_filter(_("Kind"), Authority.Kind))
    if kind:
        authorities = authorities.filter(kind=kind)
    return render(
        request,
        "regulatory/authority_list.html",
        {"authorities": authorities, "kinds": Authority.Kind.choices, "kind": kind},
    )


def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = get_object_or_404(Authority.objects.select_related("unit"), pk=pk)
    context = {
        "authority": authority,
        "actions": queries.visible_actions(request.user).filter(authority=authority),
        "periods": CommentPeriod.objects.visible_to(request.user).filter(authority=authority),
    }
    return render(request, "regulatory/authority_detail.html", context)


def _authority_form(request: HttpRequest, authority: Authority | None) -> HttpResponse:
    form = AuthorityForm(request.POST or None, instance=authority)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_authority(
                actor=request.user,
                authority=Authority.objects.get(pk=authority.pk) if authority else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_action_errors(form, error)
        else:
            messages.success(request, _("Authority saved."))
            return redirect(saved)
    return render(
        request,
        "regulatory/form.html",
        {
            "form": form,
            "title": _("Edit authority") if authority else _("New authority"),
            "cancel": authority.get_absolute_url()
            if authority
            else reverse("regulatory:authorities"),
        },
        status=form_status(form),
    )


@department_required
def authority_new(request: HttpRequest) -> HttpResponse:
    return _authority_form(request, None)


@department_required
def authority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _authority_form(request, get_object_or_404(Authority, pk=pk))
