"""The API: one NinjaAPI at ``/api/v1/``; each app contributes a router from ``<app>/api.py``.

An app's ``api.py`` defines ``router = Router(tags=[...])`` with its operations, each with an
explicit ``url_name`` (the permission matrix refers to it as ``api:<url_name>``). This module
finds those routers, adds the project-wide ones (statistics, webhooks), and turns errors into
``{"detail": ...}`` answers with the right status: 400 for refused input, 401 without a valid
token, 403 when the user may not, 404 when they cannot see the record (or it does not exist),
422 for malformed parameters, 429 past the rate limit.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from powershare.api.auth import ApiError, TokenAuth

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Powershare API",
    version="1",
    description=(
        "Organizations, campaigns, asks and their timeline, statistics and webhooks. Every "
        "call sees exactly what the token's user sees on the pages. See docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    response = _error(request, exc.status, exc.message)
    for name, value in exc.headers.items():
        response[name] = value
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="powershare"'
    return response


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(request, 401, "The token is missing, unknown or revoked.")
    response["WWW-Authenticate"] = 'Bearer realm="powershare"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # The same answer for "does not exist" and "you may not see it".
    return _error(request, 404, "Not found.")


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, "You may not do this.")


def _messages(error: DjangoValidationError) -> list[dict[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            {"field": f"body.{name}" if name != "__all__" else "body", "message": str(m)}
            for name, errors in error.message_dict.items()
            for m in errors
        ]
    return [{"field": "body", "message": str(m)} for m in error.messages]


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors = _messages(exc)
    summary = " ".join(
        f"{e['field'].removeprefix('body.')}: {e['message']}" if "." in e["field"] else e["message"]
        for e in errors
    )
    return _error(request, 400, summary, errors=errors)


@api.exception_handler(NinjaValidationError)
def _malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in e.get("loc", ())),
            "message": str(e.get("msg", "invalid")),
        }
        for e in exc.errors
    ]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5]) or "Invalid input."
    return _error(request, 422, summary, errors=errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if settings.DEBUG:
        raise exc
    logger.exception("API error on %s %s", request.method, request.path)
    return _error(request, 500, "Something went wrong on our side; it has been logged.")


def _app_modules() -> list[Any]:
    root = str(settings.BASE_DIR)
    modules = []
    for config in apps.get_app_configs():
        if not config.path.startswith(root) or "/.venv/" in config.path:
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.api"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.api":
                raise
    return modules


def _mount() -> None:
    from powershare.api import stats, webhook_routes

    for module in _app_modules():
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "PREFIX", ""), router)
    api.add_router("", stats.router)
    api.add_router("", webhook_routes.router)


_mount()
