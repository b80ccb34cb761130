"""Staff answer an assessment round; results appear only in aggregate, and nobody can tell who
answered what."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from foundation import actions
from foundation.models import Question, Response
from foundation.tests.factories import answer_all, closed_round_with, make_round, readiness
from powershare.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _post_answers(client, round_, value):
    data = {
        f"q{q.pk}": str(value)
        for q in Question.objects.filter(domain__instrument=round_.instrument)
    }
    return client.post(reverse("foundation:round_answer", args=[round_.pk]), data)


def test_staff_answer_a_round_once_and_read_their_own_answers(client, cast):
    round_ = make_round(admin=cast.admin)
    client.force_login(cast.analyst)
    response = _post_answers(client, round_, 4)
    assert response.status_code == 302
    assert Response.objects.filter(round=round_, respondent=cast.analyst).count() == 1
    mine = client.get(reverse("foundation:round_mine", args=[round_.pk]))
    assert "Only you can see this page" in mine.content.decode()
    assert "4 Mostly" in mine.content.decode()
    # A second try is sent to their answers, and nothing more is stored.
    again = _post_answers(client, round_, 1)
    assert again.status_code == 302
    assert Response.objects.filter(round=round_).count() == 1


def test_an_unanswered_question_is_named_and_nothing_is_saved(client, cast):
    round_ = make_round(admin=cast.admin)
    client.force_login(cast.analyst)
    first = Question.objects.filter(domain__instrument=round_.instrument).first()
    response = client.post(
        reverse("foundation:round_answer", args=[round_.pk]), {f"q{first.pk}": "3"}
    )
    assert response.status_code == 400
    assert "Choose an answer." in response.content.decode()
    assert not Response.objects.exists()


def test_out_of_scale_answers_and_closed_rounds_are_refused(cast):
    round_ = make_round(admin=cast.admin)
    with pytest.raises(ValidationError):
        answer_all(round_, cast.analyst, 9)
    actions.close_round(actor=cast.admin, round=round_)
    with pytest.raises(ValidationError, match="closed"):
        answer_all(round_, cast.liaison, 3)


def test_results_stay_hidden_while_open_and_with_fewer_than_three(client, cast):
    round_ = make_round(admin=cast.admin)
    answer_all(round_, cast.analyst, 5)
    answer_all(round_, cast.liaison, 1)
    client.force_login(cast.admin)
    page = client.get(reverse("foundation:round", args=[round_.pk])).content.decode()
    assert "Results appear when the round closes" in page
    actions.close_round(actor=cast.admin, round=round_)
    page = client.get(reverse("foundation:round", args=[round_.pk])).content.decode()
    assert "Fewer than 3 staff answered" in page
    assert "Leadership support" not in page.split("Results")[1]
    export = client.get(reverse("foundation:instrument_export", args=[round_.instrument_id]))
    assert len(export.content.decode().strip().splitlines()) == 1  # the header only


def test_closed_round_shows_domain_means_and_spread(client, cast):
    round_ = closed_round_with([2, 3, 4], admin=cast.admin)
    client.force_login(cast.liaison)
    page = client.get(reverse("foundation:round", args=[round_.pk])).content.decode()
    assert "Average by domain across 3 respondents" in page
    assert "3.00" in page  # mean of 2, 3, 4
    assert "1.00" in page  # their standard deviation


def test_round_over_round_chart_and_table_show_the_change(client, cast):
    closed_round_with([2, 2, 3], title="Spring 2025", admin=cast.admin, opens=date(2025, 3, 1))
    closed_round_with([4, 4, 4], title="Spring 2026", admin=cast.admin, opens=date(2026, 3, 1))
    client.force_login(cast.analyst)
    page = client.get(reverse("foundation:instrument", args=[readiness().pk])).content.decode()
    assert "<svg" in page and "Average score by domain, round over round" in page
    table = page.split("Average score by domain and round")[1]
    assert "2.33" in table and "4.00" in table
    assert table.index("Spring 2025") < table.index("Spring 2026")


def test_no_page_export_or_log_says_who_answered_what(client, cast):
    round_ = closed_round_with([1, 3, 5], admin=cast.admin)
    answer_round = make_round(admin=cast.admin, title="Autumn round")
    answer_all(answer_round, cast.analyst, 2)
    respondents = list(
        Response.objects.select_related("respondent").values_list(
            "respondent__email", "respondent__name"
        )
    )
    client.force_login(cast.admin)
    pages = [
        reverse("foundation:index"),
        reverse("foundation:instruments"),
        reverse("foundation:instrument", args=[round_.instrument_id]),
        reverse("foundation:instrument_export", args=[round_.instrument_id]),
        reverse("foundation:round", args=[round_.pk]),
        reverse("foundation:round", args=[answer_round.pk]),
        reverse("foundation:round_mine", args=[round_.pk]),
        reverse("audit:log"),
        reverse("audit:export"),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        for email, name in respondents:
            assert email not in content, url
            assert name not in content, url
    # The audit log notes that responses came in, with no actor and no answers.
    received = AuditEvent.objects.filter(event="round.response_received")
    assert received.count() == 4
    assert all(e.actor_id is None and e.changes == {} for e in received)


def test_a_respondent_cannot_read_anyone_elses_answers(client, cast):
    round_ = make_round(admin=cast.admin)
    answer_all(round_, cast.analyst, 5)
    client.force_login(cast.admin)
    page = client.get(reverse("foundation:round_mine", args=[round_.pk])).content.decode()
    assert "You have not answered this round." in page
    assert "5 Fully" not in page


def test_partners_and_the_public_cannot_reach_assessments(client, cast):
    round_ = make_round(admin=cast.admin)
    client.force_login(cast.partner_a)
    assert client.get(reverse("foundation:round", args=[round_.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        answer_all(round_, cast.partner_a, 3)
