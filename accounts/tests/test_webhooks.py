"""A partner's tech volunteer manages their webhooks on the profile page, next to their API
tokens: adds one (the secret shown once), watches its deliveries, deletes it after confirming."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from powershare.api.models import Webhook, WebhookDelivery
from powershare.audit.models import AuditEvent

HOOK_URL = "https://sync.eastside.example.org/powershare"


@pytest.fixture
def partner(cast, client, settings):
    """Partner A signed in; webhook destinations are not looked up in DNS."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    client.force_login(cast.partner_a)
    return client


def add(client, url=HOOK_URL, events=("ask.status_changed",)):
    return client.post(reverse("accounts:create_webhook"), {"url": url, "events": list(events)})


def make_hook(owner, url=HOOK_URL):
    return Webhook.objects.create(
        owner=owner, url=url, events=["ask.status_changed"], secret=Webhook.new_secret()
    )


def test_a_partner_adds_a_webhook_and_sees_it_listed(partner):
    response = add(partner)
    assert response.status_code == 302
    page = partner.get(reverse("accounts:profile")).content.decode()
    assert HOOK_URL in page and "ask.status_changed" in page


def test_the_signing_secret_is_shown_once(partner, cast):
    add(partner)
    secret = Webhook.objects.get(owner=cast.partner_a).secret
    first = partner.get(reverse("accounts:profile")).content.decode()
    assert f'<code id="new-webhook-secret">{secret}</code>' in first
    again = partner.get(reverse("accounts:profile")).content.decode()
    assert secret not in again


def test_a_private_address_is_refused(partner, settings, cast):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = add(partner, url="https://10.1.2.3/hook")
    assert response.status_code == 400
    assert "10.1.2.3 is not a public address" in response.content.decode()
    assert not Webhook.objects.filter(owner=cast.partner_a).exists()


def test_a_plain_http_address_is_refused(partner, cast):
    response = add(partner, url="http://sync.eastside.example.org/powershare")
    assert response.status_code == 400
    assert "Give a full https:// address." in response.content.decode()
    assert not Webhook.objects.filter(owner=cast.partner_a).exists()


def test_a_webhook_needs_at_least_one_event(partner, cast):
    response = add(partner, events=())
    assert response.status_code == 400
    assert "Events: This field is required." in response.content.decode()
    assert not Webhook.objects.filter(owner=cast.partner_a).exists()


def test_the_list_shows_each_webhooks_last_delivery(partner, cast):
    hook = make_hook(cast.partner_a)
    WebhookDelivery.objects.create(webhook=hook, event="ask.status_changed", payload={})
    WebhookDelivery.objects.create(
        webhook=hook, event="ask.status_changed", payload={}, status="failed", attempts=6
    )
    page = partner.get(reverse("accounts:profile")).content.decode()
    row = page[page.index(HOOK_URL) :]
    row = row[: row.index("</tr>")]
    assert "Failed" in row and "Pending" not in row


def test_the_deliveries_page_shows_status_attempts_and_next_retry(partner, cast):
    hook = make_hook(cast.partner_a)
    retry_at = timezone.now() + timedelta(minutes=4)
    WebhookDelivery.objects.create(
        webhook=hook,
        event="ask.status_changed",
        payload={},
        status="retrying",
        attempts=3,
        last_status_code=503,
        last_error="HTTP 503",
        next_attempt_at=retry_at,
    )
    page = partner.get(reverse("accounts:webhook", args=[hook.pk])).content.decode()
    cells = [
        "<td>Retrying</td>",
        "<td>3</td>",
        "<td>HTTP 503</td>",
        f"<td>{date_format(timezone.localtime(retry_at), 'SHORT_DATETIME_FORMAT')}</td>",
    ]
    assert all(cell in page for cell in cells), page[page.index("<tbody>") :]


def test_deleting_asks_for_confirmation_first(partner, cast):
    hook = make_hook(cast.partner_a)
    confirm = partner.get(reverse("accounts:delete_webhook", args=[hook.pk]))
    assert "Delete this webhook?" in confirm.content.decode()
    hook.refresh_from_db()
    assert hook.active


def test_a_deleted_webhook_leaves_the_list(partner, cast):
    hook = make_hook(cast.partner_a)
    response = partner.post(reverse("accounts:delete_webhook", args=[hook.pk]))
    assert response.status_code == 302
    hook.refresh_from_db()
    assert not hook.active
    assert HOOK_URL not in partner.get(reverse("accounts:profile")).content.decode()


def test_someone_elses_webhook_is_not_found(client, cast):
    hook = make_hook(cast.partner_a)
    client.force_login(cast.partner_b)
    assert client.get(reverse("accounts:webhook", args=[hook.pk])).status_code == 404
    assert client.post(reverse("accounts:delete_webhook", args=[hook.pk])).status_code == 404
    hook.refresh_from_db()
    assert hook.active


def test_adding_and_deleting_are_in_the_audit_log_without_the_secret(partner, cast):
    add(partner)
    hook = Webhook.objects.get(owner=cast.partner_a)
    partner.post(reverse("accounts:delete_webhook", args=[hook.pk]))
    created, deleted = AuditEvent.objects.filter(record_id=str(hook.pk)).order_by("pk")
    assert (created.event, created.actor, created.record_type) == (
        "webhook.created",
        cast.partner_a,
        "api.webhook",
    )
    assert created.changes == {
        "url": [None, HOOK_URL],
        "events": [None, ["ask.status_changed"]],
        "active": [None, True],
    }
    assert (deleted.event, deleted.changes) == ("webhook.deleted", {"active": [True, False]})
    logged = json.dumps([(e.record_repr, e.changes) for e in (created, deleted)])
    assert hook.secret not in logged


def test_credentials_in_the_url_stay_out_of_the_audit_log(partner, cast):
    add(partner, url="https://sync:hunter2@hooks.example.org/in?key=abc123")
    event = AuditEvent.objects.get(event="webhook.created")
    logged = json.dumps([event.record_repr, event.changes])
    assert "https://hooks.example.org/in" in logged
    assert "hunter2" not in logged and "abc123" not in logged


def test_in_spanish_a_failed_delivery_reads_fallida_not_a_failed_motion(partner, cast):
    hook = make_hook(cast.partner_a)
    WebhookDelivery.objects.create(
        webhook=hook, event="ask.status_changed", payload={}, status="failed", attempts=6
    )
    partner.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = partner.get(reverse("accounts:webhook", args=[hook.pk])).content.decode()
    assert "<td>Fallida</td>" in page and "No aprobada" not in page
