"""The CSV export of asks: the same visible queryset as the list, without high-risk organizations
for outsiders, and with formula cells neutralized."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from powershare.testing import make_ask, make_campaign, make_org

URL = reverse("support:ask_export")


def rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_follows_visibility(cast, login, file_ask):
    file_ask(title="Liaison ask")
    file_ask(title="Public ask", visibility="public")
    make_ask(cast.org_b, title="Harbor ask", visibility="department")
    assert sorted(r["Title"] for r in rows(login(cast.liaison).get(URL))) == [
        "Harbor ask",
        "Liaison ask",
        "Public ask",
    ]
    assert [r["Title"] for r in rows(login(cast.partner_b).get(URL))] == [
        "Harbor ask",
        "Public ask",
    ]
    assert [r["Title"] for r in rows(login(None).get(URL))] == ["Public ask"]


def test_export_applies_the_filters(cast, login, file_ask):
    file_ask(title="Rates", kind="data")
    file_ask(title="Testify", kind="testimony")
    assert [r["Title"] for r in rows(login(cast.liaison).get(URL, {"kind": "testimony"}))] == [
        "Testify"
    ]
    # A bad page number is ignored; a bad filter is refused, never a crash.
    assert len(rows(login(cast.liaison).get(URL, {"page": "x"}))) == 2
    assert login(cast.liaison).get(URL, {"status": "bogus"}).status_code == 400


def test_high_risk_organizations_stay_out_for_outsiders(cast, login, file_ask):
    risky = make_org("Immigrant Workers Committee", high_risk=True, visibility="public")
    make_ask(risky, title="Risky ask", visibility="public")
    file_ask(title="Public ask", visibility="public")
    assert [r["Title"] for r in rows(login(cast.admin).get(URL))] == ["Public ask"]
    assert [r["Title"] for r in rows(login(None).get(URL))] == ["Public ask"]
    # ...while the list itself still shows the public ask.
    assert "Risky ask" in login(None).get(reverse("support:asks")).content.decode()
    cast.org_a.high_risk = True
    cast.org_a.save()
    assert [r["Title"] for r in rows(login(cast.partner_a).get(URL))] == ["Public ask"]


def test_hidden_campaigns_and_owners_are_left_blank(cast, login, file_ask):
    from support import actions

    secret = make_campaign(cast.org_a, title="Secret strategy", visibility="private")
    ask = file_ask(title="Public ask", visibility="public", campaign=secret)
    actions.assign_owner(actor=cast.liaison, ask=ask, owner=cast.liaison)
    outsider = rows(login(cast.partner_b).get(URL))[0]
    assert outsider["Campaign"] == "" and outsider["Owner"] == ""
    member = rows(login(cast.partner_a).get(URL))[0]
    assert member["Campaign"] == "Secret strategy" and member["Owner"] == "Lee Liaison"


def test_formulas_are_neutralized(cast, login, file_ask):
    file_ask(title='=HYPERLINK("http://evil")')
    assert rows(login(cast.liaison).get(URL))[0]["Title"].startswith("'=")
