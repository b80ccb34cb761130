"""Template context every page needs: the signed-in user's roles."""

from typing import Any

from django.http import HttpRequest


def roles(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    signed_in = user.is_authenticated
    return {
        "is_department": signed_in and user.is_department,
        "is_department_admin": signed_in and user.is_department_admin,
        "is_partner": signed_in and user.is_partner,
    }
