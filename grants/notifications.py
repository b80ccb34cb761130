"""Emails about grants, each in its recipient's language, sent only after the commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from powershare.mail import send_to_users


def link(path: str) -> str:
    return (settings.SITE_URL or "").rstrip("/") + path


def members(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(memberships__organization_id=organization_id, is_active=True)
        .exclude(email="")
        .distinct()
    )


def _to_applicant(application: Any, subject: Callable[[], str], template: str) -> None:
    """Write to the applying organization's members about their application."""
    send_to_users(
        members(application.organization_id),
        subject=subject,
        template=template,
        context={"application": application, "link": link(application.get_absolute_url())},
    )


def application_submitted(application: Any) -> None:
    """Confirm to the applicant's members that the department received the application."""
    _to_applicant(
        application,
        lambda: _("We received your application: %(title)s") % {"title": application.project_title},
        "grants/email/submitted.txt",
    )


def decision_final(application: Any) -> None:
    """Tell the applicant the cycle's decisions are final, and theirs."""
    _to_applicant(
        application,
        lambda: _("Decision on your application: %(title)s") % {"title": application.project_title},
        "grants/email/decided.txt",
    )


def application_withdrawn(application: Any) -> None:
    """Confirm to the applicant's members that the application was withdrawn."""
    _to_applicant(
        application,
        lambda: (
            _("Your application was withdrawn: %(title)s") % {"title": application.project_title}
        ),
        "grants/email/withdrawn.txt",
    )


def report_reminder(report: Any, *, today: date) -> int:
    """Remind the grantee's members of a progress report coming due or overdue; returns how
    many were written to."""
    recipients = members(report.award.application.organization_id)
    days = (report.due - today).days
    overdue = days < 0
    title = report.award.application.project_title
    send_to_users(
        recipients,
        subject=lambda: (
            (
                _("Progress report overdue: %(title)s")
                if overdue
                else _("Progress report due soon: %(title)s")
            )
            % {"title": title}
        ),
        template="grants/email/report_reminder.txt",
        context={
            "report": report,
            "days": abs(days),
            "overdue": overdue,
            "link": link(reverse("grants:report", args=[report.award_id, report.pk])),
        },
    )
    return len(recipients)


def reviewer_welcome(user: User, reset_path: str) -> None:
    """Welcome a resident to the reviewer pool with a link to set their password."""
    send_to_users(
        [user],
        subject=lambda: _("Welcome to the community grant review panel"),
        template="grants/email/reviewer_welcome.txt",
        context={"link": link(reset_path)},
    )
