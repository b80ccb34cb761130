"""Published indicators (CDC PLACES layout): loaded as published, never recomputed."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from powershare.stats import LoadError, Store
from powershare.stats.indicators import indicator_result, indicators, load_indicators
from powershare.stats.synth_indicators import PLACES_HEADER, WITHHELD, places_row, write_places

ASTHMA = "Current asthma among adults"
SUPPRESSED = WITHHELD


def tiny_places() -> list[dict]:
    """Tracts T1-T3 of the tiny county (T4 withheld), the county, a tract of elsewhere, and
    the same measure age-adjusted for the county."""
    return [
        places_row("T1", "T1", "10.4", "9.1", "11.8", TotalPopulation="4,210"),
        places_row("T2", "T2", "9.0", "7.9", "10.2"),
        places_row("T3", "T3", "12.35", "10.0", "14.9"),
        places_row("T4", "T4", "", "", ""),
        places_row("99999999999", "99999999999", "8.0", "7.0", "9.0"),
        places_row("X", "Tiny County", "10.1", "9.6", "10.6"),
        places_row(
            "X",
            "Tiny County",
            "9.8",
            "9.3",
            "10.3",
            Data_Value_Type="Age-adjusted prevalence",
            DataValueTypeID="AgeAdjPrv",
        ),
    ]


def test_a_places_file_loads_as_published(tiny_store: Store, tmp_path: Path):
    report = load_indicators(
        tiny_store, write_places(tmp_path / "places.csv", tiny_places()), dataset="places"
    )
    assert report.rows == 6  # the tract of elsewhere is left out
    found = {i.key: i for i in indicators(tiny_store, "places")}
    assert set(found) == {"CASTHMA:AgeAdjPrv", "CASTHMA:CrdPrv"}
    crude = found["CASTHMA:CrdPrv"]
    assert crude.measure == ASTHMA and crude.years == (2022,) and crude.source == "BRFSS"
    assert set(crude.levels) == {"tract", "county"}

    result = indicator_result(
        tiny_store, "places", "CASTHMA", "CrdPrv", level="tract", reference="county"
    )
    rows = {r["area"]: r for r in result.rows()}
    assert list(rows) == ["T1", "T2", "T3", "T4", "X"]  # the level's areas, then the county
    assert rows["T3"]["published_value"] == "12.35"  # the text as published
    assert rows["T3"]["rate"] == 12.35 and rows["T3"]["rate_lower"] == 10.0
    assert rows["T1"]["denominator"] == 4210
    assert rows["T4"]["suppressed"] and rows["T4"]["rate"] is None
    assert SUPPRESSED in rows["T4"]["suppression_reason"]
    assert rows["X"]["area_name"] == "Tiny County"
    assert result.meta["data_source"] == "BRFSS" and result.meta["year"] == 2022
    assert result.meta["value_type"] == "Crude prevalence"
    # Read back by pandas as any analyst would: one row per area, the codes kept.
    frame = pd.read_csv(io.BytesIO(result.to_csv()), dtype={"area": str})
    assert frame.loc[frame.area == "T2", "rate"].item() == 9.0


def test_loading_the_same_file_again_changes_nothing(tiny_store: Store, tmp_path: Path):
    path = write_places(tmp_path / "places.csv", tiny_places())
    load_indicators(tiny_store, path, dataset="places")
    again = load_indicators(tiny_store, path, dataset="places")
    assert again.unchanged


def test_what_the_file_lacks_is_named(tiny_store: Store, tmp_path: Path):
    path = write_places(tmp_path / "places.csv", tiny_places())
    load_indicators(tiny_store, path, dataset="places")
    with pytest.raises(ValueError, match="published for 2022, not 2019"):
        indicator_result(tiny_store, "places", "CASTHMA", "CrdPrv", level="tract", years=(2019,))
    with pytest.raises(ValueError, match="not for neighborhood"):
        indicator_result(tiny_store, "places", "CASTHMA", "CrdPrv", level="neighborhood")
    with pytest.raises(ValueError, match="no OBESITY"):
        indicator_result(tiny_store, "places", "OBESITY", "CrdPrv", level="tract")


def _renamed(header: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if h == old else h for h in header)


BAD_FILES = {
    "a renamed column": (
        lambda rows: (
            [{("Data Value" if k == "Data_Value" else k): v for k, v in r.items()} for r in rows],
            _renamed(PLACES_HEADER, "Data_Value", "Data Value"),
        ),
        "no 'Data_Value' column (the file has 'Data Value'",
    ),
    "a dropped column": (
        lambda rows: (rows, tuple(h for h in PLACES_HEADER if h != "Low_Confidence_Limit")),
        "no 'Low_Confidence_Limit' column",
    ),
    "a value that is not a number": (
        lambda rows: ([{**rows[0], "Data_Value": "ten"}, *rows[1:]], PLACES_HEADER),
        "not a number",
    ),
    "an estimate outside its limits": (
        lambda rows: ([{**rows[0], "Data_Value": "15.0"}, *rows[1:]], PLACES_HEADER),
        "outside its own confidence limits",
    ),
    "a withheld value without a footnote": (
        lambda rows: (
            [*rows[:3], {**rows[3], "Data_Value_Footnote": ""}, *rows[4:]],
            PLACES_HEADER,
        ),
        "no footnote saying why",
    ),
    "a repeated row": (lambda rows: ([*rows, rows[0]], PLACES_HEADER), "appear on an earlier row"),
    "a bad year": (
        lambda rows: ([{**rows[0], "Year": "22"}, *rows[1:]], PLACES_HEADER),
        "not a year",
    ),
    "no area of this geography": (
        lambda rows: ([rows[4]], PLACES_HEADER),
        "no LocationID is an area of the loaded geography",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_by_name_and_nothing_is_stored(
    tiny_store: Store, tmp_path: Path, case: str
):
    good = write_places(tmp_path / "good.csv", tiny_places())
    load_indicators(tiny_store, good, dataset="places")
    before = tiny_store.manifest()
    change, message = BAD_FILES[case]
    rows, header = change(tiny_places())
    path = write_places(tmp_path / "bad.csv", rows, header)
    with pytest.raises(LoadError) as caught:
        load_indicators(tiny_store, path, dataset="places")
    assert message in str(caught.value)
    assert tiny_store.manifest() == before
    assert (
        len(indicator_result(tiny_store, "places", "CASTHMA", "CrdPrv", level="tract").rows()) == 4
    )


def test_the_cli_loads_a_places_file_and_names_a_bad_one(tiny_store: Store, tmp_path: Path, capsys):
    from powershare.stats.cli import main

    root = str(tiny_store.root)
    good = write_places(tmp_path / "places.csv", tiny_places())
    assert main(["--root", root, "-q", "load-indicators", str(good), "--dataset", "places"]) == 0
    assert "indicators places: places.csv: 6 rows stored" in capsys.readouterr().out
    rows = [{**tiny_places()[0], "Data_Value": "ten"}]
    bad = write_places(tmp_path / "bad.csv", rows)
    assert main(["--root", root, "-q", "load-indicators", str(bad), "--dataset", "places"]) == 1
    err = capsys.readouterr().err
    assert "rejected" in err and "'Data_Value'" in err and "not a number" in err
    assert (
        len(indicator_result(tiny_store, "places", "CASTHMA", "CrdPrv", level="tract").rows()) == 4
    )
