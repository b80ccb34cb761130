"""The API: one NinjaAPI at ``/api/v1/``; each app contributes a router from ``<app>/api.py``.

An app's ``api.py`` defines ``router = Router(tags=[...])`` with its operations, each with an
explicit ``url_name`` (the permission matrix refers to it as ``api:<url_name>``). This module
finds those routers and adds the project-wide ones (statistics, webhooks). Every error is a
problem (``powershare.api.problems``, RFC 9457) with the right status: 400 for refused input, 401
without a valid token, 403 when the user may not, 404 when they cannot see the record (or it
does not exist, or the path names nothing), 405 for a method the path lacks, 422 for malformed
parameters, 429 past the rate limit. The OpenAPI document says so (``powershare.api.openapi``).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI

from powershare.api import openapi, problems
from powershare.api.auth import TokenAuth


class PowershareAPI(NinjaAPI):
    """Ninja's API with a truthful schema and problem details wherever Django would answer."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return openapi.finish(self, super().get_openapi_schema(**kwargs))

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = problems.guard(pattern.callback)
        # Last: a path no operation matches, such as /asks/abc, is a 404 problem too.
        return [*urls, re_path(r"^.*$", problems.not_found, name="not-found")]


api = PowershareAPI(
    title="Powershare API",
    version="1",
    description=(
        "Organizations, campaigns, asks and their timeline, statistics and webhooks. Every "
        "call sees exactly what the token's user sees on the pages; without a token, what the "
        "public sees (reads only). Errors are RFC 9457 problem details "
        "(`application/problem+json`: `type`, `title`, `status`, `detail`). See docs/api.md."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
problems.install(api)


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
