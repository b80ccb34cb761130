"""Organizations: list, export, detail, and the forms that create and edit one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import actions as account_actions
from partners import actions, queries
from partners.forms import (
    InviteFirstAdminForm,
    NotDuplicateForm,
    OrganizationFilterForm,
    OrganizationForm,
)
from partners.models import Campaign, IssueArea, Organization, Person
from partners.rules import can_manage_members, can_see_contact, contact_value
from powershare.decorators import department_required
from powershare.exports import csv_response
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_edit, get_editable_or_403, get_visible_or_404


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
