"""The shapes of ``GET /statistics/query``'s answer, typed: what the statistics engine returns
(``powershare.stats.Result``: ``meta`` and one row per cell) as ``data.exports.json_export``
gives it to the data pages' JSON twin, field by field. The engine may add fields (a new policy
setting, a new column): they pass through (``extra="allow"``) until they are named here."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag


class Open(BaseModel):
    """A shape whose named fields are typed and whose new fields pass through (a plain pydantic
    model: Ninja's ``Schema`` reads its input by attribute and would drop them)."""

    model_config = ConfigDict(extra="allow")


Number = float | None


class StatsRow(Open):
    """One cell of the table. A suppressed cell keeps its labels and reason and nothing else:
    its numbers (the population too) are null."""

    level: str = Field(description="The geography level, or `custom` for custom areas.")
    area: str = Field(
        description="The area's code: the `code` of `/data/shapes/<level>.geojson` (a custom "
        "area's code is its name)."
    )
    area_name: str
    race: str | None = Field(None, description="With `by=race`: the group (`All` is everyone).")
    sex: str | None = Field(None, description="With `by=sex`.")
    age_group: str | None = Field(None, description="With `by=age_group`, e.g. `18-44`.")
    year: str | None = Field(None, description="With `by=year`: the year or block of years.")
    count: Number = Field(description="Events; null when suppressed (or not published).")
    denominator: Number = Field(
        description="The population (a proportion's: the events it is a share of); null when "
        "suppressed."
    )
    rate: Number = Field(description="Crude rate per the measure's `per`, or the estimate.")
    rate_lower: Number = Field(description="Lower limit of the rate's confidence interval.")
    rate_upper: Number = Field(description="Upper limit of the rate's confidence interval.")
    adjusted_rate: Number = Field(description="Age-adjusted rate (direct method).")
    adjusted_lower: Number
    adjusted_upper: Number
    rse: Number = Field(description="Relative standard error of the rate, in percent.")
    unreliable: bool = Field(description="Few events or a large relative standard error.")
    rate_ratio: Number = Field(description="The rate divided by the reference's.")
    ratio_lower: Number
    ratio_upper: Number
    ratio_significant: bool = Field(description="The ratio's interval excludes 1.")
    rate_difference: Number = Field(None, description="The rate minus the reference's.")
    difference_lower: Number = None
    difference_upper: Number = None
    expected: Number = Field(None, description="Indirect standardization: expected events.")
    smr: Number = Field(None, description="Standardized ratio: observed over expected events.")
    smr_lower: Number = None
    smr_upper: Number = None
    smr_significant: bool | None = None
    suppressed: bool = Field(
        description="Hidden to protect privacy (or withheld by the publisher)."
    )
    suppression_reason: str | None = Field(
        description="The rule that hid the cell (e.g. `protected below 11`), or a note on a "
        "shown cell without a rate; null otherwise."
    )
    suppression_note: str | None = Field(
        None, description="On a suppressed cell: why it is hidden, in words."
    )
    adjusted_code: str | None = Field(
        None, description="Why a shown cell's adjusted rate is missing or renormalized (a code)."
    )
    published_value: str | None = Field(
        None, description="Published estimates: the value as the publisher wrote it."
    )
    published_lower: str | None = None
    published_upper: str | None = None
    footnote: str | None = Field(None, description="Published estimates: the publisher's note.")


class Source(Open):
    dataset: str
    source: str
    caveats: str


class CustomAreaEcho(Open):
    name: str
    units: list[str]


class StandardPopulation(Open):
    name: str
    label: str
    groups: dict[str, float] = Field(description="Age group → standard population.")


class QueryEcho(Open):
    """The query as the engine ran it (years spelled out)."""

    measure: str
    years: list[int]
    level: str
    units: list[str] | None
    custom_areas: list[CustomAreaEcho]
    by: list[str]
    age_groups: str | None
    standard: str | StandardPopulation | None
    ci_method: str
    conf_level: float
    reference: str | None
    totals: bool
    ratio_method: str
    crude_ci: str
    conf_levels: list[float] = Field(description="Further confidence levels, beyond conf_level.")
    indirect: bool


class Condition(Open):
    column: str
    op: str
    value: Any


class MeasureDefinition(Open):
    name: str
    label: str
    dataset: str
    kind: Literal["rate", "proportion"]
    causes: list[str]
    age_min: int
    age_max: int
    sex: str | None
    where: list[Condition]
    numerator: list[Condition]
    numerator_causes: list[str]
    per: int
    population: str
    standard: str
    description: str


class Policy(Open):
    """The department's disclosure policy the answer was computed under."""

    method: str = Field(description="`suppression`, `perturbation` or `internal`.")
    min_count: int = Field(description="Counts below this are hidden.")
    suppress_zero: bool
    min_population: int = Field(description="Rates over fewer residents are withheld.")
    custom_area_min_population: int
    complementary: bool
    allowed_levels: list[str] | None
    age_groups: str | None
    protection: str
    release_strata: list[str]
    year_block: int = Field(description="Years per release (0: single years).")
    year_origin: int
    max_rows: int
    time_limit_seconds: float
    unreliable_count: int
    unreliable_rse: float
    record_releases: bool
    empty_age_groups: str
    perturbation_max_noise: int = Field(
        description="Cell key perturbation: the largest noise added to a count."
    )
    perturbation_variance: float = Field(description="Cell key perturbation: the noise's variance.")
    perturbation_small: int = Field(
        description="Cell key perturbation: counts from 1 to this are never released exactly."
    )


class Methods(Open):
    """How the comparisons were computed."""

    ratio: str
    ratio_of: str
    difference: str
    conf_levels: list[float]
    crude_ci: str
    empty_age_groups: str
    renormalized_cells: int
    indirect: str | None = None


class Release(Open):
    """How the released table was protected."""

    method: str
    levels: list[str] | None = None
    age_groups: str | None = None
    note: str | None = None
    perturbation: dict[str, Any] | None = None


class DataVersions(Open):
    events: dict[str, str]
    population: dict[str, str]
    geography: str


class ComputedMeta(Open):
    """What a computed table is: the query, measure, policy and data it came from."""

    query: QueryEcho
    measure: MeasureDefinition
    policy: Policy
    release: Release
    methods: Methods
    standard: StandardPopulation | None = Field(description="For rates: the age standard.")
    age_bins: list[str]
    data_versions: DataVersions
    engine: str
    created_at: str = Field(description="When it was computed (ISO 8601).")
    seconds: float
    rows: int
    suppressed_cells: int
    source: Source
    notes: list[str] = Field(description="What to know when reading the table, in words.")


class PublishedMeta(Open):
    """What a table of published estimates (e.g. CDC PLACES) is: never recomputed."""

    kind: Literal["indicator"]
    dataset: str
    measure: str
    measure_id: str
    value_type: str
    value_type_id: str
    unit: str
    data_source: str
    year: int
    level: str
    reference: str | None
    note: str
    data_version: str
    source: Source
    notes: list[str]


def _meta_kind(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return "published" if kind == "indicator" else "computed"


StatsMeta = Annotated[
    Annotated[ComputedMeta, Tag("computed")] | Annotated[PublishedMeta, Tag("published")],
    Discriminator(_meta_kind),
]


class StatsOut(Schema):
    meta: StatsMeta = Field(
        description="Query, measure, policy, data versions, `source` (the dataset, its source "
        "and caveats) and `notes`; for published estimates, the publisher's measure and year."
    )
    rows: list[StatsRow] = Field(description="One row per cell, the areas' then the reference.")
