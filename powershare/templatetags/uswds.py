"""Render third-party forms (django-allauth's) with USWDS classes."""

from django import template
from django.forms import BoundField

from powershare.forms import WIDGET_CLASSES

register = template.Library()


@register.filter
def uswds(field: BoundField) -> str:
    """The field's widget with the USWDS class for its kind and error state."""
    widget = field.field.widget
    css = next((c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind), "usa-input")
    if field.errors and css == "usa-input":
        css += " usa-input--error"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    return field.as_widget(attrs=attrs)
