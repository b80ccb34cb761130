"""Tokens and an API client for tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

from accounts.actions import create_api_token


def token_for(user: Any, scope: str = "read_write") -> str:
    return create_api_token(actor=user, name="test", scope=scope)[1]


def client_for(user: Any | None, scope: str = "read_write") -> Client:
    """A client that calls the API as ``user`` (no token for None: the public)."""
    if user is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope)}")
