"""Relationships, funders, import and duplicates. Thin: parse, check, call, render.

The campaign pages (power grid, graph, paths) are in :mod:`network.campaign_views`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from network import actions, duplicates, exports, imports, queries
from network.forms import (
    FunderFilterForm,
    GrantForm,
    ImportForm,
    MergeForm,
    RelationshipFilterForm,
    RelationshipForm,
    actor_key_field,
)
from network.models import Kind, Relationship, Strength
from network.rules import records_network
from partners.models import Campaign, IssueArea, Organization, Person
from partners.rules import contact_value
from powershare.filters import IdField, read_param
from powershare.pagination import paginate, query_without_page
from powershare.visibility import can_edit, get_editable_or_403, get_visible_or_404


def index(request: HttpRequest) -> HttpResponse:
    campaigns = (
        Campaign.objects.visible_to(request.user)
        .select_related("organization")
        .order_by("organization__name", "title")
    )
    page = paginate(request, campaigns)
    context = {
        "page": page,
        "campaigns": page.object_list,
        "query": query_without_page(request),
        "can_record": records_network(request.user),
    }
    return render(request, "network/index.html", context)


# Relationships ----------------------------------------------------------------------------


def _recorders(request: HttpRequest) -> list[tuple[str, str]]:
    options = [(queries.DEPARTMENT, _("The department"))]
    own = Organization.objects.filter(pk__in=getattr(request.user, "organization_ids", []) or [])
    return options + [(str(o.pk), o.name) for o in own]


def relationship_list(request: HttpRequest) -> HttpResponse:
    filters = RelationshipFilterForm(request.GET).filters()
    rels = queries.search_relationships(request.user, filters)
    page = paginate(request, rels)
    context = {
        "page": page,
        "relationships": page.object_list,
        "query": query_without_page(request),
        "filters": request.GET,
        "kinds": Kind.choices,
        "strengths": Strength.choices,
        "chosen_kinds": request.GET.getlist("kind"),
        "chosen_strengths": request.GET.getlist("strength"),
        "recorders": _recorders(request),
        "can_record": records_network(request.user),
        "actor": queries.find_actor(request.user, filters.get("actor", "")),
    }
    return render(request, "network/relationship_list.html", context)


def relationship_export(request: HttpRequest) -> HttpResponse:
    filters = RelationshipFilterForm(request.GET).filters()
    rels = queries.search_relationships(request.user, filters)
    return exports.csv_export(request.user, rels, "relationships.csv")


def relationship_graphml(request: HttpRequest) -> HttpResponse:
    filters = RelationshipFilterForm(request.GET).filters()
    rels = queries.search_relationships(request.user, filters)
    return exports.graphml_export(request.user, rels, "relationships.graphml")


def relationship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = get_visible_or_404(
        queries.visible_relationships(request.user), request.user, pk=pk
    )
    context = {"relationship": relationship, "can_edit": can_edit(request.user, relationship)}
    return render(request, "network/relationship_detail.html", context)


def _save_relationship(
    request: HttpRequest, form: RelationshipForm, stored: Relationship | None
) -> Relationship | None:
    data = dict(form.cleaned_data)
    ends = {"from_actor": data.pop("from_actor"), "to_actor": data.pop("to_actor")}
    try:
        if stored is None:
            return actions.create_relationship(
                actor=request.user,
                organization=actions.owner_for(request.user),
                **ends,
                **data,
            )
        return actions.update_relationship(actor=request.user, relationship=stored, **ends, **data)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def relationship_new(request: HttpRequest) -> HttpResponse:
    if not records_network(request.user):
        raise PermissionDenied
    given = {k: read_param(request.GET, k, actor_key_field()) for k in ("from_actor", "to_actor")}
    initial = {k: v for k, v in given.items() if v}
    form = RelationshipForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        relationship = _save_relationship(request, form, None)
        if relationship is not None:
            messages.success(request, _("Relationship recorded."))
            return redirect(relationship)
    status = 400 if form.errors else 200
    return render(request, "network/relationship_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def relationship_edit(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = get_editable_or_403(
        queries.visible_relationships(request.user), request.user, pk=pk
    )
    form = RelationshipForm(request.POST or None, instance=relationship, user=request.user)
    if request.method == "POST" and form.is_valid():
        stored = Relationship.objects.get(pk=pk)
        if _save_relationship(request, form, stored) is not None:
            messages.success(request, _("Relationship saved."))
            return redirect(stored)
    context = {"form": form, "relationship": relationship}
    return render(
        request, "network/relationship_form.html", context, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_delete(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = get_editable_or_403(
        queries.visible_relationships(request.user), request.user, pk=pk
    )
    if request.method == "POST":
        actions.delete_relationship(actor=request.user, relationship=relationship)
        messages.success(request, _("Relationship deleted."))
        return redirect("network:relationships")
    return render(
        request,
        "network/confirm_delete.html",
        {"record": relationship, "back": relationship.get_absolute_url()},
    )


# Funders and grants -----------------------------------------------------------------------


def funder_list(request: HttpRequest) -> HttpResponse:
    found = queries.funders(request.user, FunderFilterForm(request.GET).filters())
    page = paginate(request, found)
    context = {
        "page": page,
        "funders": page.object_list,
        "query": query_without_page(request),
        "filters": request.GET,
        "issue_areas": IssueArea.choices,
        "can_record": records_network(request.user),
    }
    return render(request, "network/funder_list.html", context)


def funder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    funder = get_visible_or_404(
        Organization.objects.filter(kind=Organization.Kind.FUNDER), request.user, pk=pk
    )
    grants = queries.visible_grants(request.user).filter(funder=funder)
    context = {
        "funder": funder,
        "grants": grants,
        "relationships": queries.relationships_of(request.user, funder),
        "can_record": records_network(request.user),
        "editable": {g.pk for g in grants if can_edit(request.user, g)},
    }
    return render(request, "network/funder_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grant_new(request: HttpRequest) -> HttpResponse:
    if not records_network(request.user):
        raise PermissionDenied
    funder = read_param(request.GET, "funder", IdField(label=_("Funder")))
    initial = {"funder": funder} if funder else {}
    form = GrantForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        grant = actions.record_grant(
            actor=request.user, organization=actions.owner_for(request.user), **form.cleaned_data
        )
        messages.success(request, _("Grant recorded."))
        return redirect(grant)
    return render(
        request, "network/grant_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_editable_or_403(queries.visible_grants(request.user), request.user, pk=pk)
    if request.method == "POST":
        actions.delete_grant(actor=request.user, grant=grant)
        messages.success(request, _("Grant deleted."))
        return redirect("network:funder", grant.funder_id)
    return render(
        request, "network/confirm_delete.html", {"record": grant, "back": grant.get_absolute_url()}
    )


# Import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    if not records_network(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict = {"form": form, "columns": imports.COLUMNS, "kinds": Kind.values}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if request.POST.get("run") == "1":
                plan = imports.run_import(
                    actor=request.user, text=text, visibility=form.cleaned_data["visibility"]
                )
                messages.success(request, import_summary(plan))
                return redirect("network:relationships")
            plan = imports.plan_import(request.user, text)
        except (imports.ImportError_, ValidationError) as error:
            form.add_error(
                "file", error.messages[0] if isinstance(error, ValidationError) else str(error)
            )
        else:
            context.update(plan=plan, text=text, visibility=form.cleaned_data["visibility"])
    status = 400 if form.errors else 200
    return render(request, "network/import.html", context, status=status)


def import_summary(plan: imports.Plan) -> str:
    """What an import did, each count with its own plural."""
    people, rels, rejected = len(plan.actors_created), plan.count("create"), len(plan.rejected)
    created = _("Imported: %(people)s, %(rels)s.") % {
        "people": ngettext(
            "%(n)s new person or organization", "%(n)s new people and organizations", people
        )
        % {"n": people},
        "rels": ngettext("%(n)s relationship", "%(n)s relationships", rels) % {"n": rels},
    }
    skipped = ngettext(
        "%(n)s row was rejected and skipped.", "%(n)s rows were rejected and skipped.", rejected
    ) % {"n": rejected}
    return f"{created} {skipped}"


# Duplicates -------------------------------------------------------------------------------


def _candidates(request: HttpRequest) -> tuple[list, list]:
    """Records the user could merge: their own people; for staff, the department's directory."""
    user = request.user
    people = [
        duplicates.Candidate(f"p{p.pk}", p.name, contact_value(user, p, "email"), "", p)
        for p in Person.objects.visible_to(user).editable_by(user)
    ]
    orgs = []
    if user.is_department:
        orgs = [
            duplicates.Candidate(
                f"o{o.pk}", o.name, contact_value(user, o, "contact_email"), o.website, o
            )
            for o in Organization.objects.visible_to(user).filter(memberships__isnull=True)
        ]
    return people, orgs


