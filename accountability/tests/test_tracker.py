"""The public "you said, we did" tracker: every published recommendation with its status, days
waiting, response and commitments, filterable, with a summary and RSS/Atom feeds, signed out,
in English and Spanish. On the demo county, its on-time figure matches the data."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accountability import actions, queries
from accountability.models import Recommendation
from accountability.tests.factories import adopt


def _answer(cast, rec, decision, days_after):
    at = timezone.make_aware(
        timezone.datetime.combine(
            rec.adopted_on + timedelta(days=days_after), timezone.datetime.min.time()
        )
    ) + timedelta(hours=12)
    actions.respond(
        actor=cast.liaison, recommendation=rec, decision=decision, rationale="Because.", at=at
    )


def test_signed_out_visitors_read_published_recommendations_only(cast, bs):
    published = adopt(cast, bs, title="Cooling centers open late")
    actions.draft_recommendation(
        actor=cast.admin,
        board=bs.board,
        title="Secret draft",
        text="x",
        rationale="y",
        addressed_to=cast.unit,
    )
    page = Client().get("/board/tracker/").content.decode()
    assert "Cooling centers open late" in page and "Secret draft" not in page
    assert Client().get(published.get_absolute_url()).status_code == 200


def test_summary_counts_on_time_late_accepted_implemented(cast, bs):
    on_time = adopt(cast, bs, title="On time")
    late = adopt(cast, bs, title="Late")
    overdue = adopt(cast, bs, title="Overdue")
    pending = adopt(cast, bs, title="Pending")
    withdrawn = adopt(cast, bs, title="Withdrawn")
    _answer(cast, on_time, "accept", 10)
    _answer(cast, late, "partial", 61)
    Recommendation.objects.filter(pk=overdue.pk).update(
        response_due=timezone.localdate() - timedelta(days=1)
    )
    actions.withdraw_recommendation(actor=cast.admin, recommendation=withdrawn, reason="Moot.")
    summary = queries.summary(queries.tracker({}))
    assert (
        summary.total,
        summary.due,
        summary.on_time,
        summary.answered_late,
        summary.overdue,
    ) == (5, 3, 1, 1, 1)
    assert (summary.accepted, summary.awaiting, summary.withdrawn) == (2, 1 + 1, 1)
    assert summary.on_time_percent == 33
    assert queries.timing_of(pending) == "pending"

    page = Client().get("/board/tracker/").content.decode()
    assert re.search(r'data-figure="on-time">\s*1 / 3', page)
    late_only = Client().get("/board/tracker/?timing=late").content.decode()
    assert "Late" in late_only and "Overdue" in late_only and ">On time<" not in late_only
    accepted = Client().get("/board/tracker/?status=accepted").content.decode()
    assert "On time" in accepted and "Pending" not in accepted


def test_bad_filters_are_refused_by_name(cast, bs):
    adopt(cast, bs)
    assert Client().get("/board/tracker/?page=99").status_code == 200
    response = Client().get("/board/tracker/?status=nonsense&unit=x&year=abc")
    assert response.status_code == 400
    page = response.content.decode()
    assert all(f"<code>{name}</code>" in page for name in ("status", "unit", "year"))


def test_feeds_list_the_recommendations(cast, bs):
    rec = adopt(cast, bs)
    _answer(cast, rec, "partial", 5)
    rss = Client().get("/board/tracker/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert f"{rec.number}: {rec.title} (Accepted in part)" in rss.content.decode()
    atom = Client().get("/board/tracker/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Because." in atom.content.decode()


def test_the_tracker_in_spanish(cast, bs):
    rec = adopt(cast, bs)
    _answer(cast, rec, "decline", 5)
    client = Client()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get("/board/tracker/").content.decode()
    assert 'lang="es"' in page
    assert "Rechazada" in page and "Respondida a tiempo" in page
    # The summary counts recommendations, so its headings are plural.
    assert 'id="summary-accepted">Aceptadas</h2>' in page
    assert 'id="summary-implemented">Implementadas</h2>' in page
    assert "en su totalidad o en parte · 1 rechazada · 0 en estudio" in page


def test_the_board_states_its_response_deadline_in_one_sentence(cast, bs):
    client = Client()
    english = client.get("/board/").content.decode()
    deadline = "The department must respond within 60 days of a recommendation's adoption."
    assert deadline in english
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    spanish = client.get("/board/").content.decode()
    assert "El departamento debe responder en un plazo de 60 días desde que se adopta" in spanish


def test_the_demo_countys_on_time_figure_matches_its_data(db):
    call_command("seed_demo", seed=42, stdout=StringIO())
    today = timezone.localdate()
    published = list(Recommendation.objects.filter(published__isnull=False))
    statuses = set(Recommendation.objects.values_list("status", flat=True))
    assert statuses == set(Recommendation.Status.values), "every state appears in the demo"
    # Count from the records themselves, not through the tracker's code.
    due = [
        r
        for r in published
        if r.first_response is not None or (r.status != "withdrawn" and r.response_due < today)
    ]
    on_time = [
        r
        for r in due
        if r.first_response and timezone.localdate(r.first_response) <= r.response_due
    ]
    late = [r for r in due if r not in on_time]
    assert len(due) >= 6 and on_time and late, "the demo has answers on time and late"
    page = Client().get("/board/tracker/").content.decode()
    assert re.search(rf'data-figure="on-time">\s*{len(on_time)} / {len(due)}\b', page)
    implemented = sum(r.status == "implemented" for r in published)
    assert re.search(rf'data-figure="implemented">\s*{implemented}\b', page)
    # A year of meetings.
    from accountability.models import Meeting, Motion

    held = Meeting.objects.filter(status="held")
    assert held.count() == 12 and Motion.objects.count() >= 11
    assert (today - timezone.localdate(held.order_by("starts").first().starts)).days > 330
