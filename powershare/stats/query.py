"""Queries: measure x years x areas x strata -> a released, protected table.

`run_query` is the one execution path: every policy limit is applied here, in order
(levels allowed, row cap, years loaded, then the policy's method: the protected release of
the query's cube, or for internal analysis the query's own suppression), so no caller can
skip one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pyarrow as pa

from . import comparisons, perturbation, release
from .codes import RACE_CODES, SEX_CODES, STRATA, TOTAL, AgeGroup, parse_age_groups
from .compute import DEFAULT_AGE_GROUPS, Computed, compute, year_cells_of
from .cube import Axis, ratios
from .engine import Source, base_population
from .geography import CustomArea, Geography, load_current
from .measures import Measure, get_measure
from .policy import PolicyError, ReleaseRegistry, SuppressionPolicy
from .ratios import RATIO_METHODS
from .result import Result, build_table
from .standards import StandardPopulation
from .store import Store
from .suppression import complementary


@dataclass(frozen=True)
class Query:
    """What to compute. `reference` is "county", "<level>:<code>", a custom area's name,
    "<stratum>=<value>" (e.g. "race=nh_white"), or None for no rate ratios."""

    measure: str | Measure
    years: tuple[int, ...]
    level: str = "county"
    units: tuple[str, ...] | None = None
    custom_areas: tuple[CustomArea, ...] = ()
    by: tuple[str, ...] = ()
    age_groups: str | None = None
    standard: str | StandardPopulation | None = None
    ci_method: str = "gamma"
    conf_level: float = 0.95
    reference: str | None = "county"
    totals: bool = True
    #: How rate ratios get their limits (ratios.RATIO_METHODS): "wald" on the headline
    #: estimates, "exact" or "midp" conditional limits on crude rates.
    ratio_method: str = "wald"
    #: Crude rates' limits: "exact" (Garwood) or "byar" (PHE: exact below 10, Byar from 10).
    crude_ci: str = "exact"
    #: Further confidence levels whose limits come in the same answer (PHE's 99.8%).
    conf_levels: tuple[float, ...] = ()
    #: Standardized ratios (SMR/SIR) against the reference: observed over expected events.
    indirect: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "years", tuple(int(y) for y in self.years))
        object.__setattr__(self, "by", tuple(self.by))
        if not self.years:
            raise ValueError("a query needs at least one year")
        for s in self.by:
            if s not in STRATA:
                raise ValueError(f"unknown stratum {s!r} (use {', '.join(STRATA)})")
        if len(set(self.by)) != len(self.by):
            raise ValueError("a stratum appears twice in 'by'")
        if self.ci_method not in ("gamma", "dobson"):
            raise ValueError("ci_method must be 'gamma' (Fay-Feuer) or 'dobson'")
        if not 0.5 <= self.conf_level < 1:
            raise ValueError("conf_level must be in [0.5, 1), e.g. 0.95")
        levels = tuple(float(v) for v in self.conf_levels if float(v) != self.conf_level)
        object.__setattr__(self, "conf_levels", tuple(dict.fromkeys(levels)))
        if any(not 0.5 <= v < 1 for v in self.conf_levels) or len(self.conf_levels) > 3:
            raise ValueError("conf_levels: at most three more levels, each in [0.5, 1)")
        if self.ratio_method not in RATIO_METHODS:
            raise ValueError(f"ratio_method must be one of {', '.join(RATIO_METHODS)}")
        if self.crude_ci not in ("exact", "byar"):
            raise ValueError("crude_ci must be 'exact' (Garwood) or 'byar' (PHE)")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy, stored with the result so it can be reproduced."""
        d = dataclasses.asdict(self)
        if isinstance(self.measure, Measure):
            d["measure"] = self.measure.name
        if isinstance(self.standard, StandardPopulation):
            d["standard"] = self.standard.to_dict()
        d["custom_areas"] = [{"name": a.name, "units": list(a.units)} for a in self.custom_areas]
        return d


