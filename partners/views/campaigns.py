"""Campaigns and their milestones: list, export, detail, form and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partners import actions, queries
from partners.forms import CampaignFilterForm, CampaignForm, MilestoneForm
from partners.models import Campaign, IssueArea, Milestone
from powershare.exports import csv_response
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_edit, get_editable_or_403, get_visible_or_404
from support.models import Ask


def campaign_list(request: HttpRequest) -> HttpResponse:
    filters = CampaignFilterForm(request.GET).filters()
    campaigns = queries.search_campaigns(request.user, filters)
    page = paginate(request, campaigns)
    context = {
        "page": page,
        "campaigns": page.object_list,
        "query": query_without_page(request),
        "statuses": Campaign.Status.choices,
        "issue_areas": IssueArea.choices,
        "organizations": queries.search_organizations(request.user, {"kind": "cpbo"}),
        "filters": request.GET,
    }
    template = "partners/campaign_list.html"
    if request.htmx:
        template = "partners/includes/campaign_results.html"
    return render(request, template, context)


def campaign_export(request: HttpRequest) -> HttpResponse:
    filters = CampaignFilterForm(request.GET).filters()
    campaigns = queries.exportable_campaigns(request.user, filters)
    rows = (
        [
            c.title,
            c.organization.name,
            c.get_issue_area_display(),
            c.get_status_display(),
            c.goal,
            c.demands,
            c.geography,
            c.start or "",
            c.end or "",
            c.get_visibility_display(),
        ]
        for c in campaigns
    )
    header = [
        _("Title"),
        _("Organization"),
        _("Issue area"),
        _("Status"),
        _("Goal"),
        _("Demands"),
        _("Geography"),
        _("Start"),
        _("End"),
        _("Visibility"),
    ]
    return csv_response("campaigns.csv", header, rows)


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_visible_or_404(
        Campaign.objects.select_related("organization"), request.user, pk=pk
    )
    context = {
        "campaign": campaign,
        "can_edit": can_edit(request.user, campaign),
        "milestones": campaign.milestones.all(),
        "asks": Ask.objects.visible_to(request.user).filter(campaign=campaign),
        "target_people": campaign.target_people.visible_to(request.user),
        "target_organizations": campaign.target_organizations.visible_to(request.user),
        "milestone_form": MilestoneForm(),
    }
    return render(request, "partners/campaign_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_partner:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        m2m = {k: data.pop(k) for k in ("target_people", "target_organizations")}
        campaign = actions.create_campaign(actor=request.user, m2m=m2m, **data)
        messages.success(request, _("Campaign created."))
        return redirect(campaign)
    return render(request, "partners/campaign_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_editable_or_403(Campaign.objects.all(), request.user, pk=pk)
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        m2m = {k: data.pop(k) for k in ("target_people", "target_organizations")}
        # The form already wrote the fields onto the instance; reload to diff against the stored row.
        stored = Campaign.objects.get(pk=campaign.pk)
        actions.update_campaign(actor=request.user, campaign=stored, m2m=m2m, **data)
        messages.success(request, _("Campaign saved."))
        return redirect(stored)
    return render(request, "partners/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_delete(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_editable_or_403(Campaign.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        actions.delete_campaign(actor=request.user, campaign=campaign)
        messages.success(request, _("Campaign deleted."))
        return redirect("partners:campaigns")
    return render(request, "partners/confirm_delete.html", {"record": campaign})


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_editable_or_403(Campaign.objects.all(), request.user, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        actions.add_milestone(actor=request.user, campaign=campaign, **form.cleaned_data)
        messages.success(request, _("Milestone added."))
        return redirect(campaign)
    context = {
        "campaign": campaign,
        "can_edit": True,
        "milestones": campaign.milestones.all(),
        "asks": Ask.objects.visible_to(request.user).filter(campaign=campaign),
        "target_people": campaign.target_people.visible_to(request.user),
        "target_organizations": campaign.target_organizations.visible_to(request.user),
        "milestone_form": form,
    }
    return render(request, "partners/campaign_detail.html", context, status=400)


@login_required
@require_POST
def milestone_delete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    campaign = get_editable_or_403(Campaign.objects.all(), request.user, pk=pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, campaign=campaign)
    actions.delete_milestone(actor=request.user, milestone=milestone)
    messages.success(request, _("Milestone removed."))
    return redirect(campaign)
