"""The public meetings calendar and its iCalendar feed, a meeting's page, its materials, and
interpretation or access needs requested in advance."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from icalendar import Calendar

from accountability import proceedings
from accountability.models import AccessRequest
from accountability.tests.factories import pdf


def test_the_calendar_lists_public_meetings_and_the_feed_only_public_ones(cast, bs):
    page = Client().get("/board/meetings/").content.decode()
    assert "October meeting" in page and "September meeting" in page
    assert "Closed session" not in page

    response = Client().get("/board/meetings.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    titles = {str(event["summary"]) for event in calendar.walk("VEVENT")}
    assert titles == {"September meeting", "October meeting"}
    event = next(e for e in calendar.walk("VEVENT") if str(e["summary"]) == "October meeting")
    assert event["dtstart"].dt == bs.upcoming.starts
    assert "Heat and cooling centers" in str(event["description"])
    assert str(event["url"]).endswith(bs.upcoming.get_absolute_url())


def test_board_members_see_closed_meetings_the_public_does_not(cast, bs, as_user):
    assert as_user(None).get(bs.closed.get_absolute_url()).status_code == 404
    assert as_user(cast.partner_a).get(bs.closed.get_absolute_url()).status_code == 404
    assert as_user(cast.board_member).get(bs.closed.get_absolute_url()).status_code == 200
    assert "Closed session" in as_user(cast.board_member).get("/board/meetings/").content.decode()


def test_materials_public_to_all_board_only_to_members(cast, bs, as_user):
    public = proceedings.add_material(
        actor=cast.admin, meeting=bs.held, title="Packet", file=pdf(), is_public=True
    )
    private = proceedings.add_material(
        actor=cast.admin, meeting=bs.held, title="Drafts", file=pdf()
    )
    page = as_user(None).get(bs.held.get_absolute_url()).content.decode()
    assert "Packet" in page and "Drafts" not in page
    assert (
        as_user(None).get(f"/board/meetings/{bs.held.pk}/materials/{private.pk}/").status_code
        == 404
    )
    response = as_user(None).get(f"/board/meetings/{bs.held.pk}/materials/{public.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    member = as_user(cast.board_member)
    assert "Drafts" in member.get(bs.held.get_absolute_url()).content.decode()
    assert member.get(f"/board/meetings/{bs.held.pk}/materials/{private.pk}/").status_code == 200


def test_a_resident_asks_for_interpretation_in_advance(
    cast, bs, as_user, django_capture_on_commit_callbacks
):
    client = as_user(None)
    data = {
        "access-kind": "interpretation",
        "access-language": "",
        "access-name": "Ana",
        "access-email": "ana@example.org",
    }
    response = client.post(f"/board/meetings/{bs.upcoming.pk}/access/", data)
    assert response.status_code == 400
    assert "Say which language you need interpreted." in response.content.decode()
    assert not AccessRequest.objects.exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/board/meetings/{bs.upcoming.pk}/access/", {**data, "access-language": "Mam"}
        )
    assert response.status_code == 302
    request = AccessRequest.objects.get()
    assert request.language == "Mam" and request.requested_by is None
    assert [m.to for m in mail.outbox] == [[cast.admin.email]]

    # The requester's details are for the board's admins only.
    assert (
        "ana@example.org" not in as_user(None).get(bs.upcoming.get_absolute_url()).content.decode()
    )
    assert (
        "ana@example.org"
        not in as_user(cast.board_member).get(bs.upcoming.get_absolute_url()).content.decode()
    )
    assert (
        "ana@example.org"
        in as_user(cast.admin).get(bs.upcoming.get_absolute_url()).content.decode()
    )

    # Not after the meeting started.
    response = client.post(
        f"/board/meetings/{bs.held.pk}/access/", {**data, "access-language": "Mam"}
    )
    assert response.status_code == 400
    assert AccessRequest.objects.count() == 1


def test_minutes_are_public_once_published(cast, bs, as_user):
    proceedings.publish_minutes(
        actor=cast.admin, meeting=bs.held, minutes="Four members present.", publish=False
    )
    assert (
        "Four members present."
        not in as_user(None).get(bs.held.get_absolute_url()).content.decode()
    )
    assert (
        "Four members present."
        in as_user(cast.board_member).get(bs.held.get_absolute_url()).content.decode()
    )
    proceedings.publish_minutes(actor=cast.admin, meeting=bs.held, minutes="Four members present.")
    assert "Four members present." in as_user(None).get(bs.held.get_absolute_url()).content.decode()


def test_scheduling_refuses_a_meeting_that_ends_before_it_starts(cast, bs, as_user):
    client = as_user(cast.admin)
    response = client.post(
        "/board/meetings/new/",
        {
            "title": "Bad",
            "starts": "2030-01-02T18:00",
            "ends": "2030-01-02T17:00",
            "location": "Room",
            "is_public": "on",
        },
    )
    assert response.status_code == 400
    assert "The meeting cannot end before it starts." in response.content.decode()
    response = client.post(
        "/board/meetings/new/",
        {
            "title": "Good",
            "starts": "2030-01-02T18:00",
            "ends": "2030-01-02T20:00",
            "location": "Room",
            "is_public": "on",
            "agenda": "Welcome\n\nPublic comment\n",
        },
    )
    assert response.status_code == 302
    from accountability.models import Meeting

    assert list(Meeting.objects.get(title="Good").agenda.values_list("title", flat=True)) == [
        "Welcome",
        "Public comment",
    ]
