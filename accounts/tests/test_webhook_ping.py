"""A partner's tech volunteer checks their receiver against Powershare's deliveries with a
Standard Webhooks library (``standardwebhooks``): the secret copied from the profile page
verifies every delivery, a retry carries the same ``webhook-id``, and the webhook's page sends
a signed test event on request and shows how it went."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from standardwebhooks import Webhook as Receiver
from standardwebhooks import WebhookVerificationError

from powershare.api import webhooks
from powershare.api.models import Webhook, WebhookDelivery
from powershare.testing import make_ask
from support import actions

HOOK_URL = "https://sync.eastside.example.org/powershare"


@pytest.fixture
def partner(cast, client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    client.force_login(cast.partner_a)
    return client


@pytest.fixture
def sent(monkeypatch):
    calls: list[dict] = []
    codes: list[int] = []

    def post(url, body, headers, timeout):
        calls.append({"url": url, "body": body, "headers": headers})
        return codes.pop(0) if codes else 204

    monkeypatch.setattr(webhooks, "post", post)
    return calls, codes


def _add_and_copy_secret(partner) -> tuple[Webhook, str]:
    partner.post(
        reverse("accounts:create_webhook"), {"url": HOOK_URL, "events": ["ask.status_changed"]}
    )
    page = partner.get(reverse("accounts:profile")).content.decode()
    secret = re.search(r'<code id="new-webhook-secret">([^<]+)</code>', page).group(1)
    return Webhook.objects.get(url=HOOK_URL), secret


def test_the_secret_from_the_profile_page_verifies_deliveries_and_retries(
    cast, partner, sent, django_capture_on_commit_callbacks
):
    calls, codes = sent
    hook, secret = _add_and_copy_secret(partner)
    codes.append(503)  # the receiver is down once: the retry must verify as the same message
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(
            actor=cast.liaison, ask=make_ask(cast.org_a, visibility="liaison"), comment="Got it"
        )
    [delivery] = WebhookDelivery.objects.filter(webhook=hook)
    webhooks.retry_due(now=delivery.next_attempt_at)
    first, retry = calls
    for call in (first, retry):
        payload = Receiver(secret).verify(call["body"], call["headers"])
        assert payload["event"] == "ask.status_changed"
        assert call["headers"]["webhook-signature"].startswith("v1,")
    assert first["headers"]["webhook-id"] == retry["headers"]["webhook-id"]
    with pytest.raises(WebhookVerificationError):
        Receiver(Webhook.new_secret()).verify(first["body"], first["headers"])


def test_a_test_event_is_sent_signed_and_shown_in_the_deliveries(
    cast, partner, sent, django_capture_on_commit_callbacks
):
    calls, _ = sent
    hook, secret = _add_and_copy_secret(partner)
    page = partner.get(reverse("accounts:webhook", args=[hook.pk])).content.decode()
    assert "Send a test event" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(reverse("accounts:ping_webhook", args=[hook.pk]), follow=True)
    [call] = calls
    assert call["url"] == HOOK_URL
    payload = Receiver(secret).verify(call["body"], call["headers"])
    assert payload["event"] == "webhook.ping" and payload["data"]["webhook"] == hook.pk
    assert "Test event sent" in response.content.decode()
    page = partner.get(reverse("accounts:webhook", args=[hook.pk])).content.decode()
    assert re.search(r"<code>webhook.ping</code></td><td>[^<]*</td><td>Delivered</td>", page)


def test_a_failed_test_event_says_why_and_is_not_retried(
    cast, partner, sent, django_capture_on_commit_callbacks
):
    calls, codes = sent
    hook, _ = _add_and_copy_secret(partner)
    codes.append(500)
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(reverse("accounts:ping_webhook", args=[hook.pk]))
    page = partner.get(reverse("accounts:webhook", args=[hook.pk])).content.decode()
    assert "HTTP 500" in page and "Failed" in page
    [ping] = WebhookDelivery.objects.filter(webhook=hook, event="webhook.ping")
    assert (ping.status, ping.next_attempt_at, len(calls)) == ("failed", None, 1)


def test_nobody_else_can_ping_a_partners_webhook(cast, partner, client, sent):
    hook, _ = _add_and_copy_secret(partner)
    client.force_login(cast.partner_b)
    assert client.post(reverse("accounts:ping_webhook", args=[hook.pk])).status_code == 404
    assert not WebhookDelivery.objects.filter(webhook=hook).exists()
