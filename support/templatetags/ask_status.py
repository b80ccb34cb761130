"""An ask's status tag as a value, so that one translated sentence can hold two of them."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def ask_status_tag(status: str, label: str) -> SafeString:
    """The tag that ``support/includes/status_tag.html`` draws, for ``{% blocktranslate %}``."""
    html = render_to_string("support/includes/status_tag.html", {"status": status, "label": label})
    return mark_safe(html.strip())  # the template escaped the label
