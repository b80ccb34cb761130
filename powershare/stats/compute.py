"""From a query to the statistics of every cell: aggregation, areas, age groups, margins.

`compute` is shared by every method: the internal path (`query.run_query` with the
"internal" policy) suppresses the cells it computes; the release path (`release`) looks each
cell up in the protected cube instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from . import agegroups
from .age_notes import age_notes
from .codes import (
    RACE_CODES,
    SEX_CODES,
    TOTAL,
    AgeGroup,
    bounds_of,
    parse_age_groups,
    straddling,
)
from .cube import Axis, Stats, codes_present, dense, proportion_stats, rate_stats, with_totals
from .engine import Source, age_code_bins, event_aggregate, population_aggregate
from .geography import Geography
from .measures import Measure
from .policy import PolicyError, SuppressionPolicy
from .ptable import PTable
from .standards import StandardPopulation, adjustment_bounds, get_standard
from .store import Store

DEFAULT_AGE_GROUPS = "0-17,18-44,45-64,65+"

#: (codes, names, crosswalk matrix, whether the last row is the total of the others)
Areas = tuple[list[str], dict[str, str], sparse.csr_matrix, bool]


@dataclass
class Computed:
    """Every cell of a query's cube (C order over `axes`) and how it was made."""

    axes: list[Axis]
    shape: tuple[int, ...]
    stats: Stats
    names: dict[str, str]
    year_cells: list[tuple[int, int]]
    fine: tuple[int, ...]
    standard: StandardPopulation
    is_rate: bool
    #: Why a cell has no rate although it isn't hidden ("" for none; see `population_notes`),
    #: and why an adjusted rate is missing.
    notes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    adjusted_notes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    #: Each cell's age bins (counts, population, standard weights; bins last), as its
    #: statistics were computed from them (perturbed under perturbation): for indirect
    #: standardization and covariances. None for proportions.
    bins: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    #: The reason code of each adjusted note (AGE_*, "" for none).
    adjusted_codes: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))


