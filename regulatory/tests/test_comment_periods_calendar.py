"""The comment periods' calendar as calendar programs subscribe to it (read with icalendar):
UIDs on the deployment's domain, never the Host a request came by; a higher SEQUENCE when a
period or its hearing changes; ETag, Last-Modified and 304 for polling programs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from regulatory import actions
from regulatory.tests.factories import make_period

SITE = "https://powershare.county.example"
URL = "/regulatory/comment-periods/calendar.ics"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]


def _events(response) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_uids_do_not_depend_on_the_host_name_and_grow_a_sequence_on_change(cast, site):
    period = make_period(
        cast, hearing_at=timezone.make_aware(datetime(2099, 6, 3, 18, 0)), location="County Hall"
    )
    by_ip = _events(Client(HTTP_HOST="127.0.0.1:8000").get(URL))
    by_name = _events(Client(HTTP_HOST="localhost:8000").get(URL))
    uids = {
        f"comment-period-{period.pk}@powershare.county.example",
        f"hearing-{period.pk}@powershare.county.example",
    }
    assert set(by_ip) == set(by_name) == uids
    hearing_uid = f"hearing-{period.pk}@powershare.county.example"
    assert str(by_ip[hearing_uid]["url"]) == SITE + period.get_absolute_url()

    first = Client().get(URL)
    assert Client().get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert Client().get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    with time_machine.travel(timedelta(minutes=5)):
        actions.save_comment_period(
            actor=cast.admin, period=period, hearing_at=period.hearing_at + timedelta(days=2)
        )
        moved = Client().get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200
    hearing = _events(moved)[hearing_uid]
    assert hearing["sequence"] > by_ip[hearing_uid]["sequence"]
    assert hearing["last-modified"].dt > by_ip[hearing_uid]["last-modified"].dt
