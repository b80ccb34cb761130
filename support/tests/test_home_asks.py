"""The department's home shows a new ask at once, however late it is due."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from powershare.testing import make_ask
from support.models import Ask


def test_a_new_ask_due_late_is_on_the_liaisons_home_above_the_due_dates(cast, client):
    soon = date.today() + timedelta(days=3)
    for i in range(12):
        make_ask(
            cast.org_a, title=f"Ask in hand {i}", status=Ask.Status.ACKNOWLEDGED, needed_by=soon
        )
    make_ask(cast.org_a, title="Lead testing at the school", needed_by=soon + timedelta(days=200))
    client.force_login(cast.liaison)
    page = client.get(reverse("home")).content.decode()
    assert "Lead testing at the school" in page
    assert page.index("Lead testing at the school") < page.index("Ask in hand 0")
    assert "No new asks." not in page


def test_every_new_ask_is_counted_with_a_link_to_them_all(cast, client):
    for i in range(13):
        make_ask(cast.org_a, title=f"New ask {i}")
    client.force_login(cast.liaison)
    page = client.get(reverse("home")).content.decode()
    assert "See all 13 new asks" in page
    assert "status=new" in page
