"""The perturbation method: flexible tables from counts that carry their records' noise.

Under the policy's "perturbation" method every count a query shows is perturbed by the cell
key method (`ptable`): the noise is fixed by the records the count is made of, so the same
cell asked in any table, area or order gets the same number, and subtracting one released
count from another gives a difference of noises, not a hidden count. That is why custom
areas, levels that don't nest and any combination of strata can be released here, where the
protected cube (`release`) must refuse them.

A custom area is the one place where the same records could be counted in many different
cells: "A plus the target unit" minus "A", for many areas A, would give many independent
noises around the target's count, and their mean would find it. So a custom area is not
perturbed as a cell of its own: it is cut into the largest published units that tile it
(`Geography.tiles`, over the chain of levels that nest, `tile_levels`), and its counts add up
their perturbed counts. Every custom area is then
a sum of cells the published tables already show (or, for a base unit left over, of a
perturbed base unit), and no number of them tells an attacker more than those cells.

What stays fixed is what averaging could defeat: the policy's age groups and year blocks
(so that no single age or year is a difference of two groupings). A perturbed count below
`min_count` is not shown; rates over fewer than `min_population` residents are withheld.
Rates and intervals are computed from the perturbed counts, and totals are not forced to
add up: each total is perturbed as a cell of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .codes import RECORD_KEY
from .compute import compute
from .engine import Source
from .geography import Geography
from .measures import Measure
from .policy import PolicyError, SuppressionPolicy
from .ptable import PTable
from .release import Answer
from .store import Store


def levels(geo: Geography, policy: SuppressionPolicy) -> list[str]:
    """The levels perturbation releases: every allowed level made of whole base units (a
    level that splits them by population share has estimates, not counts of records)."""
    allowed = [lv for lv in geo.levels if lv in (policy.allowed_levels or geo.levels)]
    return [lv for lv in allowed if _whole(geo.matrix(lv)[1])]


def tile_levels(geo: Geography, policy: SuppressionPolicy) -> list[str]:
    """The levels custom areas are tiled with: from the base level up, each released level
    whose units are unions of the units of the one below it (a chain, such as tract,
    neighborhood, county). Levels off the chain (council districts that cut across
    neighborhoods) would give the same cells a second, differently tiled sum."""
    chain = [geo.base_level]
    released = levels(geo, policy)
    for level in sorted(released, key=lambda lv: (-len(geo.codes(lv)), lv)):
        if level == chain[-1] or level == geo.base_level:
            continue
        below, mine = geo.matrix(chain[-1])[1], geo.matrix(level)[1]
        overlap = below @ mine.T  # base units each unit below shares with each of mine
        size = below.sum(axis=1, keepdims=True)
        if np.all((overlap == 0) | (overlap == size)):
            chain.append(level)
    return chain


def _whole(weights: np.ndarray) -> bool:
    """Made of whole base units: its counts are counts of records."""
    return bool(np.isin(weights, (0.0, 1.0)).all())


def table_of(policy: SuppressionPolicy) -> PTable:
    """The policy's perturbation table (generated once per setting)."""
    return PTable.generate(
        policy.perturbation_max_noise, policy.perturbation_variance, policy.perturbation_small
    )


def answer(
    store: Store,
    query: Any,
    policy: SuppressionPolicy,
    source: Source,
    measure: Measure,
    geo: Geography,
    custom_w: Sequence[np.ndarray] = (),
) -> Answer:
    """The query's cells from perturbed counts; `custom_w` are its custom areas' weights."""
    _check(store, query, policy, geo, measure, custom_w)
    table = table_of(policy)
    chain = tile_levels(geo, policy)
    c = compute(
        store,
        query,
        policy,
        source,
        measure,
        geo,
        scheme=policy.age_groups,
        custom_w=custom_w,
        ptable=table,
        tiles=chain,
    )
    k = policy.min_count
    n, d = c.stats.count, c.stats.denominator

    def small(x: np.ndarray) -> np.ndarray:
        return np.asarray((x < k) & ((x > 0) | policy.suppress_zero))

    reasons = np.full(n.shape, "", dtype=object)
    if c.is_rate:
        hidden = small(n)
        few = (d > 0) & (d < policy.min_population) & ~hidden
        reasons = np.where(few, f"population below {policy.min_population}", reasons)
        rates_hidden = hidden | few
    else:
        rest = d - n
        hidden = small(n) | small(d) | ((rest > 0) & (rest < k))
        rates_hidden = hidden
    reasons = np.where(hidden, f"perturbed count below {k}", reasons)
    settings: dict[str, Any] = {
        "max_noise": table.max_noise,
        "variance": policy.perturbation_variance,
        "small": policy.perturbation_small,
    }
    note = (
        f"counts are perturbed (the cell key method): each count carries a small noise, "
        f"at most {table.max_noise} either way, fixed by the records it counts, so it is "
        "the same in every table; totals are perturbed on their own and need not add up; "
        "rates and intervals are computed from the perturbed counts"
    )
    if query.custom_areas:
        settings["custom_area_tiles"] = {
            a.name: len(geo.tiles(chain, w))
            for a, w in zip(query.custom_areas, custom_w, strict=True)
        }
        note += (
            "; a custom area adds up the perturbed counts of the published units it is made "
            "of, so that no number of custom areas tells more than those units' counts: its "
            "noise is at most the units' noises together"
        )
    meta = {
        "method": "perturbation",
        "age_groups": policy.age_groups,
        "perturbation": settings,
        "note": note,
    }
    return Answer(c, hidden, rates_hidden.copy(), reasons, meta, rates_hidden)


def _check(
    store: Store,
    query: Any,
    policy: SuppressionPolicy,
    geo: Geography,
    measure: Measure,
    custom_w: Sequence[np.ndarray],
) -> None:
    if RECORD_KEY not in store.dataset(measure.dataset).columns:
        raise PolicyError(
            f"the dataset {measure.dataset} was loaded before records had keys, so its counts "
            "can't be perturbed: load its file again"
        )
    if query.custom_areas:
        for area, w in zip(query.custom_areas, custom_w, strict=True):
            if not _whole(w):
                raise PolicyError(
                    f"custom area {area.name!r} splits base units by population share, so its "
                    "counts are estimates, not counts of records, and can't be perturbed: build "
                    "it from units that contain whole base units"
                )
    elif query.level not in levels(geo, policy):
        raise PolicyError(
            f"the {query.level} level splits base units by population share, so its counts "
            "are estimates, not counts of records, and can't be perturbed: choose another level"
        )
    if "age_group" in query.by and query.age_groups not in (None, "", policy.age_groups):
        raise PolicyError(
            f"the policy releases the age groups {policy.age_groups} only, so that no age can "
            "be worked out by subtracting one grouping from another"
        )
