"""Changes of state of the board's roster (seats, terms, renewals, vacancies, applications,
members' private profiles, stipend payments) and of organizer positions. Like ``actions.py``:
each in a transaction, each written to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import queries
from accountability.models import (
    Application,
    Board,
    MemberProfile,
    OrganizerPosition,
    Seat,
    StipendPayment,
    Term,
)
from accountability.rules import require_board_admin
from accounts.models import User
from partners.models import Campaign, Partnership
from powershare import money
from powershare.audit.log import diff, record, snapshot

PROFILE_FIELDS = ["eligibility", "payment_preference", "tax_form_on_file", "tax_form_received"]
POSITION_FIELDS = [
    "title",
    "unit_id",
    "job_description",
    "community_input",
    "status",
    "posted_on",
    "hired_on",
    "organizer_id",
    "visibility",
]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def _check_vacant(seat: Seat, start: date, end: date, *, ignore: Term | None = None) -> None:
    overlapping = seat.terms.filter(start__lte=end, end__gte=start).exclude(ended_early__lte=start)
    if ignore is not None:
        overlapping = overlapping.exclude(pk=ignore.pk)
    if overlapping.exists():
        raise ValidationError(
            _("The seat “%(seat)s” is filled for part of that time.") % {"seat": seat.name}
        )


@transaction.atomic
def seat_member(
    *, actor: User, seat: Seat, member: User, start: date, renewal_of: Term | None = None
) -> Term:
    """Give ``member`` a term on a vacant ``seat`` from ``start``, for the seat's term length."""
    require_board_admin(actor)
    end = add_months(start, seat.term_months) - timedelta(days=1)
    _check_vacant(seat, start, end)
    term = Term.objects.create(
        seat=seat, member=member, start=start, end=end, renewal_of=renewal_of
    )
    if not member.is_board_member:
        member.is_board_member = True
        member.save(update_fields=["is_board_member"])
    MemberProfile.objects.get_or_create(member=member)
    record(
        actor=actor,
        event="board.term_renewed" if renewal_of else "board.member_seated",
        target=term,
        changes={"seat": seat.name, "member": member.pk, "start": str(start), "end": str(end)},
    )
    return term


@transaction.atomic
def renew_term(*, actor: User, term: Term) -> Term:
    """A second term on the same seat, from the day after the current one ends."""
    if term.ended_early:
        raise ValidationError(_("This term ended early; it cannot be renewed."))
    if Term.objects.filter(renewal_of=term).exists():
        raise ValidationError(_("This term was already renewed."))
    return seat_member(
        actor=actor,
        seat=term.seat,
        member=term.member,
        start=term.end + timedelta(days=1),
        renewal_of=term,
    )


