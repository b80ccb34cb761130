"""Emails about grants, each in its recipient's language, sent only after the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User


def link(path: str) -> str:
    return (settings.SITE_URL or "").rstrip("/") + path


def members(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(memberships__organization_id=organization_id, is_active=True)
        .exclude(email="")
        .distinct()
    )


def send(
    recipients: Iterable[User | None],
    *,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
) -> None:
    """One message per recipient in their language, delivered on commit."""
    messages = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            line = " ".join(subject().split())
            body = render_to_string(template, {**context, "recipient": user})
        messages.append((line, body, user.email))

    def deliver() -> None:
        for line, body, email in messages:
            send_mail(line, body, settings.DEFAULT_FROM_EMAIL, [email], fail_silently=False)

    if messages:
        transaction.on_commit(deliver, robust=True)


def application_submitted(application: Any) -> None:
    """Confirm to the applicant's members that the department received the application."""
    send(
        members(application.organization_id),
        subject=lambda: (
            _("We received your application: %(title)s") % {"title": application.project_title}
        ),
        template="grants/email/submitted.txt",
        context={"application": application, "link": link(application.get_absolute_url())},
    )


def decision_final(application: Any) -> None:
    """Tell the applicant the cycle's decisions are final, and theirs."""
    send(
        members(application.organization_id),
        subject=lambda: (
            _("Decision on your application: %(title)s") % {"title": application.project_title}
        ),
        template="grants/email/decided.txt",
        context={"application": application, "link": link(application.get_absolute_url())},
    )


def reviewer_welcome(user: User, reset_path: str) -> None:
    """Welcome a resident to the reviewer pool with a link to set their password."""
    send(
        [user],
        subject=lambda: _("Welcome to the community grant review panel"),
        template="grants/email/reviewer_welcome.txt",
        context={"link": link(reset_path)},
    )
