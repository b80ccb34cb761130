"""Stipend payments: a board admin records what finance actually paid a member for a month's
meetings (amount, date, method, reference), with their password; never more than is owed; the
audit log keeps it. The member's own page, the stipend list, the yearly totals (and the tax
warning) and the finance export show paid against owed. Payment details stay with board admins
and the member."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accountability import proceedings, queries, roster
from accountability.models import StipendPayment
from powershare.audit.models import AuditEvent
from powershare.testing import PASSWORD


def _month(bs) -> date:
    return timezone.localdate(bs.held.starts).replace(day=1)


def _pay_url(bs, member) -> str:
    month = _month(bs)
    return f"/board/stipends/{month.year}/{month.month}/members/{member.pk}/pay/"


def _pay(cast, bs, member, amount="75.00", **fields):
    fields.setdefault("paid_on", timezone.localdate())
    fields.setdefault("method", "check")
    return roster.record_stipend_payment(
        actor=cast.admin,
        board=bs.board,
        member=member,
        month=_month(bs),
        amount=Decimal(amount),
        **fields,
    )


def test_an_admin_records_a_payment_with_their_password(cast, bs, as_user):
    roster.save_member_profile(
        actor=cast.admin, member=cast.board_member, payment_preference="deposit"
    )
    client = as_user(cast.admin)
    month = _month(bs)
    listing = client.get(f"/board/stipends/?month={month:%Y-%m}").content.decode()
    assert _pay_url(bs, cast.board_member) in listing and "Record a payment" in listing

    form = client.get(_pay_url(bs, cast.board_member)).content.decode()
    assert "Stipend of Bea Board for" in form and "Your password, to confirm" in form
    assert 'value="75.00"' in form, "the amount still owed is offered"
    assert 'value="deposit" selected' in form or 'value="deposit" checked' in form

    data = {
        "amount": "75.00",
        "paid_on": timezone.localdate().isoformat(),
        "method": "deposit",
        "reference": "ACH 20931",
        "password": "wrong",
    }
    response = client.post(_pay_url(bs, cast.board_member), data)
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert not StipendPayment.objects.exists()

    response = client.post(_pay_url(bs, cast.board_member), {**data, "password": PASSWORD})
    assert response.status_code == 302 and response.url.endswith(f"?month={month:%Y-%m}")
    payment = StipendPayment.objects.get()
    assert payment.member == cast.board_member and payment.month == month
    assert payment.amount == Decimal("75.00") and payment.reference == "ACH 20931"
    assert payment.recorded_by == cast.admin
    event = AuditEvent.objects.get(event="board.stipend_paid")
    assert event.actor == cast.admin
    assert event.changes["amount"] == "75.00" and event.changes["month"] == f"{month:%Y-%m}"

    listing = client.get(response.url).content.decode()
    assert "ACH 20931" in listing and "Paid" in listing
    # Fully paid: no more "Record a payment" for Bea, and a second payment is refused.
    assert _pay_url(bs, cast.board_member) not in listing
    response = client.post(_pay_url(bs, cast.board_member), {**data, "password": PASSWORD})
    assert response.status_code == 400
    assert "more than the $0 still owed" in response.content.decode()
    assert StipendPayment.objects.count() == 1


def test_payments_are_checked_against_what_is_owed(cast, bs):
    member = bs.members[1]
    with pytest.raises(ValidationError) as error:
        _pay(cast, bs, member, amount="80.00")
    assert "more than the $75 still owed" in str(error.value)
    _pay(cast, bs, member, amount="50.00")
    line = queries.member_month(bs.board, member, _month(bs))
    assert line.amount_paid == Decimal("50.00") and line.outstanding == Decimal("25.00")
    assert line.payment_status == "part"
    _pay(cast, bs, member, amount="25.00", reference="Check 114")
    line = queries.member_month(bs.board, member, _month(bs))
    assert line.payment_status == "paid" and line.outstanding == Decimal("0.00")

    with pytest.raises(ValidationError, match="once it is made"):
        _pay(cast, bs, bs.members[2], paid_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="before the month began"):
        _pay(cast, bs, bs.members[2], paid_on=_month(bs) - timedelta(days=1))
    roster.save_member_profile(
        actor=cast.admin, member=bs.members[3], payment_preference="declined"
    )
    with pytest.raises(ValidationError, match="No stipend is owed"):
        _pay(cast, bs, bs.members[3])
    with pytest.raises(ValidationError, match="No stipend is owed"):
        _pay(cast, bs, cast.reviewer)
    with pytest.raises(PermissionDenied):
        roster.record_stipend_payment(
            actor=cast.board_member,
            board=bs.board,
            member=bs.members[2],
            month=_month(bs),
            amount=Decimal("75.00"),
            paid_on=timezone.localdate(),
            method="check",
        )


def test_the_member_sees_what_was_paid_and_what_is_owed(cast, bs, as_user):
    _pay(cast, bs, cast.board_member, amount="30.00")
    page = as_user(cast.board_member).get("/board/stipends/mine/").content.decode()
    if _month(bs).year == timezone.localdate().year:
        assert "Paid to you this year: $30. Still owed: $45." in page
        assert "$30 on" in page and "Paid in part" in page
    # Another member's payments are not on their page; the payment form is for board admins.
    _pay(cast, bs, bs.members[1], amount="75.00", reference="Check 9001")
    assert "Check 9001" not in page
    assert as_user(cast.board_member).get(_pay_url(bs, cast.board_member)).status_code == 403
    assert as_user(cast.liaison).get(_pay_url(bs, cast.board_member)).status_code == 403


def test_yearly_totals_count_payments_in_the_year_they_were_made(cast, bs):
    bs.board.tax_threshold = Decimal("100.00")
    bs.board.save()
    # A member seated since last year attended a December meeting, paid in January: it
    # counts in this year's total, not last year's.
    year = timezone.localdate().year - 1  # a whole year in the past
    term = roster.seat_member(
        actor=cast.admin, seat=bs.seats[4], member=cast.reviewer, start=date(year - 1, 1, 1)
    )
    december = proceedings.schedule_meeting(
        actor=cast.admin,
        board=bs.board,
        title="December meeting",
        starts=timezone.make_aware(datetime(year - 1, 12, 10, 18)),
        ends=timezone.make_aware(datetime(year - 1, 12, 10, 20)),
        location="Room",
    )
    proceedings.record_attendance(actor=cast.admin, meeting=december, present=[term])
    before = {t.member: t for t in queries.yearly_totals(bs.board, year - 1)}
    assert before[cast.reviewer].outstanding == Decimal("75.00")
    assert before[cast.reviewer].paid == Decimal("0.00")
    roster.record_stipend_payment(
        actor=cast.admin,
        board=bs.board,
        member=cast.reviewer,
        month=date(year - 1, 12, 1),
        amount=Decimal("75.00"),
        paid_on=date(year, 1, 5),
        method="check",
    )
    last = {t.member: t for t in queries.yearly_totals(bs.board, year - 1)}
    this = {t.member: t for t in queries.yearly_totals(bs.board, year)}
    assert last[cast.reviewer].total == Decimal("0.00") and not last[cast.reviewer].over_threshold
    assert this[cast.reviewer].paid == Decimal("75.00")
    assert this[cast.reviewer].total == Decimal("75.00") and not this[cast.reviewer].over_threshold
    # The tax warning follows what was paid: $75 in January and another $75 paid this year.
    spring = proceedings.schedule_meeting(
        actor=cast.admin,
        board=bs.board,
        title="Spring meeting",
        starts=timezone.make_aware(datetime(year, 1, 20, 18)),
        ends=timezone.make_aware(datetime(year, 1, 20, 20)),
        location="Room",
    )
    proceedings.record_attendance(actor=cast.admin, meeting=spring, present=[term])
    roster.record_stipend_payment(
        actor=cast.admin,
        board=bs.board,
        member=cast.reviewer,
        month=date(year, 1, 1),
        amount=Decimal("75.00"),
        paid_on=date(year, 1, 31),
        method="check",
    )
    this = {t.member: t for t in queries.yearly_totals(bs.board, year)}
    assert this[cast.reviewer].paid == Decimal("150.00")
    assert this[cast.reviewer].outstanding == Decimal("0.00")
    assert this[cast.reviewer].over_threshold and this[cast.reviewer].needs_tax_form


def test_the_finance_export_includes_the_payment_status(cast, bs, as_user):
    _pay(cast, bs, cast.board_member, reference="Check 7")
    client = as_user(cast.admin)
    response = client.post(
        "/board/stipends/export.csv", {"month": _month(bs).isoformat(), "password": PASSWORD}
    )
    body = response.content.decode("utf-8-sig")
    header, *rows = body.splitlines()
    assert "Payment status" in header and "Still owed" in header and "Reference" in header
    bea = next(row for row in rows if row.startswith("Bea Board"))
    assert "Paid" in bea and "Check 7" in bea and "Check" in bea
    other = next(row for row in rows if row.startswith("Member 2"))
    assert "Owed" in other


def test_the_database_refuses_bad_payments(cast, bs):
    fields = {
        "board": bs.board,
        "member": cast.board_member,
        "paid_on": timezone.localdate(),
        "method": "check",
    }
    month = _month(bs)
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendPayment.objects.create(month=month, amount=Decimal("0"), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendPayment.objects.create(month=month.replace(day=2), amount=Decimal("10"), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        StipendPayment.objects.create(
            month=month, amount=Decimal("10"), **{**fields, "paid_on": month - timedelta(days=1)}
        )
