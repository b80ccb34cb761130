"""Emails about asks. Actions call these inside their transaction; mail leaves only on commit,
each message in its recipient's language, and only to people who can read the ask."""

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
from support.models import Ask, AskEvent


def _ask_link(ask: Ask) -> str:
    return (settings.SITE_URL or "").rstrip("/") + ask.get_absolute_url()


def _members(ask: Ask) -> list[User]:
    return list(
        User.objects.filter(memberships__organization_id=ask.organization_id, is_active=True)
        .exclude(email="")
        .distinct()
    )


def _liaisons(ask: Ask) -> list[User]:
    return list(
        User.objects.filter(liaison_for__cpbo_id=ask.organization_id, is_active=True)
        .exclude(department_role="")
        .exclude(email="")
        .distinct()
    )


def _send(
    recipients: Iterable[User | None],
    *,
    actor: Any,
    subject: Callable[[], str],
    template: str,
    context: dict[str, Any],
) -> None:
    """Render one message per recipient (never the actor) and send them after commit."""
    messages = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or user.pk == getattr(actor, "pk", None):
            continue
        if not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            # Header injection guard: a subject is one line whatever the ask's title holds.
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


def new_ask(ask: Ask, *, actor: Any) -> None:
    """Tell the organization's liaisons that it asked for support."""
    _send(
        _liaisons(ask),
        actor=actor,
        subject=lambda: (
            _("New ask from %(organization)s: %(title)s")
            % {"organization": ask.organization.name, "title": ask.title}
        ),
        template="support/email/new_ask.txt",
        context={"ask": ask, "link": _ask_link(ask)},
    )


def status_changed(ask: Ask, event: AskEvent, *, actor: Any) -> None:
    """Tell the asking organization's members, and the owner, that the status changed."""
    _send(
        [*_members(ask), ask.owner],
        actor=actor,
        subject=lambda: (
            _("Ask “%(title)s” is now: %(status)s")
            % {"title": ask.title, "status": ask.get_status_display()}
        ),
        template="support/email/status_changed.txt",
        context={"ask": ask, "event": event, "actor": actor, "link": _ask_link(ask)},
    )


def assigned(ask: Ask, owner: User, *, actor: Any) -> None:
    """Tell the new owner that an ask is now theirs."""
    _send(
        [owner],
        actor=actor,
        subject=lambda: _("You now own the ask “%(title)s”") % {"title": ask.title},
        template="support/email/assigned.txt",
        context={"ask": ask, "actor": actor, "link": _ask_link(ask)},
    )


def commented(ask: Ask, event: AskEvent, *, actor: Any, by_asker: bool) -> None:
    """A comment goes to the other side: staff comments to the members, partners' to the owner."""
    recipients = [ask.owner] if by_asker else _members(ask)
    _send(
        recipients,
        actor=actor,
        subject=lambda: _("New comment on the ask “%(title)s”") % {"title": ask.title},
        template="support/email/commented.txt",
        context={"ask": ask, "event": event, "actor": actor, "link": _ask_link(ask)},
    )
