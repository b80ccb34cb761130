"""Seats, terms, applications and stipends: the public applies in English or Spanish; admins
select, renew and end terms (with their password); stipends come from attendance with a daily
cap and a yearly tax-threshold warning; eligibility and payment preference stay private."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accountability import proceedings, queries, roster
from accountability.models import Application, Term
from accounts.models import User
from powershare.testing import PASSWORD


def test_the_public_applies_in_spanish(cast, bs):
    client = Client()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get("/board/apply/").content.decode()
    assert "Postúlese para participar en el consejo" in page
    response = client.post(
        "/board/apply/",
        {
            "name": "Rosa Quintero",
            "email": "rosa@example.net",
            "language": "es",
            "neighborhood": "Harbor Flats",
            "seat_kind": "resident",
            "why": "Quiero que mi vecindario tenga voz.",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.language == "es" and application.status == "received"
    empty = client.post("/board/apply/", {})
    assert empty.status_code == 400 and Application.objects.count() == 1


def test_selecting_an_applicant_asks_for_the_password_and_fills_a_vacancy(cast, bs, as_user):
    application = roster.submit_application(
        board=bs.board,
        name="Tom Nguyen",
        email="Tom@Example.net",
        neighborhood="Northgate",
        seat_kind="resident",
        why="Air",
    )
    vacant = roster.vacancies(bs.board)
    assert vacant == [bs.seats[4]]
    client = as_user(cast.admin)
    data = {"seat": vacant[0].pk, "start": timezone.localdate().isoformat(), "password": "wrong"}
    response = client.post(f"/board/applications/{application.pk}/select/", data)
    assert response.status_code == 400 and "That is not your password." in response.content.decode()
    assert not User.objects.filter(email="tom@example.net").exists()

    response = client.post(
        f"/board/applications/{application.pk}/select/", {**data, "password": PASSWORD}
    )
    assert response.status_code == 302
    member = User.objects.get(email="tom@example.net")
    assert member.is_board_member and not member.has_usable_password()
    application.refresh_from_db()
    assert application.status == "selected" and application.term.seat == vacant[0]
    assert roster.vacancies(bs.board) == []
    with pytest.raises(ValidationError, match="filled"):
        roster.seat_member(
            actor=cast.admin, seat=vacant[0], member=cast.reviewer, start=timezone.localdate()
        )


def test_renewal_and_an_early_end_make_a_vacancy(cast, bs):
    term = bs.terms[1]
    renewed = roster.renew_term(actor=cast.admin, term=term)
    assert renewed.start == term.end + timedelta(days=1) and renewed.renewal_of == term
    with pytest.raises(ValidationError, match="already renewed"):
        roster.renew_term(actor=cast.admin, term=term)
    other = bs.terms[2]
    with pytest.raises(ValidationError, match="Say why"):
        roster.end_term(actor=cast.admin, term=other, on=timezone.localdate(), reason="")
    roster.end_term(actor=cast.admin, term=other, on=timezone.localdate(), reason="Moved away.")
    other.member.refresh_from_db()
    assert not other.member.is_board_member
    assert (
        not Term.objects.seated(timezone.localdate() + timedelta(days=1))
        .filter(pk=other.pk)
        .exists()
    )
    assert bs.seats[2] in roster.vacancies(bs.board, timezone.localdate() + timedelta(days=1))


def _second_meeting_same_day(cast, bs):
    meeting = proceedings.schedule_meeting(
        actor=cast.admin,
        board=bs.board,
        title="Special meeting",
        starts=bs.held.starts + timedelta(hours=1),
        ends=bs.held.ends + timedelta(hours=1),
        location="Room 4",
    )
    proceedings.record_attendance(actor=cast.admin, meeting=meeting, present=bs.terms[:2])
    return meeting


def test_monthly_payments_follow_attendance_with_a_daily_cap(cast, bs):
    bs.board.stipend_rate = Decimal("100.00")
    bs.board.daily_cap = Decimal("150.00")
    bs.board.save()
    _second_meeting_same_day(cast, bs)
    roster.save_member_profile(
        actor=cast.admin, member=bs.members[3], payment_preference="declined"
    )
    day = timezone.localdate(bs.held.starts)
    lines = {line.member: line for line in queries.monthly_payments(bs.board, day.year, day.month)}
    assert lines[bs.members[0]].amount == Decimal("150.00"), "two meetings in a day: capped"
    assert len(lines[bs.members[0]].meetings) == 2 and lines[bs.members[0]].days == 1
    assert lines[bs.members[2]].amount == Decimal("100.00")
    assert lines[bs.members[3]].amount == Decimal("0.00") and not lines[bs.members[3]].paid


def test_the_yearly_total_warns_at_the_tax_threshold(cast, bs):
    bs.board.tax_threshold = Decimal("150.00")
    bs.board.stipend_rate = Decimal("100.00")
    bs.board.save()
    earlier = proceedings.schedule_meeting(
        actor=cast.admin,
        board=bs.board,
        title="Earlier",
        starts=bs.held.starts - timedelta(days=2),
        ends=bs.held.ends - timedelta(days=2),
        location="Room",
    )
    proceedings.record_attendance(actor=cast.admin, meeting=earlier, present=bs.terms[:1])
    roster.save_member_profile(actor=cast.admin, member=bs.members[0], tax_form_on_file=False)
    year = timezone.localdate(earlier.starts).year
    totals = {t.member: t for t in queries.yearly_totals(bs.board, year)}
    if timezone.localdate(bs.held.starts).year == year:
        assert totals[bs.members[0]].total == Decimal("200.00")
        assert totals[bs.members[0]].over_threshold and totals[bs.members[0]].needs_tax_form
        assert not totals[bs.members[1]].over_threshold


def test_private_member_data_is_for_board_admins_only(cast, bs, as_user):
    roster.save_member_profile(
        actor=cast.admin,
        member=bs.members[2],
        eligibility="low_income",
        payment_preference="gift_card",
    )
    admin_page = as_user(cast.admin).get("/board/members/").content.decode()
    assert "Low income" in admin_page and "Gift card" in admin_page
    for user in (None, cast.board_member, cast.liaison, cast.partner_a):
        client = as_user(user)
        for url in ("/board/", "/board/meetings/", bs.held.get_absolute_url(), "/board/tracker/"):
            body = client.get(url).content.decode()
            assert "Low income" not in body and "Gift card" not in body
            assert "member3@example.net" not in body
        assert client.get("/board/members/").status_code in (302, 403)
        assert client.get("/board/stipends/").status_code in (302, 403)
    # The audit log records that the profile changed, never the private values.
    from powershare.audit.models import AuditEvent

    event = AuditEvent.objects.filter(event="board.profile_changed").last()
    assert "gift_card" not in str(event.changes) and "payment_preference" in str(event.changes)


def test_a_member_reads_their_own_stipend_record(cast, bs, as_user):
    page = as_user(cast.board_member).get("/board/stipends/mine/").content.decode()
    year = timezone.localdate().year
    if timezone.localdate(bs.held.starts).year == year:
        assert "September meeting" in page and "$75" in page
    assert as_user(cast.liaison).get("/board/stipends/mine/").status_code == 403


def test_the_finance_export_asks_for_the_password(cast, bs, as_user):
    client = as_user(cast.admin)
    month = timezone.localdate(bs.held.starts).replace(day=1).isoformat()
    response = client.post("/board/stipends/export.csv", {"month": month, "password": "nope"})
    assert response.status_code == 302
    response = client.post("/board/stipends/export.csv", {"month": month, "password": PASSWORD})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Bea Board" in body and "75.00" in body and "Payment preference" in body


def test_organizer_positions_show_on_the_partnership_page_include(cast, bs, as_user):
    from django.template import Context, Template
    from django.test import RequestFactory

    for visibility, title in (
        ("public", "Eastside housing organizer"),
        ("department", "Draft language organizer"),
    ):
        roster.save_organizer_position(
            actor=cast.admin,
            title=title,
            unit=cast.unit,
            job_description="Supports tenants.",
            community_input="Tenants wrote it.",
            visibility=visibility,
            partnerships=[cast.partnership_a],
        )
    template = Template(
        '{% include "accountability/includes/organizers_for_partnership.html" with partnership=p %}'
    )

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"p": cast.partnership_a, "request": request}))

    assert "Draft language organizer" in render(cast.liaison)
    assert "Eastside housing organizer" in render(cast.partner_a)
    assert "Draft language organizer" not in render(cast.partner_a)
    with pytest.raises(ValidationError):
        roster.save_organizer_position(
            actor=cast.admin,
            title="Bad dates",
            unit=cast.unit,
            job_description="x",
            community_input="y",
            posted_on=timezone.localdate(),
            hired_on=timezone.localdate() - timedelta(days=3),
        )
