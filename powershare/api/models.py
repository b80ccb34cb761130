"""Webhook subscriptions and their delivery log."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Webhook(models.Model):
    """A URL that is told, by a signed POST, when one of the chosen events happens to a record
    its owner may see. Deliveries carry what the owner would see in the API, nothing more."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # Kept in the clear: the server needs it to sign each delivery (HMAC-SHA256).
    secret = models.CharField(max_length=80, editable=False)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.redacted_url

    @property
    def redacted_url(self) -> str:
        """The URL without a user, password, query or fragment, where receivers often keep a
        credential: what the audit log and the retry command's output show."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        try:
            port = parts.port
        except ValueError:
            port = None
        return f"{parts.scheme}://{host}{f':{port}' if port else ''}{parts.path}"

    @staticmethod
    def new_secret() -> str:
        """``whsec_`` and 32 random bytes in standard base64, as Standard Webhooks expects."""
        return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one webhook, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", pgettext_lazy("webhook delivery", "Failed")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.status})"
