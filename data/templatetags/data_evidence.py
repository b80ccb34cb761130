"""Template tags other apps' pages use to show the evidence linked to their records: the
campaign page (partners) and the ask page (support) include
``data/includes/linked_evidence.html``, so those apps never import the data app."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from data import queries, rules
from data.models import EvidenceItem

register = template.Library()


def _user(context: Any) -> Any:
    return getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def evidence_linked_to(context: Any, record: Any) -> list[EvidenceItem]:
    """Evidence linked to ``record`` (a campaign or an ask) that the page's reader may see."""
    return list(queries.linked_evidence(_user(context), record))


@register.simple_tag(takes_context=True)
def add_evidence_url(context: Any, record: Any) -> str:
    """The address of the evidence form with ``record`` ticked, if the reader may add it."""
    if not rules.can_link_evidence(_user(context), record):
        return ""
    key = "ask" if record._meta.model_name == "ask" else "campaign"
    return f"{reverse('data:evidence_new')}?{urlencode({key: record.pk})}"
