"""The deployment's own address, ``SITE_URL``: absolute links in feeds, calendars and the API,
and the stable domain of calendar UIDs, whichever host name a request came in by (the Sites
framework's record says ``example.com`` and a Host header is whatever the client sent)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def site_url() -> str:
    """``SITE_URL`` without a trailing slash, e.g. ``https://powershare.example.gov``."""
    return (settings.SITE_URL or "").rstrip("/")


def absolute(path: str) -> str:
    """``path`` (from ``reverse()`` or ``get_absolute_url()``) on the deployment's address."""
    return site_url() + path


def site_domain() -> str:
    """The host name of ``SITE_URL`` (no port): the domain of iCalendar UIDs."""
    return urlsplit(site_url()).hostname or "powershare.invalid"
