"""Emails about the board's work: reminders of responses coming due, a new recommendation to
answer, an access need to arrange. Sent after commit, in each recipient's language."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import DepartmentRole, User
from powershare.mail import send_to_users

if TYPE_CHECKING:
    from accountability.models import AccessRequest, Recommendation


def _link(path: str) -> str:
    return (settings.SITE_URL or "").rstrip("/") + path


def responders(recommendation: Recommendation) -> list[User]:
    """Who answers a recommendation: department admins, and the staff who are liaisons for the
    unit it is addressed to."""
    users = User.objects.filter(is_active=True).exclude(email="")
    admins = users.filter(department_role=DepartmentRole.ADMIN)
    unit_staff = users.exclude(department_role="").filter(
        liaison_for__unit=recommendation.addressed_to
    )
    return list((admins | unit_staff).distinct().order_by("pk"))


def response_reminder(recommendation: Recommendation, *, today: date) -> int:
    """Remind the responders that a response is due soon; returns how many were written to."""
    recipients = responders(recommendation)
    days = (recommendation.response_due - today).days  # type: ignore[operator]
    send_to_users(
        recipients,
        actor=None,
        subject=lambda: (
            ngettext(
                "Response due in %(days)s day: recommendation %(number)s",
                "Response due in %(days)s days: recommendation %(number)s",
                days,
            )
            % {"days": days, "number": recommendation.number}
        ),
        template="accountability/email/response_reminder.txt",
        context={
            "recommendation": recommendation,
            "days": days,
            "link": _link(recommendation.get_absolute_url()),
        },
    )
    return len(recipients)


def recommendation_adopted(recommendation: Recommendation, *, actor: Any) -> None:
    """Tell the responders that the board adopted a recommendation and when the answer is due."""
    send_to_users(
        responders(recommendation),
        actor=actor,
        subject=lambda: (
            _("The advisory board adopted recommendation %(number)s: %(title)s")
            % {"number": recommendation.number, "title": recommendation.title}
        ),
        template="accountability/email/recommendation_adopted.txt",
        context={
            "recommendation": recommendation,
            "link": _link(recommendation.get_absolute_url()),
        },
    )


def access_requested(access: AccessRequest) -> None:
    """Tell department admins that someone needs interpretation or another accommodation."""
    admins = User.objects.filter(is_active=True, department_role=DepartmentRole.ADMIN)
    send_to_users(
        admins,
        actor=access.requested_by,
        subject=lambda: (
            _("Access need for the meeting “%(meeting)s”") % {"meeting": access.meeting.title}
        ),
        template="accountability/email/access_requested.txt",
        context={"access": access, "link": _link(access.meeting.get_absolute_url())},
    )
