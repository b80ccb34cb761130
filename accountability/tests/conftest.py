"""Fixtures for the board's stories: a small board with a meeting held yesterday."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accountability.tests.factories import BoardSet, make_board
from accounts.models import User
from powershare.testing import Cast


@pytest.fixture
def bs(cast: Cast) -> BoardSet:
    return make_board(cast)


@pytest.fixture
def as_user(client: Client) -> Callable[[User | None], Client]:
    """The test client signed in as ``user`` (``None``: signed out)."""

    def _as(user: User | None) -> Client:
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _as
