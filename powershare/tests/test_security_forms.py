"""Every page of the matrix, as a role that may open it: no inline script, style attribute or
event handler (the CSP would block them), and every POST form on it refuses a request without
its CSRF token (403)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import NoReverseMatch, reverse

from powershare.tests.test_matrix import APP_MATRICES, ROWS, core_records

FORM = re.compile(r"<form\b([^>]*)>", re.I)
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
EXTRA_FORMS = ["/accounts/login/", "/accounts/password/reset/", "/accounts/logout/"]


def _attr(attrs: str, name: str) -> str | None:
    match = re.search(rf'\b{name}\s*=\s*"([^"]*)"', attrs, re.I)
    return match.group(1) if match else None


def _pages(cast: Any, records: dict[str, Any]) -> list[tuple[str, Any]]:
    """(url, a user who may open it) for every GET row of the session matrix."""
    found = {}
    for row in ROWS:
        if row.method != "get" or row.auth != "session":
            continue
        role = next((r for r, outcome in row.expected.items() if outcome == "ok"), None)
        if role is None:
            continue
        try:
            url = reverse(row.name, args=row.args(cast, records))
        except NoReverseMatch:
            continue
        found.setdefault(url, cast.roles()[role])
    return list(found.items())


def test_pages_have_no_inline_code_and_every_post_form_needs_its_csrf_token(cast):
    records = core_records(cast)
    for module in APP_MATRICES:
        records.update(module.records(cast))
    posts: dict[str, Any] = {}
    inline = []
    for url, user in _pages(cast, records):
        client = Client()
        if user:
            client.force_login(user)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTR, HANDLER):
            if pattern.search(html):
                inline.append(f"{url}: {pattern.search(html).group(0)[:80]}")
        for attrs in FORM.findall(html):
            if (_attr(attrs, "method") or "get").lower() != "post":
                continue
            action = _attr(attrs, "action") or url
            if action.startswith("/"):
                posts.setdefault(action.split("#")[0], user)
    for url in EXTRA_FORMS:
        posts.setdefault(url, None)
    for row in ROWS:
        if row.method == "post" and row.auth == "session":
            role = next((r for r, o in row.expected.items() if o in ("ok", "redirect")), None)
            if role:
                posts.setdefault(
                    reverse(row.name, args=row.args(cast, records)), cast.roles()[role]
                )
    assert not inline, "inline code the CSP blocks:\n" + "\n".join(inline)
    assert len(posts) > 20
    accepted = []
    for url, user in posts.items():
        client = Client(enforce_csrf_checks=True)
        if user:
            client.force_login(user)
        response = client.post(url, {"name": "x"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{url}: {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)
