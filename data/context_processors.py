"""The banner every department admin sees while a policy change waits for a second admin
(the app has no in-app notifications; the other admins also get an email)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def policy_review(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated and user.is_department_admin):
        return {}
    from data.policy_changes import pending_change

    # A callable: the template asks for it (one query) only on pages that draw the banner.
    return {"pending_policy_change": pending_change}