def run_query(
    store: Store,
    query: Query,
    *,
    policy: SuppressionPolicy | None = None,
    source: Source | None = None,
    measures: Mapping[str, Measure] | None = None,
) -> Result:
    """Compute a query under a policy; raises PolicyError when the policy refuses it.

    Under "suppression" every cell is looked up in the protected release of its cube
    (`release`); under "perturbation" every count is perturbed by its records' keys
    (`perturbation`); "internal" suppresses the query's own table, for analysts who hold the
    record-level data and release nothing.
    """
    started = time.perf_counter()
    policy = policy or SuppressionPolicy()
    measure = get_measure(query.measure, measures)
    geo = load_current(store)
    _check_levels(query, geo, policy)
    source = source or Source.duckdb(store)
    is_rate = measure.kind == "rate"
    if not is_rate and (query.indirect or query.ratio_method != "wald"):
        raise ValueError(
            f"measure {measure.name} is a proportion: standardized ratios and exact rate ratios "
            "are for rates"
        )
    year_cells = year_cells_of(query, policy)
    _check_row_cap(query, geo, policy, year_cells)
    if policy.year_block:
        _check_years_loaded(query, source, measure.population if is_rate else measure.dataset)

    if policy.method == "internal":
        custom_w: list[np.ndarray] = []
        custom_pop: list[float] = []
        if query.custom_areas:
            custom_w, custom_pop = _check_custom_areas(store, query, geo, policy, source, measure)
        c = compute(store, query, policy, source, measure, geo, custom_w=custom_w)
        primary, reasons = _primary(c.stats, policy, is_rate)
        hidden = primary
        if policy.complementary:
            hidden = complementary(
                c.stats.count.reshape(c.shape),
                primary.reshape(c.shape),
                [a.with_total for a in c.axes],
            ).ravel()
        reasons = np.where(hidden & ~primary, "complementary", reasons)
        adjusted_hidden = rates_hidden = hidden
        release_meta: dict[str, Any] = {"method": "internal"}
    else:
        if policy.method == "perturbation":
            custom_w = []
            if query.custom_areas:
                custom_w, _ = _check_custom_areas(
                    store, query, geo, policy, source, measure, against_releases=False
                )
            answer = perturbation.answer(store, query, policy, source, measure, geo, custom_w)
        else:
            answer = release.answer(store, query, policy, source, measure, geo)
        c, hidden, reasons = answer.computed, answer.hidden, answer.reasons
        adjusted_hidden, rates_hidden = answer.adjusted_hidden, answer.rates_hidden
        release_meta = answer.meta

    reasons = _with_notes(reasons, c, hidden, adjusted_hidden | rates_hidden)
    ref_index = _reference_index(query, c.axes, c.shape, geo)
    ratio = ratios(c.stats, ref_index, query.conf_level)
    headline_hidden = adjusted_hidden if is_rate else hidden
    ref_hidden = np.where(ref_index >= 0, headline_hidden[np.clip(ref_index, 0, None)], False)
    table = build_table(
        c.axes,
        c.shape,
        c.stats,
        ratio,
        hidden,
        reasons,
        ref_hidden,
        policy,
        is_rate,
        level="custom" if query.custom_areas else query.level,
        names=c.names,
        adjusted_hidden=adjusted_hidden,
        rates_hidden=rates_hidden,
    )
    extra, methods_meta = comparisons.columns(
        c,
        query,
        ref_index,
        comparisons.Hidden(hidden, adjusted_hidden, rates_hidden),
        measure.per,
        policy.empty_age_groups,
    )
    table = _with_columns(table, extra, c, hidden | adjusted_hidden | rates_hidden)
    keep = _row_filter(query, c.axes, c.shape)
    if not keep.all():
        table = table.filter(keep)
    if policy.method == "internal" and query.custom_areas and policy.record_releases:
        registry = ReleaseRegistry(store)
        for area, wa, pa_ in zip(query.custom_areas, custom_w, custom_pop, strict=True):
            weights_by_code = {
                code: float(v) for code, v in zip(geo.base_codes, wa, strict=True) if v > 0
            }
            registry.record(area.name, area.units, weights_by_code, pa_)
    fine = c.fine
    meta = {
        "query": query.to_dict(),
        "measure": measure.to_dict(),
        "policy": policy.to_dict(),
        "release": release_meta,
        "methods": methods_meta,
        "standard": c.standard.to_dict() if is_rate else None,
        "age_bins": [AgeGroup(a, b - 1).label for a, b in zip(fine, fine[1:], strict=False)],
        "data_versions": {
            "events": {measure.dataset: store.dataset(measure.dataset).version},
            "population": {measure.population: store.dataset(measure.population).version}
            if is_rate
            else {},
            "geography": geo.version,
        },
        "engine": source.name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 4),
        "rows": table.num_rows,
        "suppressed_cells": int(hidden[keep].sum()),
    }
    return Result(table, meta)