@transaction.atomic
def end_term(*, actor: User, term: Term, on: date, reason: str) -> Term:
    """End a term early (resignation, moving away); the seat is vacant from ``on``."""
    require_board_admin(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the term ends early."))
    if not term.start <= on <= term.end:
        raise ValidationError(_("The date must fall within the term."))
    term.ended_early = on
    term.end_reason = reason
    term.save(update_fields=["ended_early", "end_reason"])
    member = term.member
    still_serving = (
        Term.objects.filter(member=member, end__gte=on)
        .exclude(pk=term.pk)
        .exclude(ended_early__isnull=False)
    )
    if not still_serving.exists():
        member.is_board_member = False
        member.save(update_fields=["is_board_member"])
    record(
        actor=actor,
        event="board.term_ended",
        target=term,
        changes={"on": str(on), "reason": reason},
    )
    return term


def vacancies(board: Board, on: date | None = None) -> list[Seat]:
    """Seats nobody holds on ``on`` (today by default)."""
    seated = set(board.seated_terms(on).values_list("seat_id", flat=True))
    return [seat for seat in board.seats.all() if seat.pk not in seated]


@transaction.atomic
def save_member_profile(*, actor: User, member: User, **fields: Any) -> MemberProfile:
    """Change a member's private profile: eligibility, payment preference, tax form."""
    require_board_admin(actor)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"save_member_profile() cannot change {', '.join(sorted(unknown))}")
    profile, _created = MemberProfile.objects.get_or_create(member=member)
    before = snapshot(profile, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(profile, name, value)
    if not profile.tax_form_on_file:
        profile.tax_form_received = None
    profile.full_clean()
    profile.save()
    # The log says which fields changed, never their private values.
    changed = sorted(diff(before, snapshot(profile, PROFILE_FIELDS)))
    record(actor=actor, event="board.profile_changed", target=profile, changes={"fields": changed})
    return profile


# Stipend payments --------------------------------------------------------------------------


@transaction.atomic
def record_stipend_payment(
    *,
    actor: User,
    board: Board,
    member: User,
    month: date,
    amount: Decimal,
    paid_on: date,
    method: str,
    reference: str = "",
) -> StipendPayment:
    """Record that finance paid ``member`` (part of) their stipend for ``month``'s meetings.
    Never more than is still owed for that month, never dated before the month or in the
    future. The views ask for the admin's password first."""
    require_board_admin(actor)
    # One payment at a time per board, so two clerks can't both pay what is still owed.
    board = Board.objects.select_for_update().get(pk=board.pk)
    month = month.replace(day=1)
    errors: dict[str, str] = {}
    if method not in StipendPayment.Method.values:
        errors["method"] = _("Choose how it was paid.")
    if paid_on < month:
        errors["paid_on"] = _("A payment for %(month)s can't be dated before the month began.") % {
            "month": month.strftime("%Y-%m")
        }
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("Record a payment once it is made, not before.")
    line = queries.member_month(board, member, month)
    if line is None or line.amount <= 0:
        raise ValidationError(
            _("No stipend is owed to %(name)s for that month.") % {"name": member}
        )
    if amount <= 0:
        errors["amount"] = _("Enter an amount above zero.")
    elif amount > line.outstanding:
        errors["amount"] = _("That is more than the $%(owed)s still owed for that month.") % {
            "owed": money.amount(line.outstanding)
        }
    if errors:
        raise ValidationError(errors)
    payment = StipendPayment(
        board=board,
        member=member,
        month=month,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference.strip(),
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    record(
        actor=actor,
        event="board.stipend_paid",
        target=payment,
        changes={
            "member": member.pk,
            "month": month.strftime("%Y-%m"),
            "amount": str(amount),
            "paid_on": str(paid_on),
            "method": method,
            "reference": payment.reference,
            "still_owed": str(line.outstanding - amount),
        },
    )
    return payment


# Applications to serve ---------------------------------------------------------------------


@transaction.atomic
def submit_application(*, board: Board, **fields: Any) -> Application:
    """Anyone may apply to serve on the board, signed in or not."""
    application = Application(board=board, **fields)
    application.full_clean()
    application.save()
    record(
        actor=None,
        event="board.application_received",
        target=application,
        changes={"seat_kind": application.seat_kind},
    )
    return application


@transaction.atomic
def decide_application(
    *, actor: User, application: Application, status: str, note: str = ""
) -> Application:
    """Shortlist an application, or say it was not selected (with a note kept for the record)."""
    require_board_admin(actor)
    if status not in (Application.Status.SHORTLISTED, Application.Status.NOT_SELECTED):
        raise ValidationError(_("Choose shortlisted or not selected; selecting gives a seat."))
    if application.status == Application.Status.SELECTED:
        raise ValidationError(_("This applicant was already selected."))
    old = application.status
    application.status = status
    application.decision_note = note.strip()
    application.decided = timezone.now()
    application.save()
    record(
        actor=actor,
        event="board.application_decided",
        target=application,
        changes={"status": [old, status]},
    )
    return application


@transaction.atomic
def select_application(
    *, actor: User, application: Application, seat: Seat, start: date, note: str = ""
) -> Term:
    """Select an applicant for a vacant seat: they get an account (if they have none) marked as a
    board member, and a term. They set a password through "forgot password"."""
    require_board_admin(actor)
    if application.status == Application.Status.SELECTED:
        raise ValidationError(_("This applicant was already selected."))
    if seat.board_id != application.board_id:
        raise ValidationError(_("The seat is on another board."))
    email = application.email.lower()
    member = User.objects.filter(email=email).first()
    if member is None:
        member = User.objects.create_user(
            email, None, name=application.name, language=application.language
        )
    term = seat_member(actor=actor, seat=seat, member=member, start=start)
    application.status = Application.Status.SELECTED
    application.term = term
    application.decision_note = note.strip()
    application.decided = timezone.now()
    application.save()
    record(
        actor=actor,
        event="board.application_decided",
        target=application,
        changes={"status": "selected", "seat": seat.name},
    )
    return term


# Organizer positions ----------------------------------------------------------------------


@transaction.atomic
def save_organizer_position(
    *,
    actor: User,
    position: OrganizerPosition | None = None,
    partnerships: Iterable[Partnership] = (),
    campaigns: Iterable[Campaign] = (),
    **fields: Any,
) -> OrganizerPosition:
    """Create or change an organizer position on staff; department admins only."""
    if not getattr(actor, "is_department_admin", False):
        raise PermissionDenied
    creating = position is None
    position = position or OrganizerPosition()
    before = {} if creating else snapshot(position, POSITION_FIELDS)
    for name, value in fields.items():
        setattr(position, name, value)
    position.full_clean()
    position.save()
    position.partnerships.set(partnerships)
    position.campaigns.set(campaigns)
    record(
        actor=actor,
        event="organizer_position.created" if creating else "organizer_position.updated",
        target=position,
        changes=diff(before, snapshot(position, POSITION_FIELDS)),
    )
    return position
