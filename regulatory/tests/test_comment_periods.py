"""Comment periods: a public list and an iCalendar feed of the public ones."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from regulatory.tests.factories import make_period

pytestmark = pytest.mark.django_db


def test_public_list_and_calendar_feed(client, cast):
    make_period(
        cast, hearing_at=timezone.make_aware(datetime(2026, 6, 3, 18, 0)), location="County Hall"
    )
    make_period(cast, title="Internal draft rule", visibility="department", kind="rulemaking")
    page = client.get(reverse("regulatory:comment_periods")).content.decode()
    assert "Warehouse permit hearing" in page and "Internal draft rule" not in page
    feed = client.get(reverse("regulatory:comment_periods_ics"))
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
    assert "Comments close: Warehouse permit hearing" in summaries
    assert "Hearing: Warehouse permit hearing" in summaries
    assert not any("Internal draft rule" in s for s in summaries)


def test_dates_in_the_wrong_order_are_named(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("regulatory:comment_period_new"),
        {
            "title": "Rule",
            "kind": "rulemaking",
            "opens": "2026-05-01",
            "closes": "2026-04-01",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    assert "close on or after the day they open" in response.content.decode()
