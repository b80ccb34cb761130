"""Email to people, the one way every module sends it: each message in its recipient's
language, never to the person who acted, and only after the transaction commits."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_to_users(
    recipients: Iterable[Any],
    *,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
    actor: Any = None,
) -> None:
    """Render one message per active recipient with an email (never ``actor``); send on commit."""
    messages = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or user.pk == getattr(actor, "pk", None):
            continue
        if not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            # Header injection guard: a subject is one line whatever a title holds.
            line = " ".join(subject().split())
            body = render_to_string(template, {**context, "recipient": user})
        messages.append((line, body, user.email))
    if not messages:
        return

    def deliver() -> None:
        for line, body, email in messages:
            send_mail(line, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)

    # robust: a mail server failure after commit is logged, not turned into an error page.
    transaction.on_commit(deliver, robust=True)
