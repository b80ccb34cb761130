"""People the department and partners work with (leaders, officials, agency staff): list,
detail, form and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners import actions, queries
from partners.forms import NotDuplicateForm, PersonFilterForm, PersonForm
from partners.models import Organization, Person
from partners.rules import can_see_contact
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_edit, get_editable_or_403, get_visible_or_404


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
