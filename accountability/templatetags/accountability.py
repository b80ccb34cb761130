"""Template tags other apps' pages use to show the board's work."""

from __future__ import annotations

from typing import Any

from django import template

from accountability import rules
from accountability.models import OrganizerPosition

register = template.Library()


@register.simple_tag(takes_context=True)
def organizers_for(context: dict[str, Any], partnership: Any) -> list[OrganizerPosition]:
    """Organizer positions supporting ``partnership`` that the page's reader may see."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return list(
        OrganizerPosition.objects.visible_to(user)
        .filter(partnerships=partnership)
        .select_related("organizer", "unit")
    )


@register.simple_tag(takes_context=True)
def board_admin(context: dict[str, Any]) -> bool:
    """Whether the page's reader runs the board (a department admin or the chair)."""
    request = context.get("request")
    return rules.is_board_admin(getattr(request, "user", None))
