"""Where tasks run at once (TASKS_IMMEDIATE=true) a failed delivery can't wait on a queue for
its retry: the operator schedules ``manage.py retry_webhooks``, which sends what is due."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from powershare.api.models import Webhook, WebhookDelivery
from powershare.testing import make_ask
from support import actions


@pytest.fixture
def hook(cast):
    return Webhook.objects.create(
        owner=cast.partner_a,
        url="https://sync.eastside.example.org/hook",
        events=["ask.status_changed"],
        secret="whsec_x",
    )


def waiting(hook, *, minutes_ago=1, attempts=1, status="retrying"):
    """A delivery that failed ``attempts`` times and was to be retried ``minutes_ago``."""
    return WebhookDelivery.objects.create(
        webhook=hook,
        event="ask.status_changed",
        payload={"event": "ask.status_changed"},
        status=status,
        attempts=attempts,
        last_error="HTTP 503",
        next_attempt_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def retry(*options):
    out = StringIO()
    call_command("retry_webhooks", *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_delivery_that_failed_reaches_the_receiver_when_the_command_runs(
    cast, sent, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_BACKOFF_SECONDS = 0  # the retry is due at once
    Webhook.objects.create(
        owner=cast.partner_a, url="https://x.example.org", events=["ask.status_changed"]
    )
    sent.codes = [503]
    with django_capture_on_commit_callbacks(execute=True):
        actions.acknowledge(actor=cast.liaison, ask=make_ask(cast.org_a))
    assert WebhookDelivery.objects.get().status == "retrying"
    retry()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, len(sent.calls)) == ("delivered", 2, 2)


def test_only_deliveries_whose_retry_is_due_are_sent(hook, sent):
    due = waiting(hook)
    later = waiting(hook, minutes_ago=-5)
    given_up = waiting(hook, status="failed")
    output = retry()
    assert len(sent.calls) == 1
    assert sent.calls[0]["headers"]["webhook-id"] == f"msg_{due.pk}"
    assert f"Delivery {due.pk} " in output and "1 attempted, 1 delivered." in output
    for untouched in (later, given_up):
        assert WebhookDelivery.objects.get(pk=untouched.pk).attempts == 1


def test_a_delivery_at_the_attempt_cap_is_not_sent_again(hook, sent, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    capped = waiting(hook, attempts=3)
    retry()
    assert sent.calls == []
    assert WebhookDelivery.objects.get(pk=capped.pk).attempts == 3


def test_a_retry_that_fails_again_waits_longer(hook, sent, settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 60
    delivery = waiting(hook, attempts=2)
    sent.codes = [500]
    before = timezone.now()
    output = retry()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 3)
    assert delivery.next_attempt_at >= before + timedelta(minutes=4)
    assert "retrying (HTTP 500)" in output


def test_a_deleted_webhooks_delivery_is_not_sent(hook, sent):
    delivery = waiting(hook)
    Webhook.objects.filter(pk=hook.pk).update(active=False)  # deleted before it gave them up
    retry()
    delivery.refresh_from_db()
    assert sent.calls == []
    assert (delivery.status, delivery.last_error) == ("failed", "webhook deleted")


def test_a_dry_run_lists_what_is_due_and_sends_nothing(hook, sent):
    delivery = waiting(hook)
    output = retry("--dry-run")
    assert sent.calls == []
    assert (
        f"delivery {delivery.pk} (ask.status_changed to https://sync.eastside.example.org/hook)"
        in output
    )
    assert "1 delivery(ies) due; nothing sent" in output
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1
