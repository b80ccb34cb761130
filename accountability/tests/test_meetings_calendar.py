"""The meetings calendar as calendar programs subscribe to it (read with icalendar): one UID
per meeting whichever host name the program was given, a higher SEQUENCE and a later
LAST-MODIFIED when a meeting is rescheduled or cancelled, and an ETag and Last-Modified that
let a polling program get a 304 while nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from accountability import proceedings

SITE = "https://powershare.county.example"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]


def _events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in calendar.walk("VEVENT")}


def test_a_meeting_keeps_one_uid_whichever_host_name_the_calendar_uses(cast, bs, site):
    by_ip = _events(Client(HTTP_HOST="127.0.0.1:8000").get("/board/meetings.ics"))
    by_name = _events(Client(HTTP_HOST="localhost:8000").get("/board/meetings.ics"))
    event = by_ip["October meeting"]
    assert str(event["uid"]) == str(by_name["October meeting"]["uid"])
    assert str(event["uid"]) == f"meeting-{bs.upcoming.pk}@powershare.county.example"
    assert str(event["url"]) == SITE + bs.upcoming.get_absolute_url()
    assert len({str(e["uid"]) for e in by_ip.values()}) == len(by_ip)


def test_a_rescheduled_meeting_has_a_higher_sequence_and_a_later_last_modified(cast, bs, site):
    before = _events(Client().get("/board/meetings.ics"))["October meeting"]
    with time_machine.travel(timedelta(minutes=5)):
        proceedings.update_meeting(
            actor=cast.admin,
            meeting=bs.upcoming,
            starts=bs.upcoming.starts + timedelta(days=7),
            ends=bs.upcoming.ends + timedelta(days=7),
        )
        after = _events(Client().get("/board/meetings.ics"))["October meeting"]
    assert str(after["uid"]) == str(before["uid"])
    assert after["sequence"] > before["sequence"]
    assert after["last-modified"].dt > before["last-modified"].dt
    assert after["dtstamp"].dt == after["last-modified"].dt
    assert after["dtstart"].dt == bs.upcoming.starts

    with time_machine.travel(timedelta(minutes=10)):
        proceedings.update_meeting(actor=cast.admin, meeting=bs.upcoming, status="cancelled")
        cancelled = _events(Client().get("/board/meetings.ics"))["October meeting"]
    assert cancelled["sequence"] > after["sequence"]
    assert str(cancelled["status"]) == "CANCELLED"


def test_saving_a_meeting_unchanged_keeps_its_sequence(cast, bs, site):
    before = _events(Client().get("/board/meetings.ics"))["October meeting"]
    proceedings.update_meeting(actor=cast.admin, meeting=bs.upcoming, title="October meeting")
    assert (
        _events(Client().get("/board/meetings.ics"))["October meeting"]["sequence"]
        == (before["sequence"])
    )


def test_a_polling_calendar_gets_304_until_a_meeting_changes(cast, bs, site):
    client = Client()
    first = client.get("/board/meetings.ics")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    same = client.get("/board/meetings.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert same.status_code == 304 and same.content == b""
    since = client.get("/board/meetings.ics", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    with time_machine.travel(timedelta(minutes=5)):
        proceedings.update_meeting(actor=cast.admin, meeting=bs.upcoming, location="Library")
        changed = client.get("/board/meetings.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Library" in str(_events(changed)["October meeting"]["location"])
