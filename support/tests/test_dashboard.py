"""The dashboard: open asks by kind and owner, overdue asks, and median days to acknowledge and
to deliver per kind over the last 12 months. Staff see the department; partners their own asks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from support import actions, queries

URL = reverse("support:dashboard")


@pytest.fixture
def history(cast):
    """Asks with known dates: medians for data are 4 days to acknowledge and 12 to deliver."""
    now = timezone.now()
    day = timedelta(days=1)

    def file(actor, org, kind, title, ago, **fields):
        return actions.submit_ask(
            actor=actor,
            organization=org,
            kind=kind,
            title=title,
            description="d",
            at=now - ago * day,
            **fields,
        )

    a1 = file(cast.partner_a, cast.org_a, "data", "A1", 40)
    actions.acknowledge(actor=cast.liaison, ask=a1, at=now - 38 * day)  # 2 days
    actions.deliver(actor=cast.liaison, ask=a1, summary="x", at=now - 30 * day)  # 10 days
    a2 = file(cast.partner_a, cast.org_a, "data", "A2", 20)
    actions.acknowledge(actor=cast.liaison, ask=a2, at=now - 16 * day)  # 4 days
    actions.start_work(actor=cast.liaison, ask=a2, at=now - 10 * day)
    actions.deliver(actor=cast.liaison, ask=a2, summary="x", at=now - 6 * day)  # 14 days
    a3 = file(
        cast.partner_a,
        cast.org_a,
        "data",
        "A3",
        10,
        needed_by=timezone.localdate() - day,
    )
    actions.acknowledge(actor=cast.liaison, ask=a3, at=now - 4 * day)  # 6 days, still open
    actions.assign_owner(actor=cast.liaison, ask=a3, owner=cast.analyst)
    t1 = file(cast.partner_a, cast.org_a, "testimony", "T1", 500)
    actions.acknowledge(actor=cast.liaison, ask=t1, at=now - 499 * day)  # over a year ago
    actions.deliver(actor=cast.liaison, ask=t1, summary="x", at=now - 400 * day)
    t2 = file(cast.partner_a, cast.org_a, "testimony", "T2", 30)
    actions.acknowledge(actor=cast.liaison, ask=t2, at=now - 29.5 * day)  # half a day
    f1 = file(cast.partner_a, cast.org_a, "funding", "F1", 5)
    actions.decline(actor=cast.liaison, ask=f1, reason="No funds", at=now - 4 * day)
    b1 = file(cast.partner_b, cast.org_b, "data", "B1", 100, visibility="department")
    actions.acknowledge(actor=cast.admin, ask=b1, at=now)  # 100 days
    return {"a3": a3, "b1": b1}


def by_kind(figures):
    return {row.kind: row for row in figures.by_kind}


def test_staff_see_the_department_figures(cast, history):
    figures = queries.dashboard(cast.liaison)
    data, testimony = by_kind(figures)["data"], by_kind(figures)["testimony"]
    assert (data.open, data.acknowledged, data.median_days_to_acknowledge) == (2, 4, 5.0)
    assert (data.delivered, data.median_days_to_deliver) == (2, 12.0)
    assert (testimony.open, testimony.acknowledged) == (1, 1)
    assert testimony.median_days_to_acknowledge == 0.5
    assert testimony.delivered == 0 and testimony.median_days_to_deliver is None
    assert by_kind(figures)["funding"].acknowledged == 0  # declined without acknowledging
    assert figures.overall.open == 3 and figures.overall.median_days_to_acknowledge == 4.0
    assert figures.open_total == 3
    assert figures.overdue_total == 1 and figures.overdue == [history["a3"]]
    assert figures.by_owner == [("Ana Analyst", 1, cast.analyst.pk), ("Unassigned", 2, None)]
    assert figures.scope == "department"


def test_partners_see_the_same_figures_for_their_own_asks(cast, history):
    figures = queries.dashboard(cast.partner_a)
    data = by_kind(figures)["data"]
    assert (data.open, data.acknowledged, data.median_days_to_acknowledge) == (1, 3, 4.0)
    assert (data.delivered, data.median_days_to_deliver) == (2, 12.0)
    assert figures.scope == "organization" and figures.organizations == [cast.org_a]
    figures_b = queries.dashboard(cast.partner_b)
    data_b = by_kind(figures_b)["data"]
    assert (data_b.open, data_b.acknowledged, data_b.median_days_to_acknowledge) == (1, 1, 100.0)
    assert figures_b.overall.open == 1 and figures_b.overdue_total == 0


def test_public_asks_of_others_do_not_count_for_a_partner(cast, history, file_ask):
    file_ask(title="Public A", visibility="public")
    assert queries.dashboard(cast.partner_b).overall.open == 1


def test_staff_who_cannot_see_liaison_asks_do_not_count_them(cast, history):
    figures = queries.dashboard(cast.analyst)
    # B1 (department) and A3, which the analyst owns; not the liaison-only asks of org A.
    assert by_kind(figures)["data"].acknowledged == 2
    assert figures.overall.open == 2


def test_the_page_shows_the_figures(cast, login, history):
    page = login(cast.liaison).get(URL).content.decode()
    assert "Asks dashboard" in page and "<caption>" in page
    assert "5.0" in page and "12.0" in page and "A3" in page and "Ana Analyst" in page
    partner_page = login(cast.partner_b).get(URL).content.decode()
    assert "How the department answers our asks" in partner_page
    assert "A3" not in partner_page and "Ana Analyst" not in partner_page
    assert "100.0" in partner_page


def test_who_may_open_the_dashboard(cast, login):
    for user in (cast.admin, cast.liaison, cast.analyst, cast.partner_a, cast.partner_b):
        assert login(user).get(URL).status_code == 200
    for user in (cast.board_member, cast.reviewer):
        assert login(user).get(URL).status_code == 403
    response = login(None).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_empty_dashboard(cast, login):
    page = login(cast.liaison).get(URL).content.decode()
    assert "Nothing is overdue." in page and "No open asks." in page


def test_in_spanish_the_open_columns_count_asks_in_the_plural(cast, login, history):
    client = login(cast.liaison)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get(URL).content.decode()
    assert page.count('<th scope="col" class="text-right">Abiertas</th>') == 2
