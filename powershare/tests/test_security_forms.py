"""CSRF and inline code. Every URL of the matrix refuses a POST without its CSRF token (403),
as the role that may use it; no view outside the token-authenticated API is exempt; and pages
carry no inline script, style attribute or event handler (the CSP would block them)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from powershare.tests.test_matrix import APP_MATRICES, ROWS, core_records

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I
)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
# Views that check the token themselves (the POST test below proves they still refuse).
CHECK_THEIR_OWN = {"data/datasets/<int:pk>/upload/"}  # after the size check: no huge body read
EXTRA_POSTS = [
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/logout/",
    "/i18n/setlang/",
]


def _records(cast: Any) -> dict[str, Any]:
    records = core_records(cast)
    for module in APP_MATRICES:
        records.update(module.records(cast))
    return records


def _urls(cast: Any, records: dict[str, Any], *, one_per: str) -> dict[str, Any]:
    """URL → a user who may use it, for each session row (one per URL, or per namespace)."""
    found: dict[str, Any] = {}
    seen = set()
    for row in ROWS:
        if row.auth != "session":
            continue
        key = row.name.split(":")[0] if one_per == "namespace" else row.name
        if one_per == "namespace" and (row.method != "get" or key in seen):
            continue
        role = next((r for r, o in row.expected.items() if o in ("ok", "redirect")), None)
        if role is None:
            continue
        found.setdefault(reverse(row.name, args=row.args(cast, records)), cast.roles()[role])
        seen.add(key)
    return found


def _views(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    views = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            views += _views(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            views.append((prefix + str(entry.pattern), entry.callback))
    return views


def test_no_view_is_csrf_exempt_but_the_token_api():
    exempt = [
        path
        for path, view in _views(get_resolver())
        if getattr(view, "csrf_exempt", False)
        and not path.startswith("api/v1/")
        and path not in CHECK_THEIR_OWN
    ]
    assert not exempt, f"CSRF-exempt views: {exempt}"


def test_every_url_refuses_a_post_without_its_csrf_token(cast):
    posts = _urls(cast, _records(cast), one_per="url")
    for url in EXTRA_POSTS:
        posts.setdefault(url, None)
    assert len(posts) > 100
    accepted = []
    clients: dict[Any, Client] = {}
    for url, user in posts.items():
        client = clients.get(user)
        if client is None:
            client = clients[user] = Client(enforce_csrf_checks=True)
            if user:
                client.force_login(user)
        response = client.post(url, {"name": "x"})
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{url}: {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)


def test_pages_have_no_inline_code(cast):
    inline = []
    pages = _urls(cast, _records(cast), one_per="namespace")
    assert len(pages) >= 8
    for url, user in pages.items():
        client = Client()
        if user:
            client.force_login(user)
        response = client.get(url)
        if "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for pattern in (INLINE_SCRIPT, STYLE_ATTR, HANDLER):
            if pattern.search(html):
                inline.append(f"{url}: {pattern.search(html).group(0)[:80]}")
    assert not inline, "inline code the CSP blocks:\n" + "\n".join(inline)
