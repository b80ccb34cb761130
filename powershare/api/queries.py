"""Reads of webhooks and their delivery log: a user only ever sees their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from powershare.api.models import Webhook, WebhookDelivery

RECENT_DELIVERIES = 100


def webhooks_of(user: Any) -> QuerySet[Webhook]:
    """The user's webhooks that are not deleted, newest first."""
    return Webhook.objects.filter(owner=user, active=True)


def own_webhook(user: Any, webhook_id: int) -> Webhook | None:
    """The user's webhook ``webhook_id``, or None when it is someone else's, deleted or absent
    (the caller answers 404 in all three cases)."""
    return webhooks_of(user).filter(pk=webhook_id).first()


def recent_deliveries(webhook: Webhook) -> QuerySet[WebhookDelivery]:
    """The webhook's last deliveries, newest first."""
    return webhook.deliveries.all()[:RECENT_DELIVERIES]


@dataclass
class WebhookSummary:
    webhook: Webhook
    last_delivery: WebhookDelivery | None


def webhook_summaries(user: Any) -> list[WebhookSummary]:
    """The user's webhooks, each with its latest delivery (None before the first)."""
    latest = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created", "-pk")
    hooks = list(webhooks_of(user).annotate(last_delivery_id=Subquery(latest.values("pk")[:1])))
    ids = [hook.last_delivery_id for hook in hooks if hook.last_delivery_id]
    deliveries = WebhookDelivery.objects.in_bulk(ids)
    return [WebhookSummary(hook, deliveries.get(hook.last_delivery_id)) for hook in hooks]