def _with_columns(
    table: pa.Table, extra: Mapping[str, pa.Array], c: Computed, adjusted_hidden: np.ndarray
) -> pa.Table:
    """The comparison columns: those the table has are replaced, the others go before
    `suppressed`; then `adjusted_code`, the reason code of a shown cell's adjusted note."""
    for name, column in extra.items():
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, column)
        else:
            table = table.add_column(table.column_names.index("suppressed"), name, column)
    codes = c.adjusted_codes if c.adjusted_codes.size else np.full(table.num_rows, "", object)
    codes = np.where(adjusted_hidden, "", codes)
    return table.append_column("adjusted_code", pa.array(codes, pa.string(), mask=codes == ""))


def _with_notes(
    reasons: np.ndarray, c: Computed, hidden: np.ndarray, adjusted_hidden: np.ndarray
) -> np.ndarray:
    """A shown cell without a rate says why (no population, or events in ages without
    population for its adjusted rate); a hidden cell keeps its reason, and tells nothing more."""
    if not c.notes.size:
        return reasons
    free = (reasons == "") & ~hidden
    out = np.where(free & (c.notes != ""), c.notes, reasons)
    adjusted = (out == "") & ~hidden & ~adjusted_hidden & (c.adjusted_notes != "")
    return np.where(adjusted, c.adjusted_notes, out)


def _check_row_cap(
    query: Query, geo: Geography, policy: SuppressionPolicy, year_cells: list[tuple[int, int]]
) -> None:
    """Refuse, before any work, a query whose table could exceed the policy's row cap."""
    n_areas = len(query.custom_areas) or len(query.units or geo.codes(query.level))
    spec = query.age_groups or policy.age_groups or DEFAULT_AGE_GROUPS
    sizes = {
        "race": len(RACE_CODES),
        "sex": len(SEX_CODES),
        "year": len(year_cells),
        "age_group": len(parse_age_groups(spec)),
    }
    estimate = (n_areas + 1) * int(np.prod([sizes[s] + 1 for s in query.by]))
    if estimate > policy.max_rows:
        raise PolicyError(
            f"this query could return {estimate:,} rows; the policy allows {policy.max_rows:,}"
        )


def _check_levels(query: Query, geo: Geography, policy: SuppressionPolicy) -> None:
    allowed = policy.allowed_levels or geo.levels
    levels = {u.partition(":")[0] for a in query.custom_areas for u in a.units} or {query.level}
    for level in levels:
        geo.check_level(level)
        if level not in allowed:
            raise PolicyError(f"the policy doesn't allow queries at the {level} level")
    if query.units and not query.custom_areas:
        known = set(geo.codes(query.level))
        missing = [u for u in query.units if u not in known]
        if missing:
            raise ValueError(f"no {query.level} with code(s): {', '.join(missing)}")


def _check_custom_areas(
    store: Store,
    query: Query,
    geo: Geography,
    policy: SuppressionPolicy,
    source: Source,
    measure: Measure,
    against_releases: bool = True,
) -> tuple[list[np.ndarray], list[float]]:
    """Population floor and (`against_releases`) release history for each custom area;
    returns their weights. Perturbed releases need no history: a difference of two of them
    is a difference of noises."""
    names = [a.name for a in query.custom_areas]
    if len(set(names)) != len(names):
        raise ValueError("custom areas need distinct names")
    table = source.execute(
        base_population(source.table(measure.population), query.years),
        policy.time_limit_seconds,
        cache=True,  # keyed by the population's version, like the denominators
    )
    if table.num_rows == 0:  # years without population: fall back to all years loaded
        years = tuple(range(1900, 2101))
        table = source.execute(
            base_population(source.table(measure.population), years),
            policy.time_limit_seconds,
            cache=True,
        )
    lookup = dict(zip(table["geo"].to_pylist(), table["n"].to_pylist(), strict=True))
    base_pop = np.array([float(lookup.get(c, 0.0) or 0.0) for c in geo.base_codes])
    standard_areas: dict[str, np.ndarray] = {}
    for level in geo.levels:
        codes, m = geo.matrix(level)
        for code, row in zip(codes, m, strict=True):
            standard_areas[f"the {level} {geo.name(level, code)!r}"] = row
    registry = ReleaseRegistry(store)
    weights, pops = [], []
    floor = float(policy.custom_area_min_population)
    for area in query.custom_areas:
        w = geo.custom_weights(area)
        population = float(w @ base_pop)
        if population < floor:
            raise PolicyError(
                f"custom area {area.name!r} has about {population:,.0f} residents; the policy's floor "
                f"is {floor:,.0f}. Add units to it."
            )
        if against_releases:
            registry.check(area.name, w, geo.base_codes, base_pop, floor, standard_areas)
        standard_areas[f"custom area {area.name!r} in the same query"] = w
        weights.append(w)
        pops.append(population)
    return weights, pops


