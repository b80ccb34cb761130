"""Pages for organizations, people, campaigns and partnerships. Thin: parse, check, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import actions as account_actions
from partners import actions, queries
from partners.forms import (
    AgreementForm,
    CampaignFilterForm,
    CampaignForm,
    InviteFirstAdminForm,
    MeetingForm,
    MilestoneForm,
    NotDuplicateForm,
    OrganizationFilterForm,
    OrganizationForm,
    PartnershipFilterForm,
    PartnershipForm,
    PersonFilterForm,
    PersonForm,
    RatingForm,
)
from partners.models import Campaign, IssueArea, Milestone, Organization, Partnership, Person
from partners.rules import (
    can_manage_members,
    can_rate_partnership,
    can_see_contact,
    contact_value,
)
from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_edit, get_editable_or_403, get_visible_or_404
from support.models import Ask

# Campaigns ---------------------------------------------------------------------------------


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


# Organizations -----------------------------------------------------------------------------


def organization_list(request: HttpRequest) -> HttpResponse:
    filters = OrganizationFilterForm(request.GET).filters()
    organizations = queries.search_organizations(request.user, filters)
    page = paginate(request, organizations)
    context = {
        "page": page,
        "organizations": page.object_list,
        "query": query_without_page(request),
        "kinds": Organization.Kind.choices,
        "issue_areas": IssueArea.choices,
        "filters": request.GET,
    }
    template = "partners/organization_list.html"
    if request.htmx:
        template = "partners/includes/organization_results.html"
    return render(request, template, context)


def organization_export(request: HttpRequest) -> HttpResponse:
    filters = OrganizationFilterForm(request.GET).filters()
    organizations = queries.exportable_organizations(request.user, filters)
    header = [
        _("Name"),
        _("Kind"),
        _("Mission"),
        _("Issue areas"),
        _("Geographies served"),
        _("Languages"),
        _("Base size"),
        _("Website"),
        _("Public contact email"),
    ]
    rows = (
        [
            o.name,
            o.get_kind_display(),
            o.mission,
            "; ".join(o.issue_area_labels()),
            o.geographies,
            o.languages,
            o.base_size or "",
            o.website,
            contact_value(request.user, o, "contact_email"),
        ]
        for o in organizations
    )
    return csv_response("organizations.csv", header, rows)


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_visible_or_404(Organization.objects.all(), request.user, pk=pk)
    user = request.user
    context = {
        "organization": organization,
        "can_edit": can_edit(user, organization),
        "show_contact": can_see_contact(user, organization),
        "campaigns": Campaign.objects.visible_to(user).filter(organization=organization),
        "people": Person.objects.visible_to(user)
        .filter(roles__organization=organization)
        .distinct(),
        "can_manage_members": can_manage_members(user, organization),
        "partnerships": queries.partnerships_for(user).filter(cpbo=organization),
    }
    if context["can_manage_members"]:
        context["memberships"] = organization.memberships.select_related("user")
        context["invitations"] = organization.invitations.filter(accepted_at__isnull=True)
    return render(request, "partners/organization_detail.html", context)


@department_required
@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None, self_managed=False)
    invite = InviteFirstAdminForm(request.POST or None)
    confirm = NotDuplicateForm(
        request.POST or None, label=_("This is a different organization; save anyway")
    )
    possible = []
    if request.method == "POST" and form.is_valid() and invite.is_valid():
        data = form.cleaned_data
        if not confirm.confirmed():
            possible = queries.possible_duplicate_organizations(
                request.user,
                name=data["name"],
                email=data["contact_email"],
                website=data["website"],
            )
        if not possible:
            return _create_organization(request, data, invite.cleaned_data.get("email"))
    context = {"form": form, "invite": invite, "possible": possible, "confirm": confirm}
    return render(request, "partners/organization_form.html", context)


def _create_organization(request: HttpRequest, data: dict, email: str | None) -> HttpResponse:
    organization = actions.create_organization(actor=request.user, **data)
    if email and request.user.is_department_admin:
        account_actions.invite(
            actor=request.user,
            email=email,
            organization=organization,
            membership_role="admin",
            request=request,
        )
        messages.success(request, _("Organization added and its first admin invited."))
    else:
        messages.success(request, _("Organization added."))
    return redirect(organization)


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_editable_or_403(Organization.objects.all(), request.user, pk=pk)
    self_managed = organization.owning_organization_id() is not None
    if self_managed and pk not in request.user.admin_organization_ids:
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=organization, self_managed=self_managed)
    if request.method == "POST" and form.is_valid():
        stored = Organization.objects.get(pk=pk)
        actions.update_organization(actor=request.user, organization=stored, **form.cleaned_data)
        messages.success(request, _("Organization saved."))
        return redirect(stored)
    return render(
        request, "partners/organization_form.html", {"form": form, "organization": organization}
    )


# People ------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_department or request.user.is_partner):
        raise PermissionDenied
    people = queries.search_people(request.user, PersonFilterForm(request.GET).filters())
    page = paginate(request, people)
    context = {
        "page": page,
        "people": page.object_list,
        "query": query_without_page(request),
        "filters": request.GET,
        "organizations": Organization.objects.visible_to(request.user),
    }
    return render(request, "partners/person_list.html", context)


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person.objects.all(), request.user, pk=pk)
    context = {
        "person": person,
        "can_edit": can_edit(request.user, person),
        "show_contact": can_see_contact(request.user, person),
        "roles": person.roles.select_related("organization").filter(
            organization__in=Organization.objects.visible_to(request.user)
        ),
    }
    return render(request, "partners/person_detail.html", context)


def _person_form_owner(request: HttpRequest) -> Organization | None:
    """A partner records people for their organization; staff for the department."""
    if request.user.is_department:
        return None
    orgs = Organization.objects.filter(pk__in=request.user.organization_ids)
    if not orgs:
        raise PermissionDenied
    return orgs.first()


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    owner = _person_form_owner(request)
    form = PersonForm(request.POST or None, user=request.user, owned_by_department=owner is None)
    confirm = NotDuplicateForm(
        request.POST or None, label=_("This is a different person; save anyway")
    )
    possible = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if not confirm.confirmed():
            possible = queries.possible_duplicate_people(
                request.user, name=data["name"], email=data["email"]
            )
        if not possible:
            org, title = data.pop("role_organization"), data.pop("role_title")
            person = actions.save_person(
                actor=request.user,
                organization=owner,
                roles=[(org, title)] if org else [],
                **data,
            )
            messages.success(request, _("Person added."))
            return redirect(person)
    context = {"form": form, "possible": possible, "confirm": confirm}
    return render(request, "partners/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_editable_or_403(Person.objects.all(), request.user, pk=pk)
    form = PersonForm(
        request.POST or None,
        instance=person,
        user=request.user,
        owned_by_department=person.organization_id is None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org, title = data.pop("role_organization"), data.pop("role_title")
        stored = Person.objects.get(pk=pk)
        actions.save_person(
            actor=request.user, person=stored, roles=[(org, title)] if org else [], **data
        )
        messages.success(request, _("Person saved."))
        return redirect(stored)
    return render(request, "partners/person_form.html", {"form": form, "person": person})


@login_required
@require_http_methods(["GET", "POST"])
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_editable_or_403(Person.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        actions.delete_person(actor=request.user, person=person)
        messages.success(request, _("Person deleted."))
        return redirect("partners:people")
    return render(request, "partners/confirm_delete.html", {"record": person})


# Partnerships ------------------------------------------------------------------------------


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
