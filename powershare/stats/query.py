"""Queries: measure x years x areas x strata -> a released, suppressed table.

`run_query` is the one execution path: every policy limit is applied here, in order
(levels and age groups allowed, row cap, custom-area floors and release history, time
limit, primary and complementary suppression), so no caller can skip one.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from scipy import sparse

from .codes import RACE_CODES, SEX_CODES, STRATA, TOTAL, AgeGroup, bounds_of, parse_age_groups
from .cube import Axis, codes_present, dense, proportion_stats, rate_stats, ratios, with_totals
from .engine import (
    Source,
    age_code_bins,
    base_population,
    event_aggregate,
    population_aggregate,
)
from .geography import CustomArea, Geography, load_current
from .measures import Measure, get_measure
from .policy import PolicyError, ReleaseRegistry, SuppressionPolicy
from .result import Result, build_table
from .standards import StandardPopulation, adjustment_bounds, get_standard
from .store import Store
from .suppression import complementary

DEFAULT_AGE_GROUPS = "0-17,18-44,45-64,65+"


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
    """Compute a query under a policy; raises PolicyError when the policy refuses it."""
    started = time.perf_counter()
    policy = policy or SuppressionPolicy()
    measure = get_measure(query.measure, measures)
    geo = load_current(store)
    _check_levels(query, geo, policy)
    year_cells = _year_cells(query, policy)
    source = source or Source.duckdb(store)
    is_rate = measure.kind == "rate"

    # -- age bins: the standard's groups the data allow, plus any age-group strata -------
    if is_rate:
        pop_info = store.dataset(measure.population, "population")
        data_bounds = bounds_of(parse_age_groups(pop_info.columns["age_groups"]))
    else:
        data_bounds = tuple(range(0, 122))
    lo, hi = measure.age_min, measure.age_max
    for b in (lo, hi + 1):
        if b not in data_bounds:
            raise ValueError(
                f"measure {measure.name} covers ages {lo}-{hi}, but the population's age groups "
                f"({', '.join(str(x) for x in data_bounds)}) don't start or end there"
            )
    standard = get_standard(query.standard or measure.standard)
    adj = adjustment_bounds(standard, data_bounds, lo, hi) if is_rate else (lo, hi + 1)
    groups: tuple[AgeGroup, ...] = ()
    if "age_group" in query.by:
        spec = query.age_groups or DEFAULT_AGE_GROUPS
        if policy.allowed_age_groups is not None and spec not in policy.allowed_age_groups:
            raise PolicyError(
                f"age groups {spec!r} are not allowed (allowed: {', '.join(policy.allowed_age_groups)})"
            )
        gb = sorted({b for b in bounds_of(parse_age_groups(spec)) if lo < b <= hi} | {lo, hi + 1})
        bad = [b for b in gb if b not in data_bounds]
        if bad:
            raise ValueError(
                f"age groups {spec!r} don't align with the population's age groups at {bad}"
            )
        groups = tuple(AgeGroup(a, b - 1) for a, b in zip(gb, gb[1:], strict=False))
    fine = tuple(
        sorted(set(adj) | {g.lo for g in groups} | ({groups[-1].hi + 1} if groups else set()))
    )
    nbins = len(fine) - 1

    # -- row cap, before any work -------------------------------------------------------
    n_areas = len(query.custom_areas) or len(query.units or geo.codes(query.level))
    sizes = {
        "race": len(RACE_CODES),
        "sex": len(SEX_CODES),
        "year": len(year_cells),
        "age_group": len(groups),
    }
    estimate = (n_areas + 1) * int(np.prod([sizes[s] + 1 for s in query.by]))
    if estimate > policy.max_rows:
        raise PolicyError(
            f"this query could return {estimate:,} rows; the policy allows {policy.max_rows:,}"
        )

    if policy.year_block:
        _check_years_loaded(query, source, measure.population if is_rate else measure.dataset)

    # -- custom areas: population floor and release history ------------------------------
    custom_w: list[np.ndarray] = []
    custom_pop: list[float] = []
    if query.custom_areas:
        custom_w, custom_pop = _check_custom_areas(store, query, geo, policy, source, measure)

    # -- aggregation in the engine --------------------------------------------------------
    strata_db = [s for s in query.by if s != "age_group"]
    events = source.table(measure.dataset)
    codes = source.key_codes(measure.dataset)
    age_bins = source.derived(
        ("age_bins", measure.dataset, source.versions.get(measure.dataset), fine),
        lambda: age_code_bins(codes, fine) if codes is not None else None,
    )
    key = (
        measure.dataset,
        source.versions.get(measure.dataset),
        repr(measure),
        query.years,
        tuple(strata_db),
        fine,
        policy.year_block,
        policy.year_origin,
    )
    ev = source.execute(
        source.expression(
            ("events", *key),
            lambda: event_aggregate(
                events,
                measure,
                query.years,
                strata_db,
                fine,
                coded=codes is not None,
                year_block=(policy.year_block, policy.year_origin),
                by_age_code=age_bins is not None,
            ),
        ),
        policy.time_limit_seconds,
    )
    pop = None
    if is_rate:
        people = source.table(measure.population)
        pkey = (
            "population",
            measure.population,
            source.versions.get(measure.population),
            query.years,
            tuple(strata_db),
            fine,
            policy.year_block,
            policy.year_origin,
        )
        pop = source.execute(
            source.expression(
                pkey,
                lambda: population_aggregate(
                    people,
                    query.years,
                    strata_db,
                    fine,
                    year_block=(policy.year_block, policy.year_origin),
                ),
            ),
            policy.time_limit_seconds,
            cache=True,  # denominators change rarely; the cache is keyed by their version
        )
    in_pop = None
    if pop is not None:
        # The strata values in the (kept) denominators, kept with them.
        in_pop = source.derived(
            ("strata", *pkey), lambda: {s: codes_present(pop[s], None) for s in strata_db}
        )
    values = _stratum_values(strata_db, year_cells, ev, in_pop, codes)
    keys = [("geo", geo.base_codes)] + [(s, values[s]) for s in strata_db]
    num = dense(ev, keys, nbins, "n", codes, age_bins)
    if pop is not None:
        # Denominators as an array, kept with the kept population aggregate.
        dkey = ("dense", *pkey, geo.version, tuple(tuple(v) for _, v in keys), nbins)
        den = source.derived(dkey, lambda: _read_only(dense(pop, keys, nbins, "n")))
    else:
        den = dense(ev, keys, nbins, "d", codes, age_bins)

    # -- areas, age-group strata, margins -------------------------------------------------
    if query.custom_areas:
        area_codes, area_names, w, area_total = _areas(query, geo, custom_w)
    else:  # a level's areas: the same for every query on this geography
        area_codes, area_names, w, area_total = source.derived(
            ("areas", geo.version, query.level), lambda: _areas(query, geo, custom_w)
        )
    num, den = (_project(w, a) for a in (num, den))
    axes = [Axis("area", area_codes, area_total)]
    for s in query.by:
        if s == "age_group":
            labels = [g.label for g in groups]
        elif s == "year":
            labels = [str(a) if a == b else f"{a}-{b}" for a, b in year_cells]
        else:
            labels = [str(v) for v in values[s]]
        # Under a year partition the total over years is a span the policy doesn't release.
        with_total = not (s == "year" and policy.year_block)
        axes.append(Axis(s, [*labels, TOTAL] if with_total else labels, with_total))
    weights = standard.weights_for(fine) if is_rate else np.ones(nbins)
    if groups:
        member = np.array(
            [[g.lo <= fine[b] <= g.hi for b in range(nbins)] for g in groups], dtype=float
        )
        pos = 1 + query.by.index("age_group")
        shape = [1] * (len(query.by) + 1) + [nbins]
        shape[pos] = len(groups)
        num = np.expand_dims(num, pos) * member.reshape(shape)
        den = np.expand_dims(den, pos) * member.reshape(shape)
        gw = np.vstack([member * weights, weights])  # per group, then the total
        wshape = [1] * (len(query.by) + 1) + [nbins]
        wshape[pos] = len(groups) + 1
        weights = gw.reshape(wshape)
    num, den = with_totals(num, axes), with_totals(den, axes)

    # -- statistics, suppression, ratios ---------------------------------------------------
    conf = query.conf_level
    if is_rate:
        stats = rate_stats(num, den, weights, measure.per, conf, query.ci_method, background=True)
    else:
        stats = proportion_stats(num, den, measure.per, conf)
    cube_shape = num.shape[:-1]
    primary, reasons = _primary(stats, policy, is_rate)
    hidden = primary
    if policy.complementary:
        hidden = complementary(
            stats.count.reshape(cube_shape),
            primary.reshape(cube_shape),
            [a.with_total for a in axes],
        ).ravel()
    reasons = np.where(hidden & ~primary, "complementary", reasons)
    ref_index = _reference_index(query, axes, cube_shape, geo)
    ratio = ratios(stats, ref_index, conf)
    ref_hidden = np.where(ref_index >= 0, hidden[np.clip(ref_index, 0, None)], False)

    table = build_table(
        axes,
        cube_shape,
        stats,
        ratio,
        hidden,
        reasons,
        ref_hidden,
        policy,
        is_rate,
        level="custom" if query.custom_areas else query.level,
        names=area_names,
    )
    keep = _row_filter(query, axes, cube_shape)
    if not keep.all():
        table = table.filter(keep)
    if query.custom_areas and policy.record_releases:
        registry = ReleaseRegistry(store)
        for area, wa, pa_ in zip(query.custom_areas, custom_w, custom_pop, strict=True):
            weights_by_code = {
                c: float(v) for c, v in zip(geo.base_codes, wa, strict=True) if v > 0
            }
            registry.record(area.name, area.units, weights_by_code, pa_)
    meta = {
        "query": query.to_dict(),
        "measure": measure.to_dict(),
        "policy": policy.to_dict(),
        "standard": standard.to_dict() if is_rate else None,
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
        "suppressed_cells": int(hidden.sum()),
    }
    return Result(table, meta)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _project(w: sparse.csr_matrix, a: np.ndarray) -> np.ndarray:
    """Areas from base units: the (sparse) crosswalk matrix times the base-unit array."""
    return np.asarray(w @ a.reshape(a.shape[0], -1)).reshape((w.shape[0], *a.shape[1:]))


def _check_levels(query: Query, geo: Geography, policy: SuppressionPolicy) -> None:
    allowed = policy.allowed_levels or geo.levels
    levels = {u.partition(":")[0] for a in query.custom_areas for u in a.units} or {query.level}
    for level in levels:
        if level not in geo.levels:
            raise ValueError(f"unknown geography level {level!r} (levels: {', '.join(geo.levels)})")
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
) -> tuple[list[np.ndarray], list[float]]:
    """Population floor and release history for each custom area; returns their weights."""
    names = [a.name for a in query.custom_areas]
    if len(set(names)) != len(names):
        raise ValueError("custom areas need distinct names")
    table = source.execute(
        base_population(source.table(measure.population), query.years), policy.time_limit_seconds
    )
    if table.num_rows == 0:  # years without population: fall back to all years loaded
        years = tuple(range(1900, 2101))
        table = source.execute(
            base_population(source.table(measure.population), years), policy.time_limit_seconds
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


def _year_cells(query: Query, policy: SuppressionPolicy) -> list[tuple[int, int]]:
    """The (first, last) years of each cell of the year stratum: single years, or the
    policy's blocks, which it then requires of every query (several only broken down by year)."""
    if not policy.year_block:
        return [(y, y) for y in sorted(set(query.years))]
    blocks = policy.year_blocks(query.years)
    if len(blocks) > 1 and "year" not in query.by:
        size = policy.year_block
        what = "one year" if size == 1 else f"one {size}-year block"
        raise PolicyError(
            f"the policy releases {what} at a time (pooled spans are not released, so that no "
            "year can be worked out by subtraction); to see several, break the table down by year"
        )
    return blocks


