"""Department admins keep the assessment instruments; an answered one is never changed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from foundation.actions import outline_of
from foundation.models import Instrument
from foundation.tests.factories import answer_all, make_round, readiness

pytestmark = pytest.mark.django_db


def _form(instrument, outline=None, title=None):
    return {
        "kind": instrument.kind,
        "title": title or instrument.title,
        "description": instrument.description,
        "scale_labels": "\n".join(instrument.scale_labels),
        "outline": outline if outline is not None else outline_of(instrument),
    }


def test_default_instruments_ship_with_the_app_and_loading_again_changes_nothing(cast):
    assert set(Instrument.objects.values_list("family", flat=True)) == {
        "readiness",
        "risk-tolerance",
    }
    call_command("load_default_instruments")
    assert Instrument.objects.count() == 2
    assert readiness().domains.filter(title="Leadership support").exists()


def test_editing_an_answered_instrument_makes_a_new_version(client, cast):
    instrument = readiness()
    round_ = make_round(admin=cast.admin)
    answer_all(round_, cast.analyst, 3)
    client.force_login(cast.admin)
    outline = outline_of(instrument) + "# Community voice\nResidents shape our priorities.\n"
    response = client.post(
        reverse("foundation:instrument_edit", args=[instrument.pk]), _form(instrument, outline)
    )
    assert response.status_code == 302
    new = Instrument.objects.get(family="readiness", version=2)
    assert new.domains.filter(title="Community voice").exists()
    assert not instrument.domains.filter(title="Community voice").exists()
    assert round_.instrument_id == instrument.pk
    # The old version can no longer be edited.
    old = client.get(reverse("foundation:instrument_edit", args=[instrument.pk]))
    assert old.status_code == 302


def test_an_unanswered_instrument_is_edited_in_place(client, cast):
    instrument = readiness()
    client.force_login(cast.admin)
    client.post(
        reverse("foundation:instrument_edit", args=[instrument.pk]),
        _form(instrument, title="Readiness 2"),
    )
    instrument.refresh_from_db()
    assert instrument.title == "Readiness 2" and instrument.version == 1


def test_a_bad_outline_is_named_and_nothing_saved(client, cast):
    instrument = readiness()
    client.force_login(cast.admin)
    response = client.post(
        reverse("foundation:instrument_edit", args=[instrument.pk]),
        _form(instrument, "A question with no domain\n"),
    )
    assert response.status_code == 400
    assert "start with a domain line" in response.content.decode()
    assert instrument.domains.count() == 5


def test_admins_create_instruments_and_other_staff_cannot(client, cast):
    client.force_login(cast.liaison)
    assert client.get(reverse("foundation:instrument_new")).status_code == 403
    client.force_login(cast.admin)
    response = client.post(
        reverse("foundation:instrument_new"),
        {
            "kind": "other",
            "title": "Data culture",
            "description": "",
            "scale_labels": "No\nSometimes\nYes",
            "outline": "# Sharing\nWe share data openly.\n",
        },
    )
    assert response.status_code == 302
    created = Instrument.objects.get(family="data-culture")
    assert created.scale_max == 3


def test_admins_open_and_close_rounds(client, cast):
    client.force_login(cast.admin)
    url = reverse("foundation:round_new", args=[readiness().pk])
    bad = client.post(url, {"title": "X", "opens": "2026-05-01", "closes": "2026-04-01"})
    assert bad.status_code == 400 and "close on or after" in bad.content.decode()
    client.post(url, {"title": "Spring", "opens": "2026-01-01", "closes": "2026-12-31"})
    round_ = readiness().rounds.get()
    client.post(reverse("foundation:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.is_closed
