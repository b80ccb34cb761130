"""Subscribing and unsubscribing through the API go through the same actions as the profile
page: checked the same way, written to the audit log, and a deleted webhook gets nothing more."""

from __future__ import annotations

import json

from powershare.api.models import Webhook, WebhookDelivery
from powershare.api.tests.helpers import client_for
from powershare.audit.models import AuditEvent

HOOK = {"url": "https://sync.eastside.example.org/hook", "events": ["ask.status_changed"]}


def test_subscribing_through_the_api_is_in_the_audit_log(cast, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    hook = client_for(cast.partner_a).post(
        "/api/v1/webhooks", HOOK, content_type="application/json"
    )
    event = AuditEvent.objects.get(event="webhook.created")
    assert (event.actor, event.record_id) == (cast.partner_a, str(hook.json()["id"]))
    assert event.changes["url"] == [None, HOOK["url"]]
    assert hook.json()["secret"] not in json.dumps(event.changes)


def test_unsubscribing_through_the_api_is_in_the_audit_log(cast):
    hook = Webhook.objects.create(owner=cast.partner_a, secret="whsec_x", **HOOK)
    response = client_for(cast.partner_a).delete(f"/api/v1/webhooks/{hook.pk}")
    assert response.status_code == 204
    event = AuditEvent.objects.get(event="webhook.deleted")
    assert (event.actor, event.changes) == (cast.partner_a, {"active": [True, False]})


def test_the_api_refuses_a_private_destination_when_subscribing(cast, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = client_for(cast.partner_a).post(
        "/api/v1/webhooks",
        {"url": "https://192.168.1.20/hook", "events": ["ask.status_changed"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "url: 192.168.1.20 is not a public address" in response.json()["detail"]
    assert not Webhook.objects.exists()


def test_deleting_a_webhook_gives_up_its_waiting_deliveries(cast):
    hook = Webhook.objects.create(owner=cast.partner_a, secret="whsec_x", **HOOK)
    waiting = WebhookDelivery.objects.create(
        webhook=hook, event="ask.status_changed", payload={}, status="retrying", attempts=2
    )
    client_for(cast.partner_a).delete(f"/api/v1/webhooks/{hook.pk}")
    waiting.refresh_from_db()
    assert (waiting.status, waiting.last_error, waiting.next_attempt_at) == (
        "failed",
        "webhook deleted",
        None,
    )