def _stratum_values(
    strata: list[str],
    year_cells: list[tuple[int, int]],
    ev: Any,
    in_pop: Mapping[str, set[str]] | None,
    codes: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, list]:
    """Values of each stratum that occur in the events or the population (`in_pop`), in
    code order."""
    out: dict[str, list] = {}
    for s in strata:
        if s == "year":
            out[s] = [first for first, _ in year_cells]
            continue
        seen = codes_present(ev[s], (codes or {}).get(s))
        if in_pop is not None:
            seen |= in_pop[s]
        order = list(RACE_CODES) if s == "race" else list(SEX_CODES)
        out[s] = [v for v in order if v in seen]
    return out


def _areas(
    query: Query, geo: Geography, custom_w: list[np.ndarray]
) -> tuple[list[str], dict[str, str], sparse.csr_matrix, bool]:
    """Area codes, names and (sparse) weight matrix, with the county row last when it adds one."""
    top = geo.levels[-1]
    top_codes = geo.codes(top)
    county_code = top_codes[0] if len(top_codes) == 1 else TOTAL
    county_name = geo.name(top, county_code) if len(top_codes) == 1 else "All areas"
    ones = np.ones((1, len(geo.base_codes)))
    if query.custom_areas:
        codes = [a.name for a in query.custom_areas] + [county_code]
        names = {a.name: a.name for a in query.custom_areas} | {county_code: county_name}
        return codes, names, sparse.csr_matrix(np.vstack([*custom_w, ones])), False
    codes, _ = geo.matrix(query.level)
    m = geo.sparse_matrix(query.level)
    names = geo.names(query.level)
    if len(codes) == 1:
        return codes, names, m, False
    w = sparse.vstack([m, sparse.csr_matrix(ones)], format="csr")
    return [*codes, county_code], names | {county_code: county_name}, w, True


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
