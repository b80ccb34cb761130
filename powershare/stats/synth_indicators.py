"""A synthetic indicator file in CDC PLACES layout, for the demo and the tests.

The columns, their order and their spelling are those of the PLACES county and tract files
as CDC publishes them; the values are made up (seeded), so a page built on them must say
so. A few small tracts are withheld with PLACES's own footnote.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from .geography import Geography

PLACES_HEADER = (
    "Year",
    "StateAbbr",
    "StateDesc",
    "LocationName",
    "DataSource",
    "Category",
    "Measure",
    "Data_Value_Unit",
    "Data_Value_Type",
    "Data_Value",
    "Data_Value_Footnote_Symbol",
    "Data_Value_Footnote",
    "Low_Confidence_Limit",
    "High_Confidence_Limit",
    "TotalPopulation",
    "TotalPop18plus",
    "LocationID",
    "CategoryID",
    "MeasureId",
    "DataValueTypeID",
    "Short_Question_Text",
    "Geolocation",
)
WITHHELD = "Estimates suppressed for population less than 50"

#: (MeasureId, Measure, Category, CategoryID, Short_Question_Text, typical prevalence %)
MEASURES = (
    (
        "CASTHMA",
        "Current asthma among adults",
        "Health Outcomes",
        "HLTHOUT",
        "Current Asthma",
        10.5,
    ),
    ("OBESITY", "Obesity among adults", "Health Outcomes", "HLTHOUT", "Obesity", 33.0),
    (
        "CSMOKING",
        "Current cigarette smoking among adults",
        "Health Risk Behaviors",
        "RISKBEH",
        "Current Smoking",
        14.0,
    ),
)
TYPES = (("Crude prevalence", "CrdPrv"), ("Age-adjusted prevalence", "AgeAdjPrv"))


def places_row(area: str, name: str, value: str, low: str, high: str, **changes: str) -> dict:
    """One row of a PLACES file: current asthma, crude, 2022, unless `changes` say else."""
    row = {
        "Year": "2022",
        "StateAbbr": "XX",
        "StateDesc": "Example",
        "LocationName": name,
        "DataSource": "BRFSS",
        "Category": "Health Outcomes",
        "Measure": "Current asthma among adults",
        "Data_Value_Unit": "%",
        "Data_Value_Type": "Crude prevalence",
        "Data_Value": value,
        "Data_Value_Footnote_Symbol": "" if value else "*",
        "Data_Value_Footnote": "" if value else WITHHELD,
        "Low_Confidence_Limit": low,
        "High_Confidence_Limit": high,
        "TotalPopulation": "4210",
        "TotalPop18plus": "3300",
        "LocationID": area,
        "CategoryID": "HLTHOUT",
        "MeasureId": "CASTHMA",
        "DataValueTypeID": "CrdPrv",
        "Short_Question_Text": "Current Asthma",
        "Geolocation": "",
    }
    row.update(changes)
    return row


def write_places(path: Path, rows: list[dict], header: tuple[str, ...] = PLACES_HEADER) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(header), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def synthetic_places(
    geo: Geography, path: Path, *, year: int = 2022, seed: int = 11, state: str = "XX"
) -> Path:
    """Made-up PLACES estimates for every base-level area, the top level (the county) and
    every area of a comparison level (the state's counties): three measures, crude and
    age-adjusted, one tract in twenty withheld."""
    rng = np.random.default_rng(seed)
    top = geo.levels[-1]
    areas = [(geo.base_level, c) for c in geo.base_codes] + [(top, c) for c in geo.codes(top)]
    areas += [(lv, c) for lv in geo.comparison_levels for c in geo.codes(lv)]
    rows = []
    for measure_id, measure, category, category_id, short, typical in MEASURES:
        for value_type, type_id in TYPES:
            for level, code in areas:
                whole = level == top or level in geo.comparison_levels  # a county's row
                if level in geo.comparison_levels:
                    population = int(rng.integers(2_000, 800_000))
                else:
                    population = 400_000 if whole else int(rng.integers(1_500, 7_000))
                changes = {
                    "Year": str(year),
                    "StateAbbr": state,
                    "MeasureId": measure_id,
                    "Measure": measure,
                    "Category": category,
                    "CategoryID": category_id,
                    "Short_Question_Text": short,
                    "Data_Value_Type": value_type,
                    "DataValueTypeID": type_id,
                    "TotalPopulation": str(population),
                    "TotalPop18plus": str(int(population * 0.78)),
                }
                name = geo.name(level, code) if whole else code
                if not whole and rng.random() < 0.05:
                    rows.append(places_row(code, name, "", "", "", **changes))
                    continue
                value = max(0.5, rng.normal(typical, typical * 0.2))
                half = 1.2 if whole else rng.uniform(1.5, 3.5) * typical / 10
                rows.append(
                    places_row(
                        code,
                        name,
                        f"{value:.1f}",
                        f"{max(0.1, value - half):.1f}",
                        f"{value + half:.1f}",
                        **changes,
                    )
                )
    return write_places(path, rows)
