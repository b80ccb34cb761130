"""Pages of API results: ``?page=N&page_size=M``, ordered so that sync clients never miss a row."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int | None = Field(
        None,
        ge=1,
        le=500,
        description="Records per page (default API_PAGE_SIZE, at most API_MAX_PAGE_SIZE).",
    )
    updated_since: datetime | None = Field(
        None,
        description="Only records changed at or after this time (ISO 8601, e.g. "
        "2025-03-01T00:00:00Z). Results are ordered by time changed, oldest first: a sync "
        "client keeps the largest `updated` it saw and passes it next time.",
    )


def _as_utc(moment: datetime) -> datetime:
    """The moment in UTC: databases refuse odd offsets (PostgreSQL stops at ±15:59)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+23:00: before anything was recorded
        return datetime.min.replace(tzinfo=UTC)


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    params: PageParams,
    serialize: Any,
    *,
    updated_field: str = "updated",
) -> dict[str, Any]:
    """One page of ``queryset`` (filtered by ``updated_since``), each record ``serialize``d."""
    if params.updated_since is not None:
        queryset = queryset.filter(**{f"{updated_field}__gte": _as_utc(params.updated_since)})
    queryset = queryset.order_by(updated_field, "pk")
    size = min(params.page_size or settings.API_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
    count = queryset.count()
    pages = max(1, math.ceil(count / size))
    page = params.page
    start = (page - 1) * size
    records = list(queryset[start : start + size]) if page <= pages else []
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "next": _link(request, page + 1) if page < pages else None,
        "previous": _link(request, page - 1) if 1 < page <= pages + 1 else None,
        "results": [serialize(record) for record in records],
    }
