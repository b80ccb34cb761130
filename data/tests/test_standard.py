"""The standard population in the query builder: an organizer may adjust rates to another
standard; the link, the downloads, the saved query and the fact sheet all say which one."""

from __future__ import annotations

import io
import re
import zipfile
from html import unescape
from typing import Any
from urllib.parse import urlencode

from openpyxl import load_workbook

from data.demo import demo_params
from data.models import SavedQuery
from powershare.testing import make_campaign

US2000 = "US 2000 standard population, 19 age groups"
EUROPEAN = "European standard population 2013"


def query(**changes: Any) -> str:
    return urlencode({**demo_params(), **changes}, doseq=True)


def link_to_query(html: str) -> str:
    """The address of the result's "Link to this query"."""
    found = re.search(r'href="([^"]*)">Link to this query<', html)
    assert found, "the result has a link to the query"
    return unescape(found.group(1))


def readme_lines(response: Any) -> dict[str, str]:
    """The "Label: value" lines of the README in a query's zip download."""
    readme = zipfile.ZipFile(io.BytesIO(response.content)).read("README.txt").decode()
    return dict(line.split(": ", 1) for line in readme.splitlines() if ": " in line)


def test_the_builder_offers_a_standard_and_uses_the_measures_own_by_default(
    client: Any, catalog: dict
) -> None:
    form = client.get("/data/query/").content.decode()
    assert 'name="standard"' in form and "The measure&#x27;s own" in form
    assert EUROPEAN in form and "US 2000 standard population, 11 age groups" in form

    html = client.get(f"/data/query/?{query()}").content.decode()
    assert f"same age mix ({US2000})" in unescape(html)
    assert "standard=" not in link_to_query(html)
    meta = client.get(f"/data/query.json?{query()}").json()["meta"]
    assert meta["standard"]["name"] == "us2000_19" and meta["query"]["standard"] == "us2000_19"


def test_an_organizer_adjusts_to_the_european_standard_and_everyone_can_see_it(
    client: Any, catalog: dict
) -> None:
    default = client.get(f"/data/query.json?{query()}").json()
    european = client.get(f"/data/query.json?{query(standard='esp2013')}").json()
    assert european["meta"]["standard"]["name"] == "esp2013"
    assert european["meta"]["query"]["standard"] == "esp2013"

    def rates(data: dict, column: str) -> list[Any]:
        return [r[column] for r in data["rows"] if not r["suppressed"]]

    assert rates(european, "rate") == rates(default, "rate")  # crude rates are not adjusted
    assert rates(european, "adjusted_rate") != rates(default, "adjusted_rate")

    html = client.get(f"/data/query/?{query(standard='esp2013')}").content.decode()
    assert f"same age mix ({EUROPEAN})" in unescape(html)
    assert f"same age mix ({US2000})" not in unescape(html)
    assert '<option value="esp2013" selected>' in html
    assert "standard=esp2013" in link_to_query(html)
    assert "standard=esp2013" in html.split("Download CSV")[0].rsplit("href=", 1)[-1]

    readme = readme_lines(client.get(f"/data/query.zip?{query(standard='esp2013')}"))
    assert readme["Standard population"] == EUROPEAN
    book = load_workbook(
        io.BytesIO(client.get(f"/data/query.xlsx?{query(standard='esp2013')}").content)
    )
    about = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True) if r and r[0]}
    assert about["Standard population"] == EUROPEAN


def test_a_saved_query_keeps_its_standard_in_its_fact_sheet(
    client: Any, cast: Any, catalog: dict
) -> None:
    campaign = make_campaign(cast.org_a, title="Healthy Housing Ordinance")
    client.force_login(cast.partner_a)
    client.post(
        f"/data/query/save/?{query(standard='esp2013')}",
        {"title": "Kids, European standard", "campaign": campaign.pk, "visibility": "private"},
    )
    saved = SavedQuery.objects.get()
    assert saved.params["standard"] == "esp2013"

    page = client.get(f"/data/saved/{saved.pk}/").content.decode()
    assert f"same age mix ({EUROPEAN})" in unescape(page)
    assert "standard=esp2013" in link_to_query(page)
    sheet = unescape(client.get(f"/data/saved/{saved.pk}/factsheet/?lang=en").content.decode())
    assert f"Age-adjusted rates use a standard population ({EUROPEAN})" in sheet
    assert US2000 not in sheet


def test_proportions_ignore_the_standard(client: Any, catalog: dict) -> None:
    preterm = query(measure="preterm_births", by=[], focus="", standard="esp2013")
    data = client.get(f"/data/query.json?{preterm}").json()
    assert data["meta"]["standard"] is None and data["meta"]["query"]["standard"] is None
    html = client.get(f"/data/query/?{preterm}").content.decode()
    assert "standard=" not in link_to_query(html)
    assert "same age mix" not in html
    readme = readme_lines(client.get(f"/data/query.zip?{preterm}"))
    assert readme["Standard population"] == "None: proportions are not age-adjusted"


def test_an_unknown_standard_is_refused_by_name(client: Any, catalog: dict) -> None:
    response = client.get(f"/data/query.json?{query(standard='world2000')}")
    assert response.status_code == 400 and "standard" in response.json()["errors"]
    html = client.get(f"/data/query/?{query(standard='world2000')}").content.decode()
    assert "Standard population: Select a valid choice." in html
