"""The hostile visitor: every URL of the permission matrix, requested with its parameters set to
values nobody should send (integers past any database's range, negatives, floats, words, NUL
characters, 10,000-character strings, repeated parameters, impossible dates), signed out and as
the cast. No answer may be a server error (test_bad_parameters.py checks that the refusal is a
400 naming the parameter).

Sampled, not the full cross product: each URL is requested by a role that reaches it (rotating
through the cast), with every parameter it shows in its forms plus the common ones; the values
are spread over the parameters in a Latin square, so that every parameter meets every value in
``len(VALUES)`` requests. Pages that show a form are also posted the same way.
"""

from __future__ import annotations

import re
import traceback
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from powershare.matrix import Row
from powershare.testing import Cast

# The matrix's shared records (made once for the module, each case rolled back).
from powershare.tests.test_matrix import (  # noqa: F401
    CASES,
    _media_root,
    row_world,
    world,
)

OVERFLOW = "99999999999999999999999"
VALUES: list[Any] = [
    OVERFLOW,
    "-9223372036854775809",
    "1.5e308",
    "word\x00with a NUL",
    "x" * 10_000,
    ["1", OVERFLOW],  # repeated: a sane value and a hostile one
    "2025-02-30",
    "0",
    "²",  # a digit to str.isdigit(), not to int()
]
# Parameters that lists, filters, exports and the API read somewhere; each URL also gets the
# names its own forms show.
COMMON = [
    "organization",
    "user",
    "page",
    "page_size",
    "q",
    "status",
    "kind",
    "authority",
    "recorded_by",
    "campaign",
    "ask",
    "owner",
    "actor",
    "since",
    "updated_since",
    "until",
    "format",
    "date",
    "month",
    "months",
    "year",
    "year_from",
    "year_to",
    "unit",
    "category",
    "measure",
    "level",
    "funder",
    "source",
    "target",
    "show",
    "mine",
    "sort",
    "lang",
    "download",
    "cycle",
    "program",
]
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*?\bname=\"([^\"]+)\"")
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)
SKIP = {"csrfmiddlewaretoken"}


def _unique_urls() -> list[tuple[Any, Row]]:
    """One row per URL name and method: the one that the most roles reach."""
    chosen: dict[tuple[str, str, str], tuple[Any, Row]] = {}
    for module, row in CASES:
        key = (row.name, row.method, row.auth)
        reached = sum(v in ("ok", "redirect") for v in row.expected.values())
        best = chosen.get(key)
        if best is None or reached > sum(
            v in ("ok", "redirect") for v in best[1].expected.values()
        ):
            chosen[key] = (module, row)
    return list(chosen.values())


URLS = _unique_urls()


def _hostile(names: list[str], round_: int, base: dict[str, Any]) -> dict[str, Any]:
    """Round ``round_`` of the Latin square: parameter ``i`` gets value ``i + round_``."""
    data = dict(base)
    for i, name in enumerate(names):
        data[name] = VALUES[(i + round_) % len(VALUES)]
    return data


def _client(row: Row, user: Any) -> Client:
    if row.auth == "token":
        from accounts.actions import create_api_token

        if user is None:
            return Client()
        secret = create_api_token(actor=user, name="fuzz", scope="read_write")[1]
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _call(client: Client, row: Row, method: str, url: str, data: dict[str, Any]) -> Any:
    if method == "get":
        return client.get(url, data)
    if row.auth == "token":
        flat = {k: v[-1] if isinstance(v, list) else v for k, v in data.items()}
        return getattr(client, method)(url, flat, content_type="application/json")
    return getattr(client, method)(url, data)


def _where(error: Exception) -> str:
    """The exception and the last line of Powershare's own code it passed through."""
    ours = [f for f in traceback.extract_tb(error.__traceback__) if "/.venv/" not in f.filename]
    place = (
        f" at {'/'.join(ours[-1].filename.rsplit('/', 2)[-2:])}:{ours[-1].lineno}" if ours else ""
    )
    return f"{type(error).__name__}: {str(error)[:120]}{place}"


def _id(case: tuple[Any, Row]) -> str:
    row = case[1]
    return f"{row.method}-{row.name}"


def _body(response: Any) -> str:
    """The page's HTML, to find the names of its fields ("" for files and refusals)."""
    if response is None or response.status_code != 200 or response.streaming:
        return ""
    return response.content.decode(errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize("case", URLS, ids=_id)
def test_no_server_error_on_hostile_parameters(
    case: tuple[Any, Row],
    row_world: tuple[Cast, dict[str, Any]],  # noqa: F811
) -> None:
    _module, row = case
    cast, records = row_world
    roles = cast.roles()
    for user in roles.values():
        if user is not None:
            user.__dict__.pop("organization_ids", None)
            user.__dict__.pop("admin_organization_ids", None)
    args = row.args(cast, records)
    url = reverse(row.name, args=args)
    # A role that reaches the page (rotating through the cast from one URL to the next), one
    # that does not, and the signed-out visitor.
    index = URLS.index(case)
    reach = [r for r, v in row.expected.items() if v in ("ok", "redirect") and r != "public"]
    others = [r for r in roles if r not in reach and r != "public"]
    failures: list[str] = []

    def check(role: str, method: str, data: dict[str, Any], address: str = url) -> Any:
        try:
            response = _call(_client(row, roles[role]), row, method, address, data)
        except Exception as error:  # the test client re-raises a view's exception
            failures.append(f"{role} {method.upper()} {address}: {_where(error)}")
            return None
        if response.status_code >= 500:
            failures.append(f"{role} {method.upper()} {address}: {response.status_code}")
        return response

    names = list(COMMON)
    if reach:
        role = reach[index % len(reach)]
        if row.method == "get":
            body = _body(check(role, "get", dict(row.data)))
            form_names = [n for n in dict.fromkeys(FIELD.findall(body)) if n not in SKIP]
            names += [n for n in form_names if n not in names]
            if POST_FORM.search(body) and row.auth == "session":
                # The page's own form, posted with every field hostile.
                for round_ in range(0, len(VALUES), 2):
                    check(role, "post", _hostile(form_names or names, round_, row.data))
        for round_ in range(len(VALUES)):
            check(role, row.method, _hostile(names, round_, row.data))
        if any(isinstance(a, int) for a in args):
            # Ids in the path: past the database's range.
            huge = [OVERFLOW if isinstance(a, int) else a for a in args]
            check(role, row.method, dict(row.data), reverse(row.name, args=huge))
    for round_ in (0, 4):
        check("public", row.method, _hostile(names, round_, row.data))
    if others:
        check(others[index % len(others)], row.method, _hostile(names, index, row.data))
    assert not failures, "\n".join(failures)