@login_required
def duplicate_list(request: HttpRequest) -> HttpResponse:
    if not records_network(request.user):
        raise PermissionDenied
    people, orgs = _candidates(request)
    context = {
        "person_pairs": duplicates.pairs(people),
        "org_pairs": duplicates.pairs(orgs),
        "merges": queries.merges(request.user)[:50],
    }
    return render(request, "network/duplicates.html", context)


def _mergeable(request: HttpRequest, key: str) -> Person | Organization:
    actor = queries.find_actor(request.user, key)
    if actor is None:
        raise Http404
    if not can_edit(request.user, actor):
        raise PermissionDenied
    if isinstance(actor, Organization) and not request.user.is_department:
        raise PermissionDenied
    return actor


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest) -> HttpResponse:
    if not records_network(request.user):
        raise PermissionDenied
    form = MergeForm(request.POST or request.GET or None)
    if not form.is_valid():
        messages.error(
            request, _("Choose two records to merge from the list of possible duplicates.")
        )
        return redirect("network:duplicates")
    keep = _mergeable(request, form.cleaned_data["keep"])
    drop = _mergeable(request, form.cleaned_data["drop"])
    if type(keep) is not type(drop) or keep.pk == drop.pk:
        messages.error(
            request, _("Only two different people, or two different organizations, can be merged.")
        )
        return redirect("network:duplicates")
    if request.method == "POST":
        try:
            actions.merge_records(actor=request.user, keep=keep, drop=drop)
        except actions.MergeConflict as error:
            messages.error(
                request,
                _("These records cannot be merged: both have a %(what)s that cannot be combined.")
                % {"what": error.args[0]},
            )
            return redirect("network:duplicates")
        messages.success(
            request, _("Merged “%(drop)s” into “%(keep)s”.") % {"drop": drop, "keep": keep}
        )
        return redirect(keep)
    context = {"form": form, "keep": keep, "drop": drop}
    return render(request, "network/merge_confirm.html", context)
