"""The API's webhook endpoints: list, add and stop your webhooks, read a webhook's delivery
log. Adding and stopping go through ``powershare.api.actions``; what is sent, and how, is
``powershare.api.webhooks``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema, Status

from powershare.api import actions, queries
from powershare.api.auth import ApiError, TokenAuth
from powershare.api.models import Webhook, WebhookDelivery
from powershare.api.schemas import MAX_ID, choice, responses
from powershare.api.webhooks import EVENTS

# The operation ids are those the schema published when these endpoints lived in
# powershare.api.webhooks: clients generated from it keep their method names. Webhooks are a
# user's own, so even reading them needs a token (the schema declares the token alone).
router = Router(tags=["webhooks"], auth=TokenAuth(anonymous=False))


class WebhookIn(Schema):
    url: str = Field(max_length=500, description="Where to POST; https in production.")
    events: list[str] = Field(min_length=1, max_length=len(EVENTS), description="Event names.")


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    active: bool
    created: datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(description="Signs every delivery; shown only now.")


class DeliveryOut(Schema):
    id: int
    event: str
    status: choice(WebhookDelivery.Status)
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    created: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]


def _signed_in(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        raise ApiError(401, "Webhooks need a token.")
    return request.user


def _own(request: HttpRequest, webhook_id: int) -> Webhook:
    hook = queries.own_webhook(_signed_in(request), webhook_id)
    if hook is None:
        raise ApiError(404, "Not found.")
    return hook


@router.get(
    "/webhooks",
    response=responses(list[WebhookOut]),
    operation_id="powershare_api_webhooks_list_webhooks",
    url_name="webhooks",
    summary="Your webhooks",
)
def list_webhooks(request: HttpRequest) -> Any:
    return list(queries.webhooks_of(_signed_in(request)))


@router.post(
    "/webhooks",
    response=responses(WebhookCreated, 201, write=True),
    operation_id="powershare_api_webhooks_create_webhook",
    url_name="webhook_create",
    summary="Subscribe a URL to events",
)
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Any:
    user = _signed_in(request)
    hook = actions.create_webhook(actor=user, url=payload.url, events=payload.events)
    return Status(201, hook)


@router.delete(
    "/webhooks/{webhook_id}",
    response=responses(None, 204, write=True),
    operation_id="powershare_api_webhooks_delete_webhook",
    url_name="webhook",
    summary="Stop a webhook",
)
def delete_webhook(request: HttpRequest, webhook_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    actions.delete_webhook(actor=_signed_in(request), webhook=_own(request, webhook_id))
    return Status(204, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=responses(list[DeliveryOut]),
    operation_id="powershare_api_webhooks_list_deliveries",
    url_name="webhook_deliveries",
    summary="A webhook's delivery log, newest first (the last 100)",
)
def list_deliveries(request: HttpRequest, webhook_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return list(queries.recent_deliveries(_own(request, webhook_id)))
