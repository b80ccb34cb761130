"""Relationships of the power map in the API: the same reads as the pages
(``network.queries``): a relationship is listed only when the caller may read it and both its
ends. Read-only: relationships are recorded on the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from network import queries
from network.models import Kind, Relationship
from powershare.api.pagination import PageParams, paginate
from powershare.api.schemas import MAX_ID, choice, page_of, responses
from powershare.visibility import Visibility, get_visible_or_404

router = Router(tags=["relationships"])


class ActorRef(Schema):
    type: str = Field(description="`person` or `organization`.")
    id: int
    name: str


class RelationshipOut(Schema):
    id: int
    source: ActorRef
    kind: choice(Kind)
    target: ActorRef
    mutual: bool
    strength: int
    start: date | None
    end: date | None
    notes: str
    recorded_by_organization: int | None = Field(description="Null for the department's own.")
    visibility: choice(Visibility)
    url: str
    created: datetime
    updated: datetime


class RelationshipFilters(PageParams):
    q: str = Field("", max_length=200, description="Text in either end's name.")
    kind: choice(Kind) | None = None


def _actor(actor: Any) -> dict[str, Any]:
    kind = "person" if actor.__class__.__name__ == "Person" else "organization"
    return {"type": kind, "id": actor.pk, "name": actor.name}


def relationship_out(request: HttpRequest, rel: Relationship) -> dict[str, Any]:
    return {
        "id": rel.pk,
        "source": _actor(rel.source_actor),
        "kind": rel.kind,
        "target": _actor(rel.target_actor),
        "mutual": rel.mutual,
        "strength": rel.strength,
        "start": rel.start,
        "end": rel.end,
        "notes": rel.notes,
        "recorded_by_organization": rel.organization_id,
        "visibility": rel.visibility,
        "url": request.build_absolute_uri(rel.get_absolute_url()),
        "created": rel.created,
        "updated": rel.updated,
    }


@router.get(
    "/relationships",
    response=responses(page_of(RelationshipOut, "RelationshipPage")),
    url_name="relationships",
    summary="Relationships between people and organizations (the power map)",
)
def list_relationships(request: HttpRequest, filters: Query[RelationshipFilters]) -> Any:
    params = {"q": filters.q, "kind": [filters.kind] if filters.kind else []}
    found = queries.search_relationships(request.user, params)
    return paginate(request, found, filters, lambda r: relationship_out(request, r))


@router.get(
    "/relationships/{relationship_id}",
    response=responses(RelationshipOut),
    url_name="relationship",
    summary="One relationship",
)
def get_relationship(
    request: HttpRequest, relationship_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    rel = get_visible_or_404(
        queries.visible_relationships(request.user), request.user, pk=relationship_id
    )
    return relationship_out(request, rel)
