"""Years in one fixed partition (`SuppressionPolicy.year_block`): a pooled span and the single
years in it are never both released, so no hidden year is their difference."""

from __future__ import annotations

import pytest

from powershare.stats import PolicyError, Query, SuppressionPolicy, run_query

SINGLE = SuppressionPolicy(year_block=1, record_releases=False)
BLOCKS = SuppressionPolicy(year_block=3, year_origin=2015, record_releases=False)


def _cells(result, year=None):
    """{(area, sex): (count, suppressed, reason)} of the rows of one year cell."""
    return {
        (r["area"], r.get("sex")): (r["count"], r["suppressed"], r["suppression_reason"])
        for r in result.rows()
        if year is None or r["year"] == year
    }


def test_single_years_refuse_a_pooled_span(county):
    with pytest.raises(PolicyError, match="one year at a time"):
        run_query(county.store, Query("injury_ed", years=(2022, 2023)), policy=SINGLE)


def test_a_span_broken_down_by_year_has_no_total_over_the_years(county):
    query = Query("injury_ed", years=(2021, 2022, 2023), level="neighborhood", by=("year",))
    result = run_query(county.store, query, policy=SINGLE)
    assert sorted({r["year"] for r in result.rows()}) == ["2021", "2022", "2023"]
    # Without the policy the same table carries the pooled total as a margin.
    open_result = run_query(county.store, query, policy=SuppressionPolicy(record_releases=False))
    assert "total" in {r["year"] for r in open_result.rows()}


def test_blocks_must_be_whole_and_aligned(county):
    for years in ((2020,), (2016, 2017, 2018), (2018, 2019, 2020, 2021)):
        with pytest.raises(PolicyError, match="blocks of 3"):
            run_query(county.store, Query("injury_ed", years=years), policy=BLOCKS)
    with pytest.raises(PolicyError, match="no gaps"):
        run_query(county.store, Query("injury_ed", years=(2018, 2020)), policy=BLOCKS)
    result = run_query(county.store, Query("injury_ed", years=(2018, 2019, 2020)), policy=BLOCKS)
    assert result.table.num_rows == 1


def test_a_trend_of_blocks_shows_each_block_as_its_own_table_does(county):
    """Every cell of a by-year table (counts, what is hidden and why) is the cell of that block
    asked for alone: the trend releases nothing the single blocks don't."""
    trend = run_query(
        county.store,
        Query(
            "asthma_ed", years=tuple(range(2018, 2024)), level="neighborhood", by=("year", "sex")
        ),
        policy=BLOCKS,
    )
    assert sorted({r["year"] for r in trend.rows()}) == ["2018-2020", "2021-2023"]
    hidden = 0
    for first in (2018, 2021):
        alone = run_query(
            county.store,
            Query(
                "asthma_ed", years=(first, first + 1, first + 2), level="neighborhood", by=("sex",)
            ),
            policy=BLOCKS,
        )
        cells = _cells(alone)
        assert _cells(trend, f"{first}-{first + 2}") == cells
        hidden += sum(1 for _, suppressed, _ in cells.values() if suppressed)
    assert hidden  # the comparison covers hidden cells too


def test_without_a_partition_any_span_is_pooled(county):
    result = run_query(
        county.store,
        Query("injury_ed", years=(2019, 2020)),
        policy=SuppressionPolicy(record_releases=False),
    )
    assert result.table.num_rows == 1


def test_a_block_is_released_only_once_all_its_years_are_loaded(county):
    """The synthetic county holds 2015-2024: the block 2024-2026 would be 2024 alone today,
    and 2024-2025 next year, one minus the other giving 2025."""
    blocks = SuppressionPolicy(year_block=3, year_origin=2024, record_releases=False)
    with pytest.raises(PolicyError, match="no data is loaded yet for 2025, 2026"):
        run_query(county.store, Query("injury_ed", years=(2024, 2025, 2026)), policy=blocks)
    single = SuppressionPolicy(year_block=1, record_releases=False)
    with pytest.raises(PolicyError, match="no data is loaded yet for 2030"):
        run_query(county.store, Query("preterm_births", years=(2030,)), policy=single)
