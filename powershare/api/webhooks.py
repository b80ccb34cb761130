"""Webhooks: signed POSTs to a subscriber's URL when something happens to a record they may see.

Events so far: ``ask.status_changed`` (from ``support.actions.change_status``) and
``recommendation.response_created`` (from ``accountability.webhooks``). Another app adds an event
by naming it in ``EVENTS`` and calling :func:`emit` from its own code after its commit: this
module knows no app beyond the core (``support``).

Each delivery is logged (``WebhookDelivery``) and sent by a background task; a failed attempt
is retried ``WEBHOOK_MAX_ATTEMPTS`` times in all, waiting ``WEBHOOK_BACKOFF_SECONDS`` × 2ⁿ
between attempts. Where tasks run at once (``TASKS_IMMEDIATE``) nothing can wait, so
``manage.py retry_webhooks`` makes the attempts that are due (:func:`retry_due`). Deliveries
are signed as the Standard Webhooks specification says (``webhook-id``, ``webhook-timestamp``,
``webhook-signature``), so the receiver can check with any of its libraries that a delivery
came from us, unaltered and recent. :func:`ping` sends a test event to one webhook. Creating and deleting a webhook are actions
(``powershare.api.actions``), written to the audit log; the endpoints that call them are
``powershare.api.webhook_routes``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend, task

from powershare.api import transport
from powershare.api.models import Webhook, WebhookDelivery

logger = logging.getLogger(__name__)

EVENTS = {
    "ask.status_changed": _("An ask you can see moved to another status."),
    "recommendation.response_created": _("The department responded to a recommendation."),
}
MAX_WEBHOOKS = 10
USER_AGENT = "Powershare-Webhooks/1"


# Signing ------------------------------------------------------------------------------------
# The Standard Webhooks specification (standardwebhooks.com), so receivers verify a delivery
# with any of its libraries: ``webhook-signature`` is ``v1,`` and the base64 HMAC-SHA256 of
# ``<webhook-id>.<webhook-timestamp>.<body>`` keyed with the base64-decoded secret after
# ``whsec_``.


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret: its base64 decoded, as the specification's
    libraries decode it. (Secrets made before they were standard base64 decode as base64url.)"""
    text = secret.removeprefix("whsec_")
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded, validate=True)
    except binascii.Error:
        pass
    try:
        return base64.urlsafe_b64decode(padded)
    except binascii.Error:
        return text.encode()  # not base64 at all: the text itself, rather than no delivery


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header: ``v1,<base64 HMAC-SHA256 of id.timestamp.body>``."""
    message = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), message, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(
    secret: str, msg_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    """The three headers of the specification for ``body``, signed now (or at ``timestamp``)."""
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, msg_id, stamp, body),
    }


def verify(secret: str, headers: dict[str, str], body: bytes, tolerance: int = 300) -> bool:
    """What a receiver does: recompute the signature, compare in constant time, refuse stale."""
    headers = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id, stamp = headers["webhook-id"], int(headers["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - stamp) > tolerance:
        return False
    expected = sign(secret, msg_id, stamp, body)
    return any(
        hmac.compare_digest(expected, given)
        for given in headers.get("webhook-signature", "").split()
    )


def message_id(delivery: WebhookDelivery) -> str:
    """``webhook-id``: the same on every attempt of one delivery, so receivers drop repeats."""
    return f"msg_{delivery.pk}"


# Emitting -----------------------------------------------------------------------------------


def emit(event: str, payload_for: Callable[[Any], dict[str, Any] | None]) -> list[int]:
    """Queue ``event`` for every active webhook subscribed to it. ``payload_for(owner)`` returns
    what that webhook's owner may see of the record, or None when they may not see it (then
    nothing is sent to them). Call it after the commit; returns the delivery ids."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    ids = []
    hooks = Webhook.objects.filter(active=True, owner__is_active=True).select_related("owner")
    for hook in hooks:
        if event not in hook.events:
            continue
        data = payload_for(hook.owner)
        if data is None:
            continue
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(webhook=hook, event=event, payload={})
            delivery.payload = json.loads(
                json.dumps(
                    {
                        "event": event,
                        "delivery": delivery.pk,
                        "created": timezone.now(),
                        "data": data,
                    },
                    cls=DjangoJSONEncoder,
                )
            )
            delivery.save(update_fields=["payload"])
        ids.append(delivery.pk)
        transaction.on_commit(lambda pk=delivery.pk: deliver_webhook.enqueue(pk))
    return ids


def _ask_status_changed(sender: Any, ask: Any, event: Any, **kwargs: Any) -> None:
    from support import queries
    from support.api import ask_out

    def payload_for(owner: Any) -> dict[str, Any] | None:
        visible = queries.exportable_asks(owner, {}).filter(pk=ask.pk).first()
        if visible is None:
            return None
        return {
            "ask": ask_out(None, visible, user=owner),
            "from_status": event.from_status,
            "to_status": event.to_status,
        }

    emit("ask.status_changed", payload_for)


