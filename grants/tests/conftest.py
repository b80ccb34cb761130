from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grants.tests.factories import make_cycle, make_program


@pytest.fixture
def program(cast: Any) -> Any:
    return make_program(cast.admin)


@pytest.fixture
def cycle(cast: Any, program: Any) -> Any:
    return make_cycle(cast.admin, program)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
