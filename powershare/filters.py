"""Reading query parameters: one form per list, filter or export, and one answer for a value it
cannot read.

A view builds its filter form from ``request.GET`` and calls ``filters()``: it gets the cleaned
values (ids as ``int``, dates as ``date``, choices among their choices), or ``BadParameter`` is
raised, which every page answers with a 400 naming each parameter and what is wrong with it
(``powershare.views.bad_request``; the API answers in its JSON error format). An id past the
database's range, a word where a number belongs, an impossible date, an unknown choice and text
past its length are all refused before any query runs, never a server error and never a quietly
different list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from powershare.forms import MAX_ID, Form

__all__ = [
    "MAX_ID",
    "BadParameter",
    "FilterForm",
    "IdField",
    "MonthField",
    "SearchField",
    "choice_filter",
    "read_param",
]
# Search text longer than this is no search anyone typed (the boxes stop at it).
MAX_TEXT = 200


class BadParameter(BadRequest):
    """Query parameters that cannot be read: ``errors`` maps each one's name to its label and
    messages. Answered with a 400 that names them."""

    def __init__(self, errors: Mapping[str, tuple[str, Sequence[str]]]) -> None:
        self.errors = {
            name: (str(label), [str(m) for m in msgs]) for name, (label, msgs) in errors.items()
        }
        super().__init__(
            "; ".join(f"{name}: {' '.join(msgs)}" for name, (_label, msgs) in self.errors.items())
        )


class IdField(forms.IntegerField):
    """A record's id in a parameter: a whole number from 1 to the largest id the database holds.
    Optional; the empty value is ``None``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (what a month input sends), cleaned to its first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2025-03.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> date | None:
        text = super().clean(value)
        if not text:
            return None
        found = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
        try:
            if found is None:
                raise ValueError(text)
            return date(int(found[1]), int(found[2]), 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class SearchField(forms.CharField):
    """Free text to search for: optional, stripped, at most ``MAX_TEXT`` characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", MAX_TEXT)
        kwargs.setdefault("label", _("Search"))
        super().__init__(**kwargs)


def choice_filter(label: Any, choices: Any, *, blank: Any = None) -> forms.ChoiceField:
    """An optional choice among ``choices`` (a list of pairs or a ``TextChoices``), "Any" when
    left empty; anything else is refused."""
    pairs = list(getattr(choices, "choices", choices))
    return forms.ChoiceField(label=label, required=False, choices=[("", blank or _("Any")), *pairs])


class FilterForm(Form):
    """A list's filters, all optional. ``filters()`` gives the values that were given, cleaned, or
    raises ``BadParameter`` naming every one that cannot be read."""

    def __init__(self, data: QueryDict | Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(data if data is not None else {}, **kwargs)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            raise BadParameter(
                {
                    name: (str(self._label(name)), [str(e) for e in errors])
                    for name, errors in self.errors.items()
                }
            )
        return {k: v for k, v in self.cleaned_data.items() if _given(v)}

    def _label(self, name: str) -> Any:
        field = self.fields.get(name)
        return (field.label if field is not None else None) or name


def _given(value: Any) -> bool:
    """A value the visitor chose: not empty, not an unticked box (``0`` is a choice)."""
    return value is not None and value is not False and value != "" and value != []


def read_param(query: QueryDict | Mapping[str, Any], name: str, field: forms.Field) -> Any:
    """The one parameter ``name`` read through ``field``: its cleaned value, ``None`` when it is
    not given, ``BadParameter`` when it cannot be read. For views that read a single value."""
    form_class = type("ParamForm", (FilterForm,), {name: field})
    return form_class(query).filters().get(name)
