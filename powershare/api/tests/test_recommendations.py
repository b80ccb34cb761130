"""Recommendations in the API: drafts for insiders, draft responses for staff, and the webhook
when the department publishes a response."""

from __future__ import annotations

import json

import pytest

from accountability import actions
from accountability.tests.factories import adopt, make_board
from powershare.api import webhooks
from powershare.api.models import Webhook
from powershare.api.tests.helpers import client_for


@pytest.fixture
def sent(monkeypatch, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    calls = []
    monkeypatch.setattr(
        webhooks, "post", lambda url, body, headers, timeout: calls.append(body) or 200
    )
    return calls


def test_draft_responses_are_for_staff_and_publishing_one_sends_the_webhook(
    cast, sent, django_capture_on_commit_callbacks
):
    board = make_board(cast)
    recommendation = adopt(cast, board)
    Webhook.objects.create(
        owner=cast.partner_b,
        url="https://x.example.org",
        secret="s",
        events=["recommendation.response_created"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft = actions.respond(
            actor=cast.admin,
            recommendation=recommendation,
            decision="accept",
            rationale="",
            publish=False,
        )
    assert sent == []  # a draft is not news
    url = f"/api/v1/recommendations/{recommendation.pk}"
    assert client_for(cast.admin).get(url).json()["responses"][0]["published"] is None
    assert client_for(None).get(url).json()["responses"] == []
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_response(actor=cast.admin, response=draft, rationale="We will do it.")
    [body] = sent
    data = json.loads(body)["data"]
    assert data["response"]["rationale"] == "We will do it."
    assert data["recommendation"]["id"] == recommendation.pk
    public = client_for(None).get(url).json()
    assert [r["decision"] for r in public["responses"]] == ["accept"]
