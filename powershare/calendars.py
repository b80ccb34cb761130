"""What every iCalendar feed shares: UIDs on the deployment's domain (never the Host a
request came by, or a second host name would duplicate every event), absolute URLs on
``SITE_URL``, and an ETag and Last-Modified with conditional GET, so calendar programs that
poll the feed get a 304 while nothing changed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date

from powershare.site import site_domain


def uid(kind: str, pk: int) -> str:
    """A UID stable across host names and deployments' moves: ``<kind>-<id>@<site domain>``."""
    return f"{kind}-{pk}@{site_domain()}"


def calendar_response(
    request: HttpRequest, body: bytes, *, filename: str, changed: Iterable[datetime]
) -> HttpResponse:
    """``body`` as a ``text/calendar`` answer with ETag and Last-Modified (the latest of
    ``changed``), or a 304 when the client's copy is current."""
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    latest = max(changed, default=None)
    stamp = int(latest.timestamp()) if latest else None
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    conditional = get_conditional_response(
        request, etag=etag, last_modified=stamp, response=response
    )
    return conditional if conditional is not None else response
