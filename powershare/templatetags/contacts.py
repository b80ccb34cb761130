"""``{% contact record "field" %}``: a contact field as the reader may see it (partners.rules)."""

from __future__ import annotations

from typing import Any

from django import template

from partners.rules import can_see_contact, shown_contact

register = template.Library()


@register.simple_tag(takes_context=True)
def contact(context: template.Context, record: Any, *fields: str) -> str:
    """The values, "Hidden: high-risk", or nothing; never a value to someone who may not."""
    return shown_contact(context.get("user"), record, *fields)


@register.simple_tag(takes_context=True)
def sees_contact(context: template.Context, record: Any) -> bool:
    return can_see_contact(context.get("user"), record)