def compute(
    store: Store,
    query: Any,
    policy: SuppressionPolicy,
    source: Source,
    measure: Measure,
    geo: Geography,
    *,
    scheme: str | None = None,
    areas: Areas | None = None,
    custom_w: Sequence[np.ndarray] = (),
    ptable: PTable | None = None,
    tiles: Sequence[str] = (),
) -> Computed:
    """Aggregate and compute every cell; `scheme` fixes the age groups (and the adjustment's
    groups) to the policy's, `areas` replaces the query's areas. With `ptable`, every count
    (each cell's, and each age bin's that an adjusted rate is made of) is perturbed by its
    records' keys before any statistic is computed from it; a custom area's counts are then
    the sums of the perturbed counts of its tiles, the units of the levels `tiles` it is made
    of (`Geography.tiles`), so that a custom area tells nothing those units' cells don't."""
    custom_w = list(custom_w)
    year_cells = year_cells_of(query, policy)
    is_rate = measure.kind == "rate"

    # -- age bins: the standard's groups the data allow, plus any age-group strata -------
    standard = get_standard(query.standard or measure.standard)
    groups, fine = _age_bins(store, query, measure, source, standard, scheme)
    nbins = len(fine) - 1

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
        ptable is not None,
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
                record_keys=ptable is not None,
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
    # Sums of record keys of the numerator's and the denominator's cells (perturbation).
    key_sums = (
        [dense(ev, keys, nbins, k, codes, age_bins) for k in ("kn", "kd")[: 1 if is_rate else 2]]
        if ptable is not None
        else []
    )

    # -- areas, age-group strata, margins -------------------------------------------------
    combine = None  # custom areas from their tiles' perturbed cells (areas x tiles)
    if query.custom_areas:
        area_codes, area_names, w, area_total = _areas(query, geo, custom_w)
        if ptable is not None:
            w, combine = _tiled(geo, tiles, w)
    elif areas is not None:
        area_codes, area_names, w, area_total = areas
    else:  # a level's areas: the same for every query on this geography
        area_codes, area_names, w, area_total = source.derived(
            ("areas", geo.version, query.level), lambda: _areas(query, geo, custom_w)
        )
    num, den, *key_sums = (_project(w, a) for a in (num, den, *key_sums))
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
        num, den, *key_sums = (
            np.expand_dims(a, pos) * member.reshape(shape) for a in (num, den, *key_sums)
        )
        gw = np.vstack([member * weights, weights])  # per group, then the total
        wshape = [1] * (len(query.by) + 1) + [nbins]
        wshape[pos] = len(groups) + 1
        weights = gw.reshape(wshape)
    num, den, *key_sums = (with_totals(a, axes) for a in (num, den, *key_sums))

    # -- statistics -----------------------------------------------------------------------
    conf = query.conf_level
    stats: Stats
    bins = None
    empty = policy.empty_age_groups
    if ptable is not None:
        stats, bins = _perturbed_stats(
            ptable, num, den, key_sums, weights, measure, query, is_rate, combine, empty
        )
    elif is_rate:
        stats = rate_stats(
            num,
            den,
            weights,
            measure.per,
            conf,
            query.ci_method,
            background=True,
            empty=empty,
            crude_ci=getattr(query, "crude_ci", "exact"),
        )
        bins = (num, den, weights)
    else:
        stats = proportion_stats(num, den, measure.per, conf)
    cells = (len(area_codes), *num.shape[1:-1])  # areas, not tiles
    notes = adjusted_notes = adjusted_codes = np.full(int(np.prod(cells)), "", dtype=object)
    if is_rate:
        people = den if combine is None else _project(combine, den)
        counts = bins[0] if bins is not None else num
        counts = counts if combine is None or bins is not None else _project(combine, num)
        notes, adjusted_notes, adjusted_codes = age_notes(stats, people, weights, fine, counts)
    return Computed(
        axes,
        cells,
        stats,
        area_names,
        year_cells,
        fine,
        standard,
        is_rate,
        notes=notes,
        adjusted_notes=adjusted_notes,
        bins=bins,
        adjusted_codes=adjusted_codes,
    )


def _age_bins(
    store: Store,
    query: Any,
    measure: Measure,
    source: Source,
    standard: StandardPopulation,
    scheme: str | None,
) -> tuple[tuple[AgeGroup, ...], tuple[int, ...]]:
    """The age-group strata and the age bins (their bounds) a query is computed on.

    Adjustment uses the standard's groups that the population's and the events' groups
    both follow (the coarser of them); every bin boundary must fall where the population's
    groups and, for counts by age group, the events' groups start, or the query is refused
    with the group it would cut through.
    """
    is_rate = measure.kind == "rate"
    lo, hi = measure.age_min, measure.age_max
    ends = (lo, hi + 1)
    events = agegroups.event_groups(source, measure.dataset)
    population: tuple[AgeGroup, ...] = ()
    if is_rate:
        pop_info = store.dataset(measure.population, "population")
        population = parse_age_groups(pop_info.columns["age_groups"])
        agegroups.covers(population, lo, hi, f"measure {measure.name}")
    data_bounds = bounds_of(population) if is_rate else tuple(range(0, 122))

    def follow(bounds: Sequence[int], what: str) -> None:
        agegroups.follow(bounds, population, what, "the population's")
        agegroups.follow(bounds, events, what, f"the dataset {measure.dataset}'s")

    follow(ends, f"measure {measure.name}'s ages {lo}-{hi}")
    adj = adjustment_bounds(standard, data_bounds, lo, hi) if is_rate else ends
    adj = tuple(b for b in adj if straddling(events, b) is None)  # the coarser groups
    if scheme is not None:  # a release: the policy's groups, for adjustment too
        adj = tuple(
            sorted({b for b in bounds_of(parse_age_groups(scheme)) if lo < b <= hi} | set(ends))
        )
        follow(adj, f"the policy's age groups {scheme!r}")
    groups: tuple[AgeGroup, ...] = ()
    if "age_group" in query.by:
        spec = scheme or query.age_groups or DEFAULT_AGE_GROUPS
        gb = sorted({b for b in bounds_of(parse_age_groups(spec)) if lo < b <= hi} | set(ends))
        follow(gb, f"age groups {spec!r}")
        groups = tuple(AgeGroup(a, b - 1) for a, b in zip(gb, gb[1:], strict=False))
    fine = tuple(
        sorted(set(adj) | {g.lo for g in groups} | ({groups[-1].hi + 1} if groups else set()))
    )
    return groups, fine


