"""View decorators for roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

View = Callable[..., HttpResponse]


def department_required(view: View) -> View:
    """Signed-in department staff only; others get 403, signed-out users the sign-in page."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_department:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def department_admin_required(view: View) -> View:
    """Department admins only."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_department_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
