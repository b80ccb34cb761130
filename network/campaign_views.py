"""A campaign's power map: the power grid with positions and their history, the power
inventory, the network graph, paths to decision-makers, funders, and exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from network import actions, charts, exports, queries
from network.forms import KindFilterForm, PositionForm, PowerForm_, actor_key_field
from network.models import Kind, Position, PowerHolding, Strength
from network.rules import can_add_power, can_map
from partners.models import Campaign
from powershare.filters import read_param
from powershare.visibility import can_edit, get_visible_or_404


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("organization"), request.user, pk=pk)


def _map_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    positions = queries.positions(request.user, campaign)
    inventory = list(queries.power_inventory(request.user, campaign))
    return {
        "campaign": campaign,
        "positions": positions,
        "grid": queries.power_grid(positions),
        "chart": charts.layout(positions),
        "inventory": inventory,
        "inventory_editable": {h.pk for h in inventory if can_edit(request.user, h)},
        "can_map": can_map(request.user, campaign),
        "can_add_power": can_add_power(request.user, campaign),
        "tab": "map",
    }


def campaign_map(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    return render(request, "network/campaign_map.html", _map_context(request, campaign))


def _filters(request: HttpRequest) -> tuple[KindFilterForm, list[str], list[int]]:
    form = KindFilterForm(request.GET)
    filters = form.filters()
    return form, list(filters.get("kind", [])), list(filters.get("strength", []))


def campaign_graph(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    form, kinds, strengths = _filters(request)
    network = queries.campaign_network(request.user, campaign, kinds=kinds, strengths=strengths)
    context = {
        "campaign": campaign,
        "form": form,
        "network": network,
        "graph_data": queries.network_json(network),
        "kinds": Kind.choices,
        "strengths": Strength.choices,
        "query": request.GET.urlencode(),
        "tab": "graph",
    }
    return render(request, "network/campaign_graph.html", context)


def campaign_paths(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    sources = queries.path_sources(request.user)
    targets = [
        (queries.actor_key(a), str(a)) for a in queries.decision_makers(request.user, campaign)
    ]
    source = request.GET.get("source", "")
    target = request.GET.get("target", "")
    context: dict[str, Any] = {
        "campaign": campaign,
        "sources": sources,
        "targets": targets,
        "source": source,
        "target": target,
        "tab": "paths",
    }
    errors = {}
    if "target" in request.GET:
        if source not in {key for key, _label in sources}:
            errors["source"] = _("Choose where the chain starts.")
        if target not in {key for key, _label in targets}:
            errors["target"] = _("Choose a decision-maker of this campaign.")
        if not errors:
            found = queries.find_paths(request.user, source, target)
            context["paths"] = found
            context["source_label"] = dict(sources)[source]
            context["target_label"] = dict(targets)[target]
            context["names"] = _names(request, found)
    context["errors"] = errors
    return render(request, "network/campaign_paths.html", context, status=400 if errors else 200)


def _names(request: HttpRequest, found: queries.Paths) -> dict[str, Any]:
    names: dict[str, Any] = {queries.DEPARTMENT: _("The department")}
    for chain in (found.shortest, found.strongest):
        for step in chain or []:
            r = step.edge.data
            names[r.source_key] = r.source_actor
            names[r.target_key] = r.target_actor
    return names


def campaign_funders(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    context = {
        "campaign": campaign,
        "leads": queries.funders_for_campaign(request.user, campaign),
        "tab": "funders",
    }
    return render(request, "network/campaign_funders.html", context)


def _campaign_relationships(request: HttpRequest, campaign: Campaign) -> queries.Network:
    _form, kinds, strengths = _filters(request)
    return queries.campaign_network(request.user, campaign, kinds=kinds, strengths=strengths)


def campaign_export(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    network = _campaign_relationships(request, campaign)
    return exports.csv_export(request.user, network.relationships, f"power-map-{campaign.pk}.csv")


def campaign_graphml(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    network = _campaign_relationships(request, campaign)
    extra = [p.actor for p in queries.positions(request.user, campaign)]
    return exports.graphml_export(
        request.user, network.relationships, f"power-map-{campaign.pk}.graphml", extra=extra
    )


# Positions --------------------------------------------------------------------------------


def _mappable(request: HttpRequest, pk: int) -> Campaign:
    campaign = _campaign(request, pk)
    if not can_map(request.user, campaign):
        raise PermissionDenied
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def position_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _mappable(request, pk)
    actor = read_param(request.GET, "actor", actor_key_field())
    initial = {"actor": actor} if actor else {}
    form = PositionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actions.place_actor(
                actor=request.user, campaign=campaign, who=data.pop("actor"), **data
            )
        except (IntegrityError, ValidationError):
            form.add_error(
                "actor",
                _(
                    "This person or organization is already on the map; add a new assessment to their position instead."
                ),
            )
        else:
            messages.success(request, _("Placed on the map."))
            return redirect("network:campaign", campaign.pk)
    context = {"form": form, "campaign": campaign}
    return render(
        request, "network/position_form.html", context, status=400 if form.errors else 200
    )


def _position(request: HttpRequest, pk: int) -> Position:
    return get_visible_or_404(
        Position.objects.select_related("campaign__organization", "person", "actor_organization"),
        request.user,
        pk=pk,
    )


def position_detail(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk)
    context = {
        "position": position,
        "campaign": position.campaign,
        "history": queries.assessments(position),
        "can_map": can_map(request.user, position.campaign),
        "form": PositionForm(
            user=request.user,
            with_actor=False,
            initial={
                "stance": position.stance,
                "influence": position.influence,
                "tier": position.tier,
                "role": position.role,
            },
        ),
        "relationships": queries.relationships_of(request.user, position.actor)[:20],
    }
    return render(request, "network/position_detail.html", context)


@login_required
@require_POST
def position_assess(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk)
    if not can_map(request.user, position.campaign):
        raise PermissionDenied
    form = PositionForm(request.POST, user=request.user, with_actor=False)
    if form.is_valid():
        actions.assess_position(actor=request.user, position=position, **form.cleaned_data)
        messages.success(request, _("Assessment recorded."))
        return redirect(position)
    context = {
        "position": position,
        "campaign": position.campaign,
        "history": queries.assessments(position),
        "can_map": True,
        "form": form,
        "relationships": queries.relationships_of(request.user, position.actor)[:20],
    }
    return render(request, "network/position_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def position_delete(request: HttpRequest, pk: int) -> HttpResponse:
    position = _position(request, pk)
    if not can_map(request.user, position.campaign):
        raise PermissionDenied
    if request.method == "POST":
        actions.remove_position(actor=request.user, position=position)
        messages.success(request, _("Taken off the map."))
        return redirect("network:campaign", position.campaign_id)
    back = position.get_absolute_url()
    return render(request, "network/confirm_delete.html", {"record": position, "back": back})


# Power inventory --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def power_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    if not can_add_power(request.user, campaign):
        raise PermissionDenied
    form = PowerForm_(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        actions.add_power(
            actor=request.user,
            campaign=campaign,
            who=data.pop("actor"),
            organization=actions.owner_for(request.user),
            **data,
        )
        messages.success(request, _("Added to the power inventory."))
        return redirect("network:campaign", campaign.pk)
    context = {"form": form, "campaign": campaign}
    return render(request, "network/power_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def power_delete(request: HttpRequest, pk: int) -> HttpResponse:
    holding = get_visible_or_404(PowerHolding.objects.all(), request.user, pk=pk)
    if not can_edit(request.user, holding):
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_power(actor=request.user, holding=holding)
        messages.success(request, _("Removed from the power inventory."))
        return redirect("network:campaign", holding.campaign_id)
    return render(
        request,
        "network/confirm_delete.html",
        {"record": holding, "back": holding.get_absolute_url()},
    )