def _check_years_loaded(query: Query, source: Source, dataset: str) -> None:
    """A block of years is released only once every year in it is loaded: released early, the
    same block released again later, minus the first release, would give the new years alone."""
    table = source.table(dataset)
    years = source.execute(table.select("year").distinct(), cache=True)
    have = set(years["year"].to_pylist())
    missing = sorted(set(query.years) - have)
    if missing:
        raise PolicyError(
            f"no data is loaded yet for {', '.join(str(y) for y in missing)}: the policy releases "
            "a block of years only once all of its years are loaded"
        )


def _primary(stats: Any, policy: SuppressionPolicy, is_rate: bool) -> tuple[np.ndarray, np.ndarray]:
    """Primary suppression and its reasons, per cell."""
    k = policy.min_count
    n, d = stats.count, stats.denominator
    small = (n < k) & ((n > 0) | policy.suppress_zero)
    reasons = np.full(n.shape, "", dtype=object)
    if is_rate:
        # Population is public, but a rate over a few people describes those people.
        low_pop = (d > 0) & (d < policy.min_population)
        reasons = np.where(low_pop, f"population below {policy.min_population}", reasons)
        reasons = np.where(small, f"count below {k}", reasons)
        return small | low_pop, reasons
    small_den = (d < k) & (d > 0)
    rest = d - n
    small_rest = (rest > 0) & (rest < k)
    reasons = np.where(small_rest, f"complement below {k}", reasons)
    reasons = np.where(small_den, f"denominator below {k}", reasons)
    reasons = np.where(small, f"count below {k}", reasons)
    return small | small_den | small_rest, reasons


def _reference_index(
    query: Query, axes: list[Axis], shape: tuple[int, ...], geo: Geography
) -> np.ndarray:
    """Flat index of each cell's reference cell (-1: none)."""
    size = int(np.prod(shape))
    if query.reference is None:
        return -np.ones(size, dtype=np.int64)
    idx = np.indices(shape).reshape(len(shape), -1)
    ref = idx.copy()
    spec = query.reference
    if "=" in spec:
        stratum, _, value = spec.partition("=")
        if stratum not in query.by:
            raise ValueError(f"reference {spec!r}: the query isn't broken down by {stratum}")
        axis = 1 + query.by.index(stratum)
        values = axes[axis].values
        if value not in values:
            raise ValueError(f"reference {spec!r}: no {stratum} {value!r} in the result")
        ref[axis] = values.index(value)
    else:
        codes = axes[0].values
        if spec in ("county", TOTAL):
            target = len(codes) - 1
        else:
            code = spec.partition(":")[2] or spec
            if code not in codes:
                raise ValueError(f"reference {spec!r} is not one of the areas in the result")
            target = codes.index(code)
        ref[0] = target
    return np.asarray(np.ravel_multi_index(tuple(ref), shape), dtype=np.int64)


def _row_filter(query: Query, axes: list[Axis], shape: tuple[int, ...]) -> np.ndarray:
    """Rows to return: requested units (plus the county), margins only when `totals`."""
    idx = np.indices(shape).reshape(len(shape), -1)
    keep = np.ones(idx.shape[1], dtype=bool)
    area_codes = axes[0].values
    if query.units and not query.custom_areas:
        wanted = {area_codes.index(u) for u in query.units} | {len(area_codes) - 1}
        keep &= np.isin(idx[0], list(wanted))
    if not query.totals:
        for i, axis in enumerate(axes):
            if axis.with_total:
                keep &= idx[i] != shape[i] - 1
    return keep