def _perturbed_stats(
    ptable: PTable,
    num: np.ndarray,
    den: np.ndarray,
    key_sums: list[np.ndarray],
    weights: np.ndarray,
    measure: Measure,
    query: Any,
    is_rate: bool,
    combine: sparse.csr_matrix | None = None,
    empty: str = "refuse",
) -> tuple[Stats, tuple[np.ndarray, np.ndarray, np.ndarray] | None]:
    """Statistics from perturbed counts: each cell's count is perturbed as a cell of its own
    (not the sum of its bins' noisy counts), each age bin as the cell it is for adjustment.
    With `combine` (areas x tiles) the cells are the tiles', and each area adds up its tiles'
    perturbed counts. Returns the statistics and, for rates, the perturbed age bins."""
    conf = query.conf_level

    def areas(*arrays: np.ndarray) -> list[np.ndarray]:
        return [a if combine is None else _project(combine, a) for a in arrays]

    if is_rate:
        bins = ptable.perturb(num, key_sums[0]).astype(float)
        total = ptable.perturb(num.sum(axis=-1), key_sums[0].sum(axis=-1)).astype(float)
        bins, den, total = areas(bins, den, total)
        stats = rate_stats(
            bins,
            den,
            weights,
            measure.per,
            conf,
            query.ci_method,
            background=True,
            totals=total,
            empty=empty,
            crude_ci=getattr(query, "crude_ci", "exact"),
        )
        return stats, (bins, den, weights)
    d_bins = ptable.perturb(den, key_sums[1])
    x_bins = np.minimum(ptable.perturb(num, key_sums[0]), d_bins)
    d = ptable.perturb(den.sum(axis=-1), key_sums[1].sum(axis=-1))
    x = np.minimum(ptable.perturb(num.sum(axis=-1), key_sums[0].sum(axis=-1)), d)
    x_bins, d_bins, x, d = areas(x_bins, d_bins, x, d)
    stats = proportion_stats(
        x_bins.astype(float), d_bins.astype(float), measure.per, conf, totals=(x, d)
    )
    return stats, None


def _tiled(
    geo: Geography, levels: Sequence[str], w: sparse.csr_matrix
) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """The tiles of every area of `w` (tiles x base units, each tile once) and which tiles
    make up each area (areas x tiles)."""
    index: dict[tuple[int, ...], int] = {}
    tiles: list[np.ndarray] = []
    member: list[list[int]] = []
    for row in w.toarray():
        mine = []
        for tile in geo.tiles(levels, row):
            key = tuple(np.flatnonzero(tile).tolist())
            if key not in index:
                index[key] = len(tiles)
                tiles.append(tile)
            mine.append(index[key])
        member.append(mine)
    combine = np.zeros((len(member), len(tiles)))
    for i, mine in enumerate(member):
        combine[i, mine] = 1.0
    return sparse.csr_matrix(np.array(tiles)), sparse.csr_matrix(combine)


def _read_only(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


def _project(w: sparse.csr_matrix, a: np.ndarray) -> np.ndarray:
    """Areas from base units: the (sparse) crosswalk matrix times the base-unit array."""
    return np.asarray(w @ a.reshape(a.shape[0], -1)).reshape((w.shape[0], *a.shape[1:]))


def year_cells_of(query: Any, policy: SuppressionPolicy) -> list[tuple[int, int]]:
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
    query: Any, geo: Geography, custom_w: list[np.ndarray]
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
