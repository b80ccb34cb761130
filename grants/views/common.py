"""Helpers shared by the grants pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from grants import rules
from grants.models import Application, Award, Cycle
from powershare.visibility import get_visible_or_404


def get_cycle(request: HttpRequest, pk: int) -> Cycle:
    return get_object_or_404(
        Cycle.objects.visible_to(request.user).select_related("program"), pk=pk
    )


def get_staff_cycle(request: HttpRequest, pk: int) -> Cycle:
    cycle = get_cycle(request, pk)
    if not rules.is_staff(request.user):
        raise PermissionDenied
    return cycle


def get_application(request: HttpRequest, pk: int) -> Application:
    return get_visible_or_404(
        Application.objects.select_related("cycle__program", "organization"), request.user, pk=pk
    )


def get_award(request: HttpRequest, pk: int) -> Award:
    from grants.queries import awards_for

    return get_object_or_404(awards_for(request.user), pk=pk)


def flag(value: Any) -> bool:
    return str(value).lower() in {"1", "true", "on", "yes"}
