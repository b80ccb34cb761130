"""Recommendations of the advisory board and the department's responses, in the API.

The same reads as the pages: ``Recommendation.objects.visible_to(user)`` (published ones for
everyone, drafts for department staff and board members); draft responses only for staff.
Read-only: responses are written on the pages, through ``accountability.actions``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from accountability import rules
from accountability.models import Commitment, Recommendation, Response
from powershare.api.pagination import PageParams, paginate
from powershare.api.schemas import MAX_ID, Ref, choice, page_of, responses
from powershare.visibility import get_visible_or_404

router = Router(tags=["recommendations"])


class ResponseOut(Schema):
    id: int
    decision: choice(Response.Decision)
    rationale: str
    created: datetime
    published: datetime | None = Field(description="Null for a draft (staff only).")


class CommitmentOut(Schema):
    id: int
    description: str
    due: date
    status: choice(Commitment.Status)
    completed: date | None


class RecommendationOut(Schema):
    id: int
    number: str
    title: str
    text: str
    rationale: str
    status: choice(Recommendation.Status)
    addressed_to: Ref
    adopted_on: date | None
    published: datetime | None
    response_due: date | None
    first_response: datetime | None
    responses: list[ResponseOut]
    commitments: list[CommitmentOut]
    url: str
    created: datetime
    updated: datetime


class RecommendationFilters(PageParams):
    status: choice(Recommendation.Status) | None = None


def recommendation_out(
    request: HttpRequest | None, recommendation: Recommendation, *, user: Any = None
) -> dict[str, Any]:
    """A recommendation as ``user`` (by default the caller) may read it."""
    from support.api import absolute

    user = user if user is not None else request.user  # type: ignore[union-attr]
    answers = recommendation.responses.all()
    if not rules.can_answer(user):
        answers = answers.filter(published__isnull=False)
    return {
        **{
            f: getattr(recommendation, f)
            for f in RecommendationOut.model_fields
            if f not in {"addressed_to", "responses", "commitments", "url"}
        },
        "addressed_to": {
            "id": recommendation.addressed_to_id,
            "name": recommendation.addressed_to.name,
        },
        "responses": list(answers),
        "commitments": list(recommendation.commitments.all()),
        "url": absolute(request, recommendation.get_absolute_url()),
    }


@router.get(
    "/recommendations",
    response=responses(page_of(RecommendationOut, "RecommendationPage")),
    url_name="recommendations",
    summary="Recommendations of the advisory board, with responses and commitments",
)
def list_recommendations(request: HttpRequest, filters: Query[RecommendationFilters]) -> Any:
    found = Recommendation.objects.visible_to(request.user).select_related("addressed_to")
    if filters.status:
        found = found.filter(status=filters.status)
    return paginate(request, found, filters, lambda r: recommendation_out(request, r))


@router.get(
    "/recommendations/{recommendation_id}",
    response=responses(RecommendationOut),
    url_name="recommendation",
    summary="One recommendation",
)
def get_recommendation(
    request: HttpRequest, recommendation_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    found = get_visible_or_404(Recommendation.objects.all(), request.user, pk=recommendation_id)
    return recommendation_out(request, found)
