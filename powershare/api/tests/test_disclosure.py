"""Attacks on the statistics API, on a small synthetic county: none recovers a suppressed cell.

- differencing two overlapping custom areas (an area, then the area plus one tract);
- a group with and without a stratum (areas by race, areas alone, the county by race): the
  suppressed cells stay undetermined by every margin released;
- pooled minus single years: only one fixed partition of years is released.
"""

from __future__ import annotations

import numpy as np
import pytest

from data.actions import update_policy
from powershare.api import stats as api_stats
from powershare.api.tests.helpers import client_for
from powershare.stats import Store, SuppressionPolicy, load_current

FLOOR = 1500


def query(client, **params):
    return client.get("/api/v1/statistics/query", params)


@pytest.fixture
def analyst(cast, stats_root, settings):
    settings.API_RATE_LIMIT = 0
    update_policy(actor=cast.admin, year_block=1)  # single years: the finest the policy allows
    return client_for(cast.analyst)


def test_an_area_plus_one_tract_is_refused(analyst, stats_root, monkeypatch):
    # The county is small, so the floor on custom areas is scaled down with it.
    monkeypatch.setattr(
        api_stats, "policy", lambda: SuppressionPolicy(custom_area_min_population=FLOOR)
    )
    geo = load_current(Store(stats_root))
    base = "District one=council_district:D1"
    first = query(analyst, measure="asthma_ed", years="2022", area=base, reference="county")
    assert first.status_code == 200, first.content
    first_count = first.json()["rows"][0]["denominator"]
    refused = 0
    for tract in geo.codes("tract"):
        second = query(analyst, measure="asthma_ed", years="2022", area=f"{base},tract:{tract}")
        if second.status_code == 200:
            # A tract inside the district (the same area), or one too big to single anyone out.
            difference = abs(second.json()["rows"][0]["denominator"] - first_count)
            assert difference == 0 or difference >= FLOOR
        else:
            assert second.status_code == 400 and "too close" in second.json()["detail"]
            refused += 1
    assert refused > 0
    assert query(client_for(None), measure="asthma_ed", years="2022", area=base).status_code == 401


def _determined(unknowns: list, equations: list[set]) -> list:
    """Unknowns fixed by the equations (each a set of unknowns whose sum is known)."""
    if not unknowns or not equations:
        return []
    index = {u: i for i, u in enumerate(unknowns)}
    a = np.array([[1.0 if u in eq else 0.0 for u in unknowns] for eq in equations])
    rank = np.linalg.matrix_rank(a)
    found = []
    for u, i in index.items():
        unit = np.zeros(len(unknowns))
        unit[i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(u)
    return found


def test_a_group_with_and_without_a_stratum_recovers_nothing(analyst):
    attacked = 0
    for measure, level in [("asthma_ed", "neighborhood"), ("injury_ed", "council_district")]:
        cells = query(analyst, measure=measure, years="2022", level=level, by="race").json()
        alone = query(analyst, measure=measure, years="2022", level=level).json()
        county = query(analyst, measure=measure, years="2022", level="county", by="race").json()
        rows = [r for r in cells["rows"] if r["level"] == level and r["race"] != "total"]
        hidden = [(r["area"], r["race"]) for r in rows if r["suppressed"]]
        if not hidden:
            continue
        known_area = {
            r["area"]
            for r in cells["rows"] + alone["rows"]
            if r.get("race", "total") == "total" and not r["suppressed"]
        }
        known_race = {r["race"] for r in county["rows"] if not r["suppressed"]}
        equations = [{h for h in hidden if h[0] == area} for area in known_area] + [
            {h for h in hidden if h[1] == race} for race in known_race
        ]
        assert not _determined(hidden, [e for e in equations if e]), (measure, level)
        attacked += 1
    assert attacked


def test_only_one_partition_of_years_is_released(analyst, cast):
    assert query(analyst, measure="asthma_ed", years="2022").status_code == 200
    pooled = query(analyst, measure="asthma_ed", years="2021-2022")
    assert pooled.status_code == 400 and "one year at a time" in pooled.json()["detail"]
    by_year = query(analyst, measure="asthma_ed", years="2021-2022", by="year")
    assert by_year.status_code == 200
    assert {r["year"] for r in by_year.json()["rows"]} == {"2021", "2022"}  # no pooled total
    update_policy(actor=cast.admin, year_block=3)
    assert query(analyst, measure="asthma_ed", years="2021-2023").status_code == 200
    for years in ("2022", "2022-2024", "2021-2024", "2021-2022"):
        refused = query(analyst, measure="asthma_ed", years=years)
        assert refused.status_code == 400
        assert "blocks of 3" in refused.json()["detail"]
