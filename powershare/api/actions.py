"""Changes to webhooks: creating and deleting one, sending one a test event. The API and the profile page both call these;
each runs in a transaction and writes the audit log (never the signing secret)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.api import queries, webhooks
from powershare.api.models import Webhook, WebhookDelivery
from powershare.audit.log import diff, record


def _audited(webhook: Webhook) -> dict[str, Any]:
    # The URL without the parts where receivers keep credentials; the secret never.
    return {"url": webhook.redacted_url, "events": list(webhook.events), "active": webhook.active}


def _check_url(url: str) -> None:
    schemes = ["http", "https"] if settings.DEBUG else ["https"]
    try:
        URLValidator(schemes=schemes)(url)
    except ValidationError:
        raise ValidationError({"url": _("Give a full https:// address.")}) from None
    try:
        webhooks.check_destination(url)
    except ValidationError as error:
        host = urlsplit(url).hostname or url
        if error.code == "invalid":
            raise ValidationError({"url": _("Give a full https:// address.")}) from None
        if error.code == "private":
            message = _(
                "%(host)s is not a public address: webhooks only go to addresses on the internet."
            )
        else:
            message = _("%(host)s cannot be found: check the address.")
        raise ValidationError({"url": message % {"host": host}}) from None


@transaction.atomic
def create_webhook(*, actor: User, url: str, events: list[str]) -> Webhook:
    """Subscribe ``url`` to ``events`` for ``actor``; its secret (``webhook.secret``) is for
    the caller to show once."""
    url = url.strip()
    if not events:
        raise ValidationError({"events": _("Choose at least one event.")})
    unknown = sorted(set(events) - set(webhooks.EVENTS))
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(names)s.") % {"names": ", ".join(unknown)[:200]}}
        )
    if queries.webhooks_of(actor).count() >= webhooks.MAX_WEBHOOKS:
        raise ValidationError(
            {"url": _("You have %(n)s webhooks; delete one first.") % {"n": webhooks.MAX_WEBHOOKS}}
        )
    _check_url(url)
    webhook = Webhook.objects.create(
        owner=actor, url=url, events=sorted(set(events)), secret=Webhook.new_secret()
    )
    record(
        actor=actor, event="webhook.created", target=webhook, changes=diff({}, _audited(webhook))
    )
    return webhook


@transaction.atomic
def delete_webhook(*, actor: User, webhook: Webhook) -> None:
    """Stop a webhook: nothing more is sent to it and its waiting deliveries are given up.
    Only its owner deletes it."""
    if webhook.owner_id != actor.pk:
        raise PermissionDenied
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if not webhook.active:
        return
    before = _audited(webhook)
    webhook.active = False
    webhook.save(update_fields=["active"])
    webhook.deliveries.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING]
    ).update(
        status=WebhookDelivery.Status.FAILED, last_error="webhook deleted", next_attempt_at=None
    )
    record(
        actor=actor,
        event="webhook.deleted",
        target=webhook,
        changes=diff(before, _audited(webhook)),
    )


@transaction.atomic
def send_test_event(*, actor: User, webhook: Webhook) -> WebhookDelivery:
    """Queue ``webhook.ping`` for one of the actor's own active webhooks (sent after the
    commit, logged with its deliveries); returns the delivery."""
    if webhook.owner_id != actor.pk:
        raise PermissionDenied
    if not webhook.active:
        raise ValidationError(_("This webhook was deleted."))
    record(
        actor=actor, event="webhook.pinged", target=webhook, changes={"url": webhook.redacted_url}
    )
    return webhooks.ping(webhook)
