"""Residents offer to review through a public form; staff accept them into the pool."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.urls import reverse

from accounts.models import User
from grants.models import ReviewerInterest
from grants.tests.conftest import client_for


def test_a_resident_offers_and_staff_accept_them_as_a_reviewer(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    public = client_for(None)
    response = public.post(
        reverse("grants:interest"),
        {"name": "Marisol", "email": "", "language": "es", "experience": "Vivo aquí"},
    )
    assert response.status_code == 400
    assert "Email: This field is required." in response.content.decode()
    public.post(
        reverse("grants:interest"),
        {
            "name": "Marisol",
            "email": "marisol@example.net",
            "language": "es",
            "experience": "Vivo aquí",
        },
    )
    offer = ReviewerInterest.objects.get()
    assert "Marisol" in client_for(cast.admin).get(reverse("grants:interests")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.admin).post(
            reverse("grants:interest_handle", args=[offer.pk]), {"accept": "yes"}
        )
    user = User.objects.get(email="marisol@example.net")
    assert user.is_reviewer and user.language == "es" and not user.has_usable_password()
    assert mail.outbox[0].to == ["marisol@example.net"]
    assert "/accounts/password/reset/" in mail.outbox[0].body
