"""Emails about asks. Actions call these inside their transaction; mail leaves only on commit,
each message in its recipient's language, and only to people who can read the ask."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.mail import send_to_users
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


def new_ask(ask: Ask, *, actor: Any) -> None:
    """Tell the organization's liaisons that it asked for support."""
    send_to_users(
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
    send_to_users(
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
    send_to_users(
        [owner],
        actor=actor,
        subject=lambda: _("You now own the ask “%(title)s”") % {"title": ask.title},
        template="support/email/assigned.txt",
        context={"ask": ask, "actor": actor, "link": _ask_link(ask)},
    )


def commented(ask: Ask, event: AskEvent, *, actor: Any, by_asker: bool) -> None:
    """A comment goes to the other side: staff comments to the members, partners' to the owner."""
    recipients = [ask.owner] if by_asker else _members(ask)
    send_to_users(
        recipients,
        actor=actor,
        subject=lambda: _("New comment on the ask “%(title)s”") % {"title": ask.title},
        template="support/email/commented.txt",
        context={"ask": ask, "event": event, "actor": actor, "link": _ask_link(ask)},
    )
