"""The vocabulary of the visibility matrix, shared by every app's ``tests/matrix.py``.

A row names a URL and what each role gets: ``ok`` (200), ``login`` (sent to sign in),
``denied`` (403), ``hidden`` (404: they cannot tell the record exists) or ``redirect``.
An app lists its rows in ``<app>/tests/matrix.py`` as ``ROWS`` and creates the records they
need in ``records(cast) -> dict``; ``powershare/tests/test_matrix.py`` runs them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from powershare.testing import Cast

ROLES = [
    "admin",
    "liaison",
    "analyst",
    "partner_a",
    "partner_b",
    "board_member",
    "reviewer",
    "public",
]
STAFF = {"admin", "liaison", "analyst"}
PARTNERS = {"partner_a", "partner_b"}
SIGNED_IN = set(ROLES) - {"public"}
# Who may read a record of organization A with each visibility.
READERS = {
    "private": {"partner_a"},
    "liaison": {"partner_a", "liaison"},
    "department": {"partner_a"} | STAFF,
    "public": set(ROLES),
}


def page(ok: set[str], *, denied: set[str] = frozenset(), public: str = "login") -> dict[str, str]:
    """Expected outcome by role: ``ok`` roles get 200, ``denied`` 403, the rest 404."""
    result = {}
    for role in ROLES:
        if role == "public" and role not in ok:
            result[role] = public
        elif role in ok:
            result[role] = "ok"
        elif role in denied:
            result[role] = "denied"
        else:
            result[role] = "hidden"
    return result


def everyone() -> dict[str, str]:
    return page(set(ROLES))


def signed_in_only(ok: set[str] = SIGNED_IN) -> dict[str, str]:
    return page(ok, denied=SIGNED_IN - ok)


@dataclass
class Row:
    name: str
    args: Callable[[Cast, dict[str, Any]], list[Any]]
    expected: dict[str, str]
    method: str = "get"
    label: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    # "session": signed in with a browser session; "token": an API call with a read-write
    # personal access token (none for the public), JSON bodies, 401 counted as "login".
    auth: str = "session"
    # For API lists: the record that must be listed for "ok"; a 200 without it is "hidden".
    listed: Callable[[Cast, dict[str, Any]], Any] | None = None


def by_visibility(
    name: str, kind: str, *, edit: bool = False, method: str = "get", answer: str = ""
) -> list[Row]:
    """Rows for a record page, one per visibility the record may have."""
    rows = []
    for visibility, readers in READERS.items():
        if kind == "ask" and visibility == "private":
            continue  # asks are addressed to the department: never private
        if answer == "staff":
            # Staff who read the ask reach the form; others who read it are refused.
            expected = page(readers & STAFF, denied=readers - STAFF - {"public"})
        elif answer == "sides":
            # The asking organization and staff who read the ask; other readers are refused
            # (before any form is read).
            sides = readers & (STAFF | {"partner_a"})
            expected = page(sides, denied=readers - sides - {"public"})
        elif edit:
            expected = page({"partner_a"}, denied=readers - {"partner_a", "public"})
            if "public" in readers:
                expected["public"] = "login"
        else:
            expected = page(readers, public="hidden")
        rows.append(
            Row(
                name,
                lambda c, r, k=kind, v=visibility: [r[k][v].pk],
                expected,
                method,
                label=visibility,
            )
        )
    return rows
