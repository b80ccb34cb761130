"""A partner's sync job subscribes to ask status changes; deliveries are signed, logged,
retried with backoff, and carry only what the subscriber may see."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook as Receiver
from standardwebhooks import WebhookVerificationError

from powershare.api import webhooks
from powershare.api.models import Webhook, WebhookDelivery
from powershare.api.tests.helpers import client_for
from powershare.testing import make_ask
from support import actions


def subscribe(user, url="https://sync.eastside.example.org/hook"):
    response = client_for(user).post(
        "/api/v1/webhooks",
        {"url": url, "events": ["ask.status_changed"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_a_status_change_is_delivered_signed(cast, sent, django_capture_on_commit_callbacks):
    hook = subscribe(cast.partner_a)
    assert hook["secret"].startswith("whsec_")
    ask = make_ask(cast.org_a, visibility="liaison", title="Lead data")
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(actor=cast.liaison, ask=ask, comment="Got it")
    [call] = sent.calls
    body = json.loads(call["body"])
    assert body["event"] == "ask.status_changed"
    assert body["data"]["ask"]["title"] == "Lead data"
    assert (body["data"]["from_status"], body["data"]["to_status"]) == ("new", "acknowledged")
    headers = call["headers"]
    # What the receiver runs: a Standard Webhooks library, with the secret it was shown.
    assert Receiver(hook["secret"]).verify(call["body"], headers) == body
    with pytest.raises(WebhookVerificationError):
        Receiver(Webhook.new_secret()).verify(call["body"], headers)
    with pytest.raises(WebhookVerificationError):
        Receiver(hook["secret"]).verify(call["body"].replace(b"Lead", b"Bad "), headers)
    log = client_for(cast.partner_a).get(f"/api/v1/webhooks/{hook['id']}/deliveries").json()
    assert [(d["status"], d["attempts"]) for d in log] == [("delivered", 1)]


def test_subscribers_who_cannot_see_the_ask_hear_nothing(
    cast, sent, django_capture_on_commit_callbacks
):
    subscribe(cast.partner_b)
    subscribe(cast.analyst)  # department staff, but the ask is for liaisons only
    ask = make_ask(cast.org_a, visibility="liaison")
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(actor=cast.liaison, ask=ask)
    assert sent.calls == []
    assert WebhookDelivery.objects.count() == 0


def test_failures_are_retried_with_exponential_backoff(cast, sent, settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 30
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    hook = Webhook.objects.create(
        owner=cast.partner_a, url="https://x.example.org", events=["ask.status_changed"], secret="s"
    )
    delivery = WebhookDelivery.objects.create(webhook=hook, event="ask.status_changed", payload={})
    sent.codes = [500, 503, 500]
    now = timezone.now()
    webhooks.attempt(delivery, now=now)
    assert delivery.status == "retrying" and delivery.next_attempt_at == now + timedelta(seconds=30)
    webhooks.attempt(delivery, now=now)
    assert delivery.next_attempt_at == now + timedelta(seconds=60)
    webhooks.attempt(delivery, now=now)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 3, "HTTP 500")


def test_the_database_queue_schedules_the_retry_later(cast, sent, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    hook = Webhook.objects.create(
        owner=cast.partner_a, url="https://x.example.org", events=["ask.status_changed"], secret="s"
    )
    delivery = WebhookDelivery.objects.create(webhook=hook, event="ask.status_changed", payload={})
    sent.codes = [502]
    webhooks.attempt(delivery)
    queued = DBTaskResult.objects.get()
    assert queued.run_after == delivery.next_attempt_at
    assert queued.args_kwargs["args"] == [delivery.pk]


def test_private_addresses_are_refused(cast, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    hook = Webhook.objects.create(
        owner=cast.partner_a,
        url="https://127.0.0.1/admin",
        events=["ask.status_changed"],
        secret="s",
    )
    delivery = WebhookDelivery.objects.create(webhook=hook, event="ask.status_changed", payload={})
    webhooks.attempt(delivery)
    assert delivery.status == "failed" and "not a public address" in delivery.last_error


def test_webhooks_belong_to_their_owner(cast, sent):
    hook = subscribe(cast.partner_a)
    other = client_for(cast.partner_b)
    assert other.get(f"/api/v1/webhooks/{hook['id']}/deliveries").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{hook['id']}").status_code == 404
    assert other.get("/api/v1/webhooks").json() == []
    bad = client_for(cast.partner_a).post(
        "/api/v1/webhooks", {"url": "ftp://x", "events": ["nope"]}, content_type="application/json"
    )
    assert bad.status_code == 400 and "events" in bad.json()["detail"]
    assert client_for(cast.partner_a).delete(f"/api/v1/webhooks/{hook['id']}").status_code == 204
    assert client_for(cast.partner_a).get("/api/v1/webhooks").json() == []


def test_accountability_can_emit_its_event(cast, sent, django_capture_on_commit_callbacks):
    hook = Webhook.objects.create(
        owner=cast.board_member,
        url="https://x.example.org",
        secret="s",
        events=["recommendation.response_created"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        ids = webhooks.emit(
            "recommendation.response_created",
            lambda owner: {"recommendation": {"id": 1}} if owner == cast.board_member else None,
        )
    assert len(ids) == 1 and json.loads(sent.calls[0]["body"])["data"]["recommendation"]["id"] == 1
    assert WebhookDelivery.objects.get().webhook == hook
    with pytest.raises(ValueError):
        webhooks.emit("no.such.event", lambda owner: {})
