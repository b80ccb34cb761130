"""Who may do what in a grant cycle. Views and actions ask these; nothing else decides."""

from __future__ import annotations

from typing import Any

from grants.models import Application, Assignment, ConflictDeclaration, Cycle, PanelMember, Review

APPLICANT_KINDS = {"cpbo", "nonprofit"}


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_staff(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_department)


def is_panelist(user: Any, cycle: Cycle) -> bool:
    return _signed_in(user) and PanelMember.objects.filter(cycle=cycle, reviewer=user).exists()


def is_conflicted(user: Any, application: Application) -> bool:
    return (
        _signed_in(user)
        and ConflictDeclaration.objects.filter(
            application=application, reviewer=user, has_conflict=True
        ).exists()
    )


def declared_clear(user: Any, application: Application) -> bool:
    return (
        _signed_in(user)
        and ConflictDeclaration.objects.filter(
            application=application, reviewer=user, has_conflict=False
        ).exists()
    )


def is_assigned(user: Any, application: Application) -> bool:
    return (
        _signed_in(user)
        and Assignment.objects.filter(application=application, reviewer=user).exists()
    )


def has_submitted(user: Any, application: Application) -> bool:
    return (
        _signed_in(user)
        and Review.objects.filter(
            application=application, reviewer=user, submitted_at__isnull=False
        ).exists()
    )


def may_review(user: Any, application: Application) -> bool:
    """Assigned, declared free of conflict, and the application is in review."""
    return (
        application.status == Application.Status.SUBMITTED
        and application.eligibility != Application.Eligibility.INELIGIBLE
        and is_assigned(user, application)
        and declared_clear(user, application)
    )


def is_applicant(user: Any, application: Application) -> bool:
    """A member of the organization that applied."""
    return _signed_in(user) and application.organization_id in user.organization_ids


def withdrawal_open(application: Application) -> bool:
    """A submitted application may be withdrawn until the cycle's decisions start their
    approval chain (they lock then, and become final at its end)."""
    cycle = application.cycle
    return (
        application.status == Application.Status.SUBMITTED
        and cycle.status in (Cycle.Status.OPEN, Cycle.Status.REVIEW)
        and not cycle.approvals.exists()
    )


def may_withdraw(user: Any, application: Application) -> bool:
    """The applicant's members, while withdrawal is open."""
    return is_applicant(user, application) and withdrawal_open(application)


def may_see_scores(user: Any, application: Application) -> bool:
    """Others' scores: never to the conflicted; to a reviewer only after submitting their own;
    to staff who are not reviewing it."""
    if is_conflicted(user, application):
        return False
    if is_assigned(user, application):
        return has_submitted(user, application)
    return is_staff(user)


def may_deliberate(user: Any, application: Application) -> bool:
    return may_see_scores(user, application)


def may_see_ranking(user: Any, cycle: Cycle) -> bool:
    """Staff, and panelists who have submitted every review assigned to them."""
    if is_staff(user):
        return True
    if not is_panelist(user, cycle):
        return False
    assigned = Assignment.objects.filter(application__cycle=cycle, reviewer=user).count()
    done = Review.objects.filter(
        application__cycle=cycle, reviewer=user, submitted_at__isnull=False
    ).count()
    return assigned > 0 and done >= assigned


def applicant_orgs(user: Any) -> list[Any]:
    """The organizations ``user`` may apply for."""
    if not _signed_in(user) or not user.organization_ids:
        return []
    from partners.models import Organization

    return list(Organization.objects.filter(pk__in=user.organization_ids, kind__in=APPLICANT_KINDS))
