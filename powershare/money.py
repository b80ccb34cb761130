"""Amounts of money as people read them: grouped thousands, cents only when there are any.

The same form as the templates' ``floatformat:"-2g"``, for messages built in Python.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def amount(value: Decimal | float | int) -> str:
    """15000 -> "15,000"; 12.5 -> "12.50" (in the reader's language's separators)."""
    whole = Decimal(value) == Decimal(value).to_integral_value()
    return number_format(value, 0 if whole else 2, force_grouping=True)
