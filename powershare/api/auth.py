"""Who is calling: a personal access token (``Authorization: Bearer ps_...``) or nobody.

The token's user becomes ``request.user``, so every query and action sees exactly what that
user sees on the pages. A session cookie is ignored: the API is for programs, and ignoring it
means no cross-site request can act through a signed-in browser. Each call counts against the
caller's rate limit (per token, or per address for anonymous calls).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security.base import AuthBase

from accounts.models import ApiToken, hash_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Writing ``last_used_at`` on every call would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiError(Exception):
    """An error answered as ``{"detail": message}`` with ``status`` and extra headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def check_rate(key: str, limit: int, window: int = 60) -> None:
    """Count one call against ``key``'s fixed window; raise 429 with Retry-After past ``limit``."""
    if limit <= 0:
        return
    now = int(time.time())
    start = now - now % window
    slot = f"api-rate:{key}:{start}"
    cache.add(slot, 0, timeout=window + 5)
    try:
        used = cache.incr(slot)
    except ValueError:  # evicted between add and incr
        cache.set(slot, 1, timeout=window + 5)
        used = 1
    if used > limit:
        retry_after = max(1, start + window - now)
        raise ApiError(
            429,
            f"Rate limit of {limit} requests per {window} seconds exceeded; "
            f"retry after {retry_after} seconds.",
            {"Retry-After": str(retry_after)},
        )


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class TokenAuth(AuthBase):
    """Bearer personal access tokens. Without a header the caller is the public: allowed to
    read (``GET``) when ``anonymous`` is true, else answered 401. The OpenAPI schema declares
    the token as optional exactly where ``allows_anonymous`` says so
    (``powershare.api.openapi``)."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_bearerFormat = "Powershare personal access token"

    def __init__(self, *, anonymous: bool = True) -> None:
        super().__init__()
        self.anonymous = anonymous

    def allows_anonymous(self, method: str) -> bool:
        """May a caller without a token make a ``method`` call?"""
        return self.anonymous and method.upper() in SAFE_METHODS

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            request.user = AnonymousUser()
            request.api_token = None  # type: ignore[attr-defined]
            check_rate(f"ip:{_client_address(request)}", settings.API_RATE_LIMIT_ANONYMOUS)
            if not self.allows_anonymous(request.method or ""):
                if request.method in SAFE_METHODS:
                    raise ApiError(401, "This needs a token.")
                raise ApiError(401, "Sign in with a token to make changes.")
            return request.user
        scheme, _, secret = header.partition(" ")
        token = None
        if scheme.lower() == "bearer" and secret.strip():
            token = (
                ApiToken.objects.active()
                .select_related("user")
                .filter(token_hash=hash_token(secret.strip()))
                .first()
            )
        if token is None or not token.user.is_active:
            raise ApiError(401, "The token is missing, unknown or revoked.")
        check_rate(f"token:{token.pk}", settings.API_RATE_LIMIT)
        if request.method not in SAFE_METHODS and not token.can_write:
            raise ApiError(403, "This token is read-only.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.user = token.user
        request.api_token = token  # type: ignore[attr-defined]
        return token.user
