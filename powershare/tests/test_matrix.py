"""The visibility matrix: every URL of Powershare, requested as every role.

Rows for the core (home, accounts, partners, support, audit) are in ``core_matrix.py``; every
other app adds its own in ``<app>/tests/matrix.py`` (``ROWS`` and ``records(cast)``). Record
pages are requested for records of every visibility, and no answer may show a high-risk
contact value to a role that may not read it (``high_risk.py``). A URL added without a row
fails the coverage test."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from powershare.matrix import Row
from powershare.testing import Cast, make_cast
from powershare.tests.core_matrix import CORE_NAMESPACES, CORE_ROWS, core_records
from powershare.tests.high_risk import high_risk_leaks


def _project_apps() -> list[Any]:
    """Powershare's own apps, not Django's or third parties'."""
    root = str(settings.BASE_DIR)
    return [
        c for c in apps.get_app_configs() if c.path.startswith(root) and "/.venv/" not in c.path
    ]


def _app_matrices() -> list[Any]:
    """Each of Powershare's apps' ``tests/matrix.py``, where it has one."""
    modules = []
    for config in _project_apps():
        try:
            modules.append(importlib.import_module(f"{config.name}.tests.matrix"))
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.matrix"):
                raise
    return modules


APP_MATRICES = _app_matrices()


ROWS = CORE_ROWS + [row for module in APP_MATRICES for row in module.ROWS]


# Each row with the app module that makes its records: a row only pays for its own app's.
CASES = [(None, row) for row in CORE_ROWS] + [
    (module, row) for module in APP_MATRICES for row in module.ROWS
]


def outcome(response: Any) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 403:
        return "denied"
    if response.status_code in (404, 410):
        return "hidden"
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "redirect"
    if response.status_code == 400:
        return "ok"  # a write that reached its form and refused the empty input
    return str(response.status_code)


def api_outcome(
    row: Row, url: str, user: Any, cast: Cast, records: dict[str, Any]
) -> tuple[Any, str]:
    """Call the API as ``user`` with a read-write token (the public without one)."""
    from accounts.actions import create_api_token

    headers = {}
    if user:
        secret = create_api_token(actor=user, name="matrix", scope="read_write")[1]
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    client = Client(**headers)
    if row.method == "get":
        response = client.get(url, row.data)
    else:
        response = getattr(client, row.method)(url, row.data, content_type="application/json")
    code = response.status_code
    if code == 401:
        return response, "login"
    if code in (201, 204, 400, 422):
        return response, "ok"  # done, or reached the action and refused the input
    got = outcome(response)
    if got == "ok" and row.listed is not None:
        wanted = row.listed(cast, records).pk
        got = "ok" if any(r["id"] == wanted for r in response.json()["results"]) else "hidden"
    return response, got


def _case_id(case: tuple[Any, Row]) -> str:
    row = case[1]
    return f"{row.name}{'-' + row.label if row.label else ''}"


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[Cast, dict[str, Any]]]:
    """The cast and every app's records, made once for the whole matrix.

    Each row then runs in its own transaction that is rolled back (``django_db``), nested in
    this one, so a write one row makes never leaks into the next, and nobody pays for the
    setup twice. pytest sets up this module-scoped fixture before any row's transaction.
    """
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        DATA_ROOT=tmp_path_factory.mktemp("matrix-data"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        cast = make_cast()
        records = core_records(cast)
        for module in APP_MATRICES:
            records.update(module.records(cast))
        yield cast, records
        transaction.set_rollback(True)


@pytest.fixture
def _media_root() -> None:
    """The matrix keeps the module's media and data folders (overrides the root conftest)."""


@pytest.fixture
def row_world(world: tuple[Cast, dict[str, Any]]) -> tuple[Cast, dict[str, Any]]:
    cache.clear()  # rate limits count per token; tokens of rolled-back rows reuse ids
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_matrix(case: tuple[Any, Row], row_world: tuple[Cast, dict[str, Any]]) -> None:
    _module, row = case
    cast, records = row_world
    for user in cast.roles().values():
        if user is not None:
            user.__dict__.pop("organization_ids", None)  # cached per request in real use
            user.__dict__.pop("admin_organization_ids", None)
    url = reverse(row.name, args=row.args(cast, records))
    failures = []
    for role, user in cast.roles().items():
        if row.auth == "token":
            response, got = api_outcome(row, url, user, cast, records)
        else:
            client = Client()
            if user:
                client.force_login(user)
            response = getattr(client, row.method)(url, row.data)
            got = outcome(response)
        expected = row.expected[role]
        if row.method == "post" and expected == "ok" and got == "redirect":
            got = "ok"
        if got != expected:
            failures.append(f"{role}: expected {expected}, got {got} ({response.status_code})")
        leaks = high_risk_leaks(role, response)
        if leaks:
            failures.append(f"{role}: high-risk contact values in the answer: {leaks}")
    assert not failures, f"{row.method.upper()} {url}\n" + "\n".join(failures)


def _names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace or ""
            names |= _names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_url_is_in_the_matrix() -> None:
    namespaces = CORE_NAMESPACES | {config.label for config in _project_apps()}
    ours = {n for n in _names(get_resolver()) if n.split(":")[0] in namespaces or n == "home"}
    # The API's catch-all answers every unknown path with a 404 problem (its own tests).
    ours.discard("api:not-found")
    covered = {row.name for row in ROWS}
    assert not ours - covered, f"URLs missing from the matrix: {sorted(ours - covered)}"
