"""Every error of the API as RFC 9457 problem details: ``application/problem+json`` with
``type``, ``title``, ``status`` and ``detail`` (and ``errors``, each ``field`` and ``message``,
for refused or malformed input). Exceptions raised in an operation come here through the API's
exception handlers; what Django answers before an operation runs (no such path, a malformed id,
a method the path lacks) through ``guard``, which wraps every URL of the API."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from powershare.api.auth import ApiError

logger = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"
CHALLENGE = 'Bearer realm="powershare"'


def title(status: int) -> str:
    """The status in words (with ``type`` ``about:blank``, RFC 9457 asks for the HTTP phrase)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: str, *, headers: dict[str, str] | None = None, **extra: Any):
    """A problem-details response: ``status``, its title, ``detail``, and extension members."""
    body = {"type": "about:blank", "title": title(status), "status": status, "detail": detail}
    response = HttpResponse(
        json.dumps({**body, **extra}, cls=DjangoJSONEncoder),
        status=status,
        content_type=MEDIA_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = CHALLENGE
    return response


def _messages(error: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": f"body.{name}" if name != "__all__" else "body", "message": str(m)}
            for name, errors in error.message_dict.items()
            for m in errors
        ]
    return [{"field": "body", "message": str(m)} for m in error.messages]


def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = _messages(exc)
    summary = " ".join(
        f"{e['field'].removeprefix('body.')}: {e['message']}" if "." in e["field"] else e["message"]
        for e in errors
    )
    return problem(400, summary, errors=errors)


def _malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in e.get("loc", ())),
            "message": str(e.get("msg", "invalid")),
        }
        for e in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or _("Invalid input.")
    return problem(422, summary, errors=errors)


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if settings.DEBUG:
        raise exc
    logger.exception("API error on %s %s", request.method, request.path)
    return problem(500, "Something went wrong on our side; it has been logged.")


HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    ApiError: lambda request, exc: problem(exc.status, exc.message, headers=exc.headers),
    AuthenticationError: lambda request, exc: problem(
        401, "The token is missing, unknown or revoked."
    ),
    # The same answer for "does not exist" and "you may not see it".
    Http404: lambda request, exc: problem(404, "Not found."),
    PermissionDenied: lambda request, exc: problem(403, "You may not do this."),
    DjangoValidationError: _refused,
    NinjaValidationError: _malformed,
    HttpError: lambda request, exc: problem(exc.status_code, str(exc)),
    Exception: _server_error,
}


def install(api: NinjaAPI) -> None:
    """Answer every exception an operation raises with a problem."""
    for exc_class, handler in HANDLERS.items():
        api.add_exception_handler(exc_class, handler)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under the API that names no operation, a malformed id (``/asks/abc``) too."""
    return problem(404, "Not found.")


def guard(view: Callable[..., Any]) -> Callable[..., Any]:
    """``view`` with Django's own answers turned into problems: its 404 (the API's root), and
    the 405 of a method the path lacks (its ``Allow`` header kept)."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        if response.status_code == 405 and response.get("Content-Type", "") != MEDIA_TYPE:
            allowed = response.get("Allow", "")
            return problem(
                405,
                _("%(method)s is not allowed here; this path accepts %(allowed)s.")
                % {"method": request.method, "allowed": allowed or _("no method")},
                headers={"Allow": allowed},
            )
        return response

    return guarded
