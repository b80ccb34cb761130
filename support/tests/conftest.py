"""Fixtures for the support ledger's stories: asks filed the way partners file them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from powershare.testing import PASSWORD, Cast, pdf_bytes
from support import actions
from support.models import Ask

PDF = pdf_bytes()


@pytest.fixture
def login(client: Client) -> Callable[[User | None], Client]:
    """Sign ``user`` in on the test client (``None`` stays signed out)."""

    def _login(user: User | None) -> Client:
        client.logout()
        if user is not None:
            assert client.login(email=user.email, password=PASSWORD)
        return client

    return _login


@pytest.fixture
def file_ask(cast: Cast) -> Callable[..., Ask]:
    """Org A files an ask through the action, as the new-ask page does."""

    def _file(**fields: Any) -> Ask:
        fields.setdefault("kind", Ask.Kind.DATA)
        fields.setdefault("title", "Asthma ED visits by tract")
        fields.setdefault("description", "For our healthy-housing ordinance hearing.")
        fields.setdefault("visibility", "liaison")
        return actions.submit_ask(actor=cast.partner_a, organization=cast.org_a, **fields)

    return _file


@pytest.fixture
def ask_a(file_ask: Callable[..., Ask]) -> Ask:
    """A liaison-visibility ask from org A."""
    return file_ask()


def pdf(name: str = "rates.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
