"""Partnerships between a department unit and a community organization: list, detail, form,
each side's rating, agreements and meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners import actions, queries
from partners.forms import (
    AgreementForm,
    MeetingForm,
    PartnershipFilterForm,
    PartnershipForm,
    RatingForm,
)
from partners.models import Partnership
from partners.rules import can_rate_partnership
from powershare.decorators import department_required
from powershare.pagination import paginate, query_without_page


def _partnership_for(request: HttpRequest, pk: int) -> Partnership:
    try:
        return queries.partnerships_for(request.user).get(pk=pk)
    except Partnership.DoesNotExist:
        raise Http404 from None


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    filters = PartnershipFilterForm(request.GET).filters()
    partnerships = queries.partnerships_for(request.user)
    if filters.get("q"):
        partnerships = partnerships.filter(cpbo__name__icontains=filters["q"])
    if filters.get("mine"):
        partnerships = partnerships.filter(liaisons=request.user)
    page = paginate(request, partnerships)
    context = {
        "page": page,
        "partnerships": page.object_list,
        "query": query_without_page(request),
        "filters": request.GET,
    }
    return render(request, "partners/partnership_list.html", context)


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    user = request.user
    meetings = partnership.meetings.prefetch_related("staff", "people")
    if not user.is_department:
        meetings = meetings.filter(shared_with_partner=True)
    ratings = list(partnership.ratings.select_related("rated_by"))
    context = {
        "partnership": partnership,
        "department_ratings": [r for r in ratings if r.side == "department"],
        "partner_ratings": [r for r in ratings if r.side == "partner"],
        "latest_department": partnership.latest_rating("department"),
        "latest_partner": partnership.latest_rating("partner"),
        "agreements": partnership.agreements.all(),
        "meetings": meetings,
        "can_rate_department": can_rate_partnership(user, partnership, "department"),
        "can_rate_partner": can_rate_partnership(user, partnership, "partner"),
        "rating_form": RatingForm(),
        "can_change": user.has_perm("partners.change_partnership"),
        "can_add_agreement": user.has_perm("partners.add_agreement"),
        "can_add_meeting": user.has_perm("partners.add_meeting"),
    }
    return render(request, "partners/partnership_detail.html", context)


@department_required
@require_http_methods(["GET", "POST"])
def partnership_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("partners.add_partnership"):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partnership = actions.create_partnership(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Partnership created."))
        return redirect(partnership)
    return render(request, "partners/partnership_form.html", {"form": form})


@department_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    if not request.user.has_perm("partners.change_partnership"):
        raise PermissionDenied
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        stored = Partnership.objects.get(pk=pk)
        actions.update_partnership(actor=request.user, partnership=stored, **form.cleaned_data)
        messages.success(request, _("Partnership saved."))
        return redirect(stored)
    return render(
        request, "partners/partnership_form.html", {"form": form, "partnership": partnership}
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_rate(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    if side not in ("department", "partner"):
        raise Http404
    if not can_rate_partnership(request.user, partnership, side):
        raise PermissionDenied
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.rate_partnership(
            actor=request.user, partnership=partnership, side=side, **form.cleaned_data
        )
        messages.success(request, _("Rating recorded."))
        return redirect(partnership)
    return render(
        request,
        "partners/partnership_rate.html",
        {"form": form, "partnership": partnership, "side": side},
    )


@department_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    form = AgreementForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actions.add_agreement(actor=request.user, partnership=partnership, **form.cleaned_data)
        messages.success(request, _("Agreement added."))
        return redirect(partnership)
    return render(
        request, "partners/agreement_form.html", {"form": form, "partnership": partnership}
    )


@login_required
def agreement_file(request: HttpRequest, pk: int, agreement_pk: int) -> FileResponse:
    partnership = _partnership_for(request, pk)
    agreement = get_object_or_404(partnership.agreements, pk=agreement_pk)
    if not agreement.file:
        raise Http404
    return FileResponse(agreement.file.open("rb"), as_attachment=True)


@department_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _partnership_for(request, pk)
    form = MeetingForm(request.POST or None, partnership=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        staff, people = data.pop("staff"), data.pop("people")
        actions.record_meeting(
            actor=request.user,
            partnership=partnership,
            staff=list(staff),
            people=list(people),
            **data,
        )
        messages.success(request, _("One-to-one recorded."))
        return redirect(partnership)
    return render(request, "partners/meeting_form.html", {"form": form, "partnership": partnership})