def connect_signals() -> None:
    from support.actions import ask_status_changed

    ask_status_changed.connect(_ask_status_changed, dispatch_uid="api.webhooks.ask_status")


PING = "webhook.ping"


def ping(webhook: Webhook) -> WebhookDelivery:
    """Queue a test event (``webhook.ping``) for ``webhook``, signed like every delivery and
    logged with them; sent after the commit, tried once. Returns the logged delivery."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(webhook=webhook, event=PING, payload={})
        delivery.payload = json.loads(
            json.dumps(
                {
                    "event": PING,
                    "delivery": delivery.pk,
                    "created": timezone.now(),
                    "data": {"webhook": webhook.pk, "events": list(webhook.events)},
                },
                cls=DjangoJSONEncoder,
            )
        )
        delivery.save(update_fields=["payload"])
    transaction.on_commit(lambda: deliver_webhook.enqueue(delivery.pk))
    return delivery


# Delivering ---------------------------------------------------------------------------------


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST ``body`` to ``url``; the status code, a redirect's included (never followed).
    The name is resolved once, its addresses checked, and the POST goes to the checked address
    (powershare.api.transport). ValidationError for a refused destination, OSError when
    nothing answers."""
    return transport.send(
        url,
        body,
        headers,
        timeout=timeout,
        allow_private=settings.WEBHOOK_ALLOW_PRIVATE_URLS,
    )


def check_destination(url: str) -> None:
    """Refuse URLs that are not http(s), or whose host resolves to any address that is not
    public (unless WEBHOOK_ALLOW_PRIVATE_URLS): a webhook must not probe the internal network.
    Checked when a webhook is added; every delivery checks again, as it sends."""
    URLValidator(schemes=["http", "https"])(url)
    if not settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        transport.destination(url)


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt after ``attempts`` failures: base × 2^(attempts − 1)."""
    return timedelta(seconds=settings.WEBHOOK_BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


def attempt(delivery: WebhookDelivery, now: datetime | None = None) -> WebhookDelivery:
    """Try to send ``delivery`` once and log the outcome; schedules the next try on failure
    (not for a test event: its sender wants to know now, and can send another)."""
    now = now or timezone.now()
    hook = delivery.webhook
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Powershare-Event": delivery.event,
        **signed_headers(hook.secret, message_id(delivery), body),
    }
    delivery.attempts += 1
    retry = True
    try:
        URLValidator(schemes=["http", "https"])(hook.url)
        code = post(hook.url, body, headers, settings.WEBHOOK_TIMEOUT_SECONDS)
        delivery.last_status_code = code
        if 300 <= code < 400:
            # A redirect could point anywhere, the internal network included: never followed,
            # and not retried (it would answer the same).
            delivery.last_error = f"HTTP {code}: redirects are not followed"
            retry = False
        else:
            delivery.last_error = "" if 200 <= code < 300 else f"HTTP {code}"
    except ValidationError as error:
        delivery.last_error = " ".join(error.messages)[:500]
        retry = False
    except OSError as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:500]
    if not delivery.last_error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif retry and delivery.event != PING and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    delivery.save()
    if delivery.status == WebhookDelivery.Status.RETRYING:
        _schedule(delivery)
    return delivery


def _schedule(delivery: WebhookDelivery) -> None:
    # The database queue runs the retry at its time; the immediate backend (tests, demo) can't
    # wait, so there the delivery stays "retrying" in the log.
    if default_task_backend.supports_defer:
        deliver_webhook.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def deliver(delivery: WebhookDelivery) -> str:
    """Attempt a delivery that is still open (never a delivered or failed one); a deleted
    webhook's delivery fails without being sent. Returns its status."""
    if delivery.status in (WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED):
        return delivery.status
    if not delivery.webhook.active:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.last_error = "webhook deleted"
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
        return delivery.status
    return attempt(delivery).status


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Send one logged delivery (a background task); returns its status."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    return deliver(delivery) if delivery else "missing"


def due(now: datetime | None = None) -> QuerySet[WebhookDelivery]:
    """Deliveries waiting for a retry whose time has come, under the attempt cap, oldest first."""
    return (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.RETRYING,
            next_attempt_at__lte=now or timezone.now(),
            attempts__lt=settings.WEBHOOK_MAX_ATTEMPTS,
        )
        .select_related("webhook")
        .order_by("next_attempt_at", "pk")
    )


def retry_due(now: datetime | None = None) -> list[WebhookDelivery]:
    """Attempt every due delivery once (``manage.py retry_webhooks``); returns them, each with
    its new status."""
    attempted = []
    for delivery in due(now):
        deliver(delivery)
        attempted.append(delivery)
    return attempted
