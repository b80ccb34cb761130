"""Authorization before validation, on every action: someone who may not act on a record is
refused (404 when they cannot see it, 403 when they can but may not change it, the sign-in page
when signed out) whatever they post. A form error instead would tell an outsider that the record
exists, and what the form checks.

Every URL of the permission matrix is posted invalid data by a role it hides the record from,
one it refuses, and the signed-out visitor; the answer must be the matrix's own for that role
(or 405 where the URL takes no posts at all).
"""

from __future__ import annotations

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
    outcome,
    row_world,
    world,
)

# Refused by any form: an unknown status, text far past any limit, an id past the range.
INVALID = {
    "to_status": "bogus",
    "status": "bogus",
    "text": "",
    "title": "x" * 10_000,
    "comment": "x" * 100_000,
    "organization": "99999999999999999999999",
    "owner": "99999999999999999999999",
}
REFUSED = ("hidden", "denied", "login")
# Reads whose record is named in what is sent, not in the URL: with nothing valid sent there is
# no record to hide, and the form's 400 is the answer (the query builder's JSON twin).
NOT_ACTIONS = {"data:query_json"}


def _outsiders(row: Row) -> list[str]:
    """The signed-out visitor, and one role of each kind the row refuses."""
    picked = []
    for kind in REFUSED:
        roles = [r for r, v in row.expected.items() if v == kind]
        if roles:
            picked.append("public" if "public" in roles else roles[0])
    return list(dict.fromkeys(picked))


SESSION_CASES = [
    case
    for case in CASES
    if case[1].auth == "session" and case[1].name not in NOT_ACTIONS and _outsiders(case[1])
]


def _id(case: tuple[Any, Row]) -> str:
    row = case[1]
    return f"{row.method}-{row.name}{'-' + row.label if row.label else ''}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", SESSION_CASES, ids=_id)
def test_an_outsider_is_refused_before_the_form_is_read(
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
    url = reverse(row.name, args=row.args(cast, records))
    data = {**{k: "99999999999999999999999" for k in row.data}, **INVALID}
    failures = []
    for role in _outsiders(row):
        client = Client()
        if roles[role] is not None:
            client.force_login(roles[role])
        response = client.post(url, data)
        if response.status_code == 405:
            continue  # the URL takes no posts
        got = "ok" if response.status_code == 400 else outcome(response)
        if got != row.expected[role]:
            failures.append(f"{role}: expected {row.expected[role]}, got {response.status_code}")
    assert not failures, f"POST {url}\n" + "\n".join(failures)
