"""Regulatory actions in the API: the same reads as the pages (``regulatory.queries``), with
only the campaigns the caller may see. Read-only: actions are recorded on the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from powershare.api.pagination import PageParams, paginate
from powershare.api.schemas import MAX_ID, Ref, choice, page_of, responses
from powershare.visibility import Visibility, get_visible_or_404
from regulatory import queries
from regulatory.models import RegulatoryAction

router = Router(tags=["regulatory actions"])


class CampaignRef(Schema):
    id: int
    title: str


class RegulatoryActionOut(Schema):
    id: int
    title: str
    authority: Ref
    description: str
    status: choice(RegulatoryAction.Status)
    campaigns: list[CampaignRef] = Field(description="Only campaigns you may see.")
    started: date | None
    next_date: date | None
    next_date_label: str
    completed: date | None
    violations_found: int
    orders_issued: int
    fines: float
    outcome: str
    visibility: choice(Visibility)
    url: str
    created: datetime
    updated: datetime


class ActionFilters(PageParams):
    q: str = Field("", max_length=200)
    status: choice(RegulatoryAction.Status) | None = None
    campaign: int | None = Field(None, ge=1, le=MAX_ID)


def action_out(request: HttpRequest, action: RegulatoryAction) -> dict[str, Any]:
    skip = {"authority", "campaigns", "url", "fines"}
    return {
        **{f: getattr(action, f) for f in RegulatoryActionOut.model_fields if f not in skip},
        "authority": {"id": action.authority_id, "name": action.authority.name},
        "campaigns": list(queries.visible_campaigns_of(request.user, action)),
        "fines": float(action.fines),
        "url": request.build_absolute_uri(action.get_absolute_url()),
    }


@router.get(
    "/regulatory-actions",
    response=responses(page_of(RegulatoryActionOut, "RegulatoryActionPage")),
    url_name="regulatory_actions",
    summary="Regulatory actions: inspections, orders, permits and rules used for campaigns",
)
def list_actions(request: HttpRequest, filters: Query[ActionFilters]) -> Any:
    params = {"q": filters.q, "status": filters.status, "campaign": str(filters.campaign or "")}
    found = queries.search_actions(request.user, params)
    return paginate(request, found, filters, lambda a: action_out(request, a))


@router.get(
    "/regulatory-actions/{action_id}",
    response=responses(RegulatoryActionOut),
    url_name="regulatory_action",
    summary="One regulatory action",
)
def get_action(request: HttpRequest, action_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    action = get_visible_or_404(
        RegulatoryAction.objects.select_related("authority"), request.user, pk=action_id
    )
    return action_out(request, action)
