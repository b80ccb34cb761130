"""A partner edits their organization's open ask."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from support import actions
from support.models import Ask


def url(ask) -> str:
    return reverse("support:ask_edit", args=[ask.pk])


def data(ask, **overrides):
    values = {
        "kind": ask.kind,
        "title": ask.title,
        "description": ask.description,
        "needed_by": ask.needed_by.isoformat() if ask.needed_by else "",
        "visibility": ask.visibility,
    }
    values.update(overrides)
    return values


def test_a_partner_edits_and_the_timeline_shows_it(cast, login, ask_a):
    client = login(cast.partner_a)
    assert client.get(url(ask_a)).status_code == 200
    response = client.post(url(ask_a), data(ask_a, title="Asthma and mold"), follow=True)
    assert "Ask saved." in response.content.decode()
    assert Ask.objects.get().title == "Asthma and mold"
    assert "edited the ask" in response.content.decode()


def test_a_past_date_may_be_kept_but_not_chosen(cast, login, ask_a):
    Ask.objects.filter(pk=ask_a.pk).update(needed_by=date(2020, 1, 1))
    ask_a.refresh_from_db()
    client = login(cast.partner_a)
    response = client.post(url(ask_a), data(ask_a, title="Kept the old date"))
    assert response.status_code == 302
    earlier = (date.today() - timedelta(days=3)).isoformat()
    response = client.post(url(ask_a), data(ask_a, needed_by=earlier))
    assert response.status_code == 400


def test_others_cannot_edit(cast, login, ask_a):
    assert login(cast.liaison).get(url(ask_a)).status_code == 403
    assert login(cast.liaison).post(url(ask_a), data(ask_a, title="x")).status_code == 403
    assert login(cast.partner_b).get(url(ask_a)).status_code == 404
    assert login(None).get(url(ask_a)).status_code == 302
    assert Ask.objects.get().title == ask_a.title


def test_a_closed_ask_sends_the_partner_back_with_a_message(cast, login, ask_a):
    actions.withdraw(actor=cast.partner_a, ask=ask_a)
    response = login(cast.partner_a).get(url(ask_a), follow=True)
    assert "can no longer be edited" in response.content.decode()
    response = login(cast.partner_a).post(url(ask_a), data(ask_a, title="x"))
    assert response.status_code == 302
    assert Ask.objects.get().title == ask_a.title
