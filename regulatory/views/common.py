"""Helpers shared by the regulatory pages."""

from __future__ import annotations

from typing import Any


def form_status(form: Any) -> int:
    return 400 if form.errors else 200
