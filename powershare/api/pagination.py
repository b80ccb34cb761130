"""Pages of API results: ``?page=N&page_size=M``, ordered so that sync clients never miss a row."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

# An ISO 8601 date-time: a date, a time to the minute at least, optionally seconds, a fraction and
# an offset (none means UTC). Pydantic alone also reads a bare number as a Unix time, and a date.
ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?"
)
EXAMPLE = "2025-03-01T17:00:00Z"


def _iso_only(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_DATETIME.fullmatch(value.strip()):
        raise PydanticCustomError(
            "iso_datetime",
            "expected an ISO 8601 date-time such as {example}",
            {"example": EXAMPLE},
        )
    return value.strip()


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    page_size: int | None = Field(
        None,
        ge=1,
        le=500,
        description="Records per page (default API_PAGE_SIZE, at most API_MAX_PAGE_SIZE).",
    )
    updated_since: IsoDateTime | None = Field(
        None,
        description="Only records changed at or after this time: an ISO 8601 date-time, e.g. "
        f"{EXAMPLE} (without an offset, UTC). Results are ordered by time changed, oldest first: a sync "
        "client keeps the largest `updated` it saw and passes it next time.",
    )


def _as_utc(moment: datetime) -> datetime:
    """The moment in UTC: databases refuse odd offsets (PostgreSQL stops at ±15:59)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+23:00 is before anything, 9999-12-31T23:59-23:00 after
        edge = datetime.min if moment.year == datetime.min.year else datetime.max
        return edge.replace(tzinfo=UTC)


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
