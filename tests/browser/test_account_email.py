"""A person manages the email addresses of their account: removing one asks first."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from tests.browser.helpers import login

pytestmark = pytest.mark.browser


def test_removing_an_email_address_asks_for_confirmation(page: Page, cast: Any) -> None:
    user = cast.partner_a
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    EmailAddress.objects.create(user=user, email="old@example.org", verified=True)
    login(page, user)
    page.goto("/accounts/email/")
    page.get_by_label("old@example.org").check()
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()  # "No": nothing is removed

    page.once("dialog", answer)
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_label("old@example.org")).to_be_visible()
    assert asked and "remove" in asked[0].lower()
    assert EmailAddress.objects.filter(email="old@example.org").exists()
