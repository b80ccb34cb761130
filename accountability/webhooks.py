"""Accountability's webhook event: ``recommendation.response_created``, sent when the department
publishes a response (see docs/api.md). Connected when the app is ready."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from accountability.api import RecommendationOut, recommendation_out
from accountability.models import Recommendation, Response
from powershare.api.webhooks import emit


def response_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    # A response becomes news when it is published: created published, or published later.
    fields = kwargs.get("update_fields")
    if instance.published is None or not (created or (fields and "published" in fields)):
        return
    response_id = instance.pk

    def payload_for(owner: Any) -> dict[str, Any] | None:
        response = Response.objects.filter(pk=response_id).first()
        if response is None:
            return None
        visible = Recommendation.objects.visible_to(owner).filter(pk=response.recommendation_id)
        recommendation = visible.select_related("addressed_to").first()
        if recommendation is None:
            return None
        return {
            "recommendation": RecommendationOut.model_validate(
                recommendation_out(None, recommendation, user=owner)
            ).model_dump(mode="json"),
            "response": {
                "id": response.pk,
                "decision": response.decision,
                "rationale": response.rationale,
                "published": response.published,
            },
        }

    transaction.on_commit(lambda: emit("recommendation.response_created", payload_for))


def connect() -> None:
    """Listen to responses being saved (``AccountabilityConfig.ready``)."""
    post_save.connect(
        response_saved, sender=Response, dispatch_uid="accountability.webhooks.response"
    )
