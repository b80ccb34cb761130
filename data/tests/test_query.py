"""The query builder: a result at once, suppressed cells with no number, internal measures
only for staff and partners with an agreement, refusals that say why and what to try."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from typing import Any

from django.utils import timezone

from data import actions
from data.models import QueryLog
from data.tests.conftest import story_query


def suppressed_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="ps-suppressed">(.*?)</tr>', html, flags=re.S)


def test_anyone_signed_out_sees_the_table_charts_and_map(client: Any, catalog: dict) -> None:
    response = client.get(f"/data/query/?{story_query()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Asthma ED visits, children 0-17, 2020–2024" in html
    assert "Compared across groups" in html and 'class="ps-svg ps-map"' in html
    assert "Over the years" in html
    assert "times the county rate" in html or "the county rate" in html
    assert "Eastside" in html


def test_signed_out_visitors_are_invited_to_sign_in_in_one_sentence(
    client: Any, catalog: dict
) -> None:
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    link = '<a href="/accounts/login/?next=/data/query/%3F'
    assert link in html and "Sign in</a> to save queries to your campaigns" in html
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    assert link in html and "Inicie sesión</a> para guardar consultas en sus campañas" in html


def test_the_builders_choices_read_in_spanish(client: Any, catalog: dict) -> None:
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    start = html.find('id="query-form"')
    form = html[start : html.find("</form>", start)]
    assert "raza/origen étnico" in form and "race/ethnicity" not in form
    assert catalog["measures"]["asthma_ed_children"].label_es in form


def test_suppressed_cells_show_no_number(client: Any, catalog: dict) -> None:
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    rows = suppressed_rows(html)
    assert rows, "the story query has small cells"
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        # The stratum label, then "hidden", then the reason: the only digits are the threshold.
        numbers = re.findall(r"\d+(?:[.,]\d+)?", unescape(" ".join(cells[1:])))
        assert set(numbers) <= {"11", "20", "100"}, row
    assert "hidden to protect privacy" in html


def test_htmx_gets_the_result_fragment(client: Any, catalog: dict) -> None:
    response = client.get(f"/data/query/?{story_query()}", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="result"') and "<html" not in html


def test_json_twin_hides_suppressed_cells(client: Any, catalog: dict) -> None:
    data = client.get(f"/data/query.json?{story_query()}").json()
    assert data["meta"]["measure"]["name"] == "asthma_ed_children"
    assert data["meta"]["data_versions"]["events"]["ed_visits"]
    hidden = [r for r in data["rows"] if r["suppressed"]]
    assert hidden
    for row in hidden:
        assert row["count"] is None and row["rate"] is None and row["denominator"] is None


def test_internal_measure_needs_staff_or_a_current_agreement(
    client: Any, cast: Any, catalog: dict
) -> None:
    query = story_query().replace("asthma_ed_children", "injury_ed")
    assert client.get(f"/data/query.json?{query}").status_code == 404
    client.force_login(cast.partner_a)
    assert client.get(f"/data/query.json?{query}").status_code == 404
    agreement = actions.create_agreement(
        actor=cast.admin,
        organization=cast.org_a,
        title="ED data",
        parties="Department\nEastside Tenants Union",
        datasets=[catalog["datasets"]["ed_visits"]],
        purpose="Campaign research",
        start=timezone.localdate() - timedelta(days=1),
        expires=timezone.localdate() + timedelta(days=30),
    )
    assert client.get(f"/data/query.json?{query}").status_code == 200
    log = QueryLog.objects.get()
    assert (log.user, log.organization, log.agreement, log.measure) == (
        cast.partner_a,
        cast.org_a,
        agreement,
        "injury_ed",
    )
    actions.revoke_agreement(actor=cast.admin, agreement=agreement)
    assert client.get(f"/data/query.json?{query}").status_code == 404
    client.force_login(cast.liaison)
    assert client.get(f"/data/query.json?{query}").status_code == 200


def test_public_queries_are_not_logged(client: Any, catalog: dict) -> None:
    client.get(f"/data/query/?{story_query()}")
    assert not QueryLog.objects.exists()


def test_a_too_small_custom_area_is_refused_with_a_coarser_suggestion(
    client: Any, catalog: dict, cast: Any
) -> None:
    from data import portal

    # Custom areas exist only under the per-query method (the protected release has none).
    actions.update_policy(actor=cast.admin, method="per_query")

    tract = portal.units("tract")[0][0]
    query = f"measure=asthma_ed_children&years=2020-2024&level=custom&unit=tract:{tract}&area_name=Block"
    html = client.get(f"/data/query/?{query}").content.decode()
    assert "This table can't be shown" in html
    assert "Use neighborhoods instead of a custom area" in html
    actions.update_policy(actor=cast.admin, method="suppression")
    html = client.get("/data/query/").content.decode()
    assert "custom areas are not released" in html and 'value="custom"' not in html


def test_everything_suppressed_says_why(client: Any, catalog: dict, cast: Any) -> None:
    actions.update_policy(actor=cast.admin, min_count=100000)
    html = client.get(f"/data/query/?{story_query()}").content.decode()
    assert "Every number in this table is too small to show" in html
    assert "Use a larger geography" in html


def test_bad_parameters_name_the_field(client: Any, catalog: dict) -> None:
    html = client.get(
        "/data/query/?measure=asthma_ed&years=2021-2023&level=county"
    ).content.decode()
    assert "Years: Select a valid choice." in html


def test_only_the_policys_blocks_of_years_are_offered(client: Any, catalog: dict) -> None:
    html = client.get("/data/query/").content.decode()
    assert '<option value="2020-2024" selected>2020–2024</option>' in html
    assert '<option value="2015-2019">2015–2019</option>' in html
    assert 'value="2024"' not in html
    assert "fixed blocks of 5 years" in html


def test_single_years_under_the_default_policy(client: Any, catalog: dict, cast: Any) -> None:
    actions.update_policy(actor=cast.admin, year_block=1)
    html = client.get("/data/query/?measure=asthma_ed&years=2024&level=council_district")
    html = html.content.decode()
    assert "Asthma emergency department visits, 2024" in html
    assert "Over the years" in html  # 2015 to 2024, one point a year
    trend = re.search(r'<desc id="[^"]*trend-desc">(.*?)</desc>', html, flags=re.S)
    assert trend and "2015" in trend.group(1) and "2024" in trend.group(1)
    refused = client.get("/data/query/?measure=asthma_ed&years=2020-2024&level=county")
    assert "Years: Select a valid choice." in refused.content.decode()


def test_links_from_before_the_years_field_still_work(client: Any, catalog: dict) -> None:
    html = client.get(
        "/data/query/?measure=asthma_ed&year_from=2020&year_to=2024&level=council_district"
    ).content.decode()
    assert "Asthma emergency department visits, 2020–2024" in html


def test_trend_names_dont_overprint_when_the_lines_end_together() -> None:
    from data.charts import Line, _place_labels

    area = Line("Eastside", [(60, 120, "2015", "1"), (600, 151, "2020", "1")], "", "", "", [])
    county = Line("County", [(60, 118, "2015", "1"), (600, 144, "2020", "1")], "", "", "", [])
    _place_labels([area, county])
    assert abs(area.label_y - county.label_y) >= 14
    apart = Line("Far", [(600, 40, "2020", "1")], "", "", "", [])
    _place_labels([apart, Line("Near", [(600, 200, "2020", "1")], "", "", "", [])])
    assert apart.label_y == 30  # above its point, as usual


def test_a_shown_cell_without_a_rate_says_why_in_the_table(client: Any, catalog: dict) -> None:
    # The engine marks a shown cell whose group has events but no population: the table's
    # notes say so in words, instead of leaving the rate blank without a reason.
    import pyarrow as pa
    from django.template.loader import render_to_string

    from data import queries, views
    from data.forms import QueryForm
    from data.models import PolicySetting
    from data.tests.conftest import demo_params

    form = QueryForm(
        demo_params(), measures=queries.visible_measures(None), policy=PolicySetting.current()
    )
    assert form.is_valid(), form.errors
    outcome = queries.run_spec(form.spec())
    table = outcome.result.table
    rows = table.to_pylist()
    k = next(i for i, r in enumerate(rows) if not r["suppressed"] and r["count"])
    rows[k].update(rate=None, rate_lower=None, rate_upper=None, adjusted_rate=None)
    rows[k]["suppression_reason"] = "events but no population: no rate"
    outcome.result = type(outcome.result)(
        pa.Table.from_pylist(rows, table.schema), outcome.result.meta
    )
    html = render_to_string("data/includes/result.html", views.result_context(outcome))
    row = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    noted = [r for r in row if "No rate: there are events but no population" in r]
    assert len(noted) == 1 and rows[k]["area_name"] in noted[0]


def test_the_catalogs_query_link_opens_a_result_not_errors(client: Any, catalog: dict) -> None:
    # The catalog and the menu link with the measure only; the rest are the form's defaults.
    html = client.get("/data/query/?measure=asthma_ed").content.decode()
    assert "This field is required" not in html
    assert "Asthma emergency department visits, 2020–2024" in html
