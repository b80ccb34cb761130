"""The release model: every released number is a cell of one protected cube.

For a measure and one of the policy's year blocks, the cube is every released geography
level that nests (tract -> neighborhood -> district -> county) x race/ethnicity x sex x the
policy's age groups, each with its total; a proportion adds the outcome (events with and
without it). Its sensitive cells (counts of 1 to min_count - 1, populations under
min_population, and their complements for proportions) are protected together with
`protect.protect`, once per data version, and the pattern is kept on disk beside the data.

A query then selects cells of that cube: it never computes a pattern of its own, so asking
the same numbers in another table, another level or another combination of strata gives
the same hidden cells, and nothing one table hides is shown by another. What lies outside
the cube (custom areas, other age groups, levels that don't nest, pooled blocks) is refused.
Adjusted rates are adjusted over the policy's age groups and shown only where every group
they are made of is shown; a ratio is shown only where its reference is.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .codes import TOTAL
from .compute import Computed, compute
from .engine import Source
from .geography import Geography, load_current
from .measures import Measure
from .policy import PolicyError, SuppressionPolicy
from .protect import Hierarchy, Structure, protect
from .store import Store, atomic_write_bytes

RELEASES = "releases"
STRATA_ORDER = ("race", "sex", "age_group")

_lock = threading.Lock()
_patterns: dict[str, Pattern] = {}


@dataclass
class Pattern:
    """The protected cube of one measure and year block: which cells are hidden."""

    key: str
    axes: tuple[Hierarchy, ...]
    hidden: np.ndarray  # cube shape (area, race, sex, age): True where hidden
    primary: int
    secondary: int
    seconds: float

    def index(self, axis: int) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.axes[axis].codes)}

    def adjusted_hidden(self) -> np.ndarray:
        """Hidden adjusted rates: at the age total, hidden if any age group is."""
        out = self.hidden.copy()
        names = [a.name for a in self.axes]
        if "age_group" in names:
            age = names.index("age_group")
            total: list[Any] = [slice(None)] * out.ndim
            total[age] = -1
            groups: list[Any] = [slice(None)] * out.ndim
            groups[age] = slice(0, -1)
            out[tuple(total)] |= self.hidden[tuple(groups)].any(axis=age)
        else:  # adjusted over groups the release doesn't show: never shown
            out[...] = True
        return out


@dataclass(frozen=True)
class CubeQuery:
    """What `compute` needs to build a cube (the fields of `query.Query` it reads)."""

    measure: str
    years: tuple[int, ...]
    level: str
    by: tuple[str, ...]
    age_groups: str | None
    standard: Any = None
    ci_method: str = "gamma"
    conf_level: float = 0.95
    units: tuple[str, ...] | None = None
    custom_areas: tuple = ()
    reference: str | None = None
    totals: bool = True


@dataclass
class Answer:
    computed: Computed
    hidden: np.ndarray
    adjusted_hidden: np.ndarray
    reasons: np.ndarray
    meta: dict[str, Any]
    rates_hidden: np.ndarray


def levels(geo: Geography, policy: SuppressionPolicy) -> list[str]:
    """The released levels, finest first, each nesting whole in the next (a chain)."""
    allowed = [
        lv for lv in geo.levels if policy.allowed_levels is None or lv in policy.allowed_levels
    ]
    chain: list[str] = []
    for level in reversed(allowed):  # from the coarsest down
        _, m = geo.matrix(level)
        if not _whole(m):
            continue
        if chain and not _nests(m, geo.matrix(chain[0])[1]):
            continue
        chain.insert(0, level)
    return chain


def _whole(m: np.ndarray) -> bool:
    """Every base unit lies wholly in exactly one unit of the level."""
    return bool(np.isin(m, (0.0, 1.0)).all() and (m.sum(axis=0) == 1).all())


def _nests(fine: np.ndarray, coarse: np.ndarray) -> bool:
    """Every unit of `fine` lies wholly in one unit of `coarse`."""
    overlap = coarse @ fine.T  # coarse x fine: base units in common
    size = fine.sum(axis=1)
    return bool(((overlap == size[None, :]).sum(axis=0) == 1).all())


def _area_axis(
    geo: Geography, chain: list[str]
) -> tuple[Hierarchy, sparse.csr_matrix, dict[str, str]]:
    """The area hierarchy ("level:code", finest level first, the root last), its crosswalk
    rows and names."""
    codes: list[str] = []
    parent: list[int] = []
    rows: list[np.ndarray] = []
    names: dict[str, str] = {}
    for level in chain:
        level_codes, m = geo.matrix(level)
        for code, row in zip(level_codes, m, strict=True):
            codes.append(f"{level}:{code}")
            rows.append(row)
            names[f"{level}:{code}"] = geo.name(level, code)
    index = {c: k for k, c in enumerate(codes)}
    single_top = len(geo.matrix(chain[-1])[0]) == 1 if chain else False
    if not single_top:
        codes.append(TOTAL)
        rows.append(np.ones(len(geo.base_codes)))
        names[TOTAL] = "All areas"
    root = len(codes) - 1
    for i, level in enumerate(chain):
        level_codes, m = geo.matrix(level)
        if i + 1 < len(chain):
            up_codes, up = geo.matrix(chain[i + 1])
            owner = (up @ m.T).argmax(axis=0)
            parent += [index[f"{chain[i + 1]}:{up_codes[k]}"] for k in owner]
        else:
            parent += [-1] if single_top else [root] * len(level_codes)
    if not single_top:
        parent.append(-1)
    axis = Hierarchy("area", tuple(codes), tuple(parent))
    return axis, sparse.csr_matrix(np.vstack(rows)), names


def strata_of(policy: SuppressionPolicy) -> tuple[str, ...]:
    """The cube's strata, in the engine's order."""
    return tuple(s for s in STRATA_ORDER if s in policy.release_strata)


def pattern_key(
    store: Store,
    measure: Measure,
    block: tuple[int, int],
    policy: SuppressionPolicy,
    geo: Geography,
) -> str:
    versions = {"events": store.dataset(measure.dataset).version, "geography": geo.version}
    if measure.kind == "rate":
        versions["population"] = store.dataset(measure.population).version
    spec = {
        "measure": measure.to_dict(),
        "block": list(block),
        "versions": versions,
        "policy": {
            k: policy.to_dict()[k]
            for k in (
                "method",
                "min_count",
                "suppress_zero",
                "min_population",
                "age_groups",
                "allowed_levels",
                "release_strata",
                "protection",
            )
        },
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()[:24]


def pattern(
    store: Store,
    measure: Measure,
    block: tuple[int, int],
    policy: SuppressionPolicy,
    source: Source,
    geo: Geography,
) -> Pattern:
    """The protected cube of `measure` in `block`: from memory, disk, or computed now."""
    key = pattern_key(store, measure, block, policy, geo)
    with _lock:
        found = _patterns.get(key)
        if found is None:
            found = _read(store, key) or _build(store, measure, block, policy, source, geo, key)
            _patterns[key] = found
        return found


@dataclass(frozen=True)
class Cube:
    """What is protected: the cube's structure, its cells' values, and the sensitive ones."""

    axes: tuple[Hierarchy, ...]
    structure: Structure
    values: np.ndarray
    primary: np.ndarray
    is_rate: bool


def cube(
    store: Store,
    measure: Measure,
    block: tuple[int, int],
    policy: SuppressionPolicy,
    source: Source,
    geo: Geography,
) -> Cube:
    """The cube of `measure` in `block` that the policy releases, before protection."""
    chain = levels(geo, policy)
    area, rows, names = _area_axis(geo, chain)
    cube_query = CubeQuery(
        measure.name,
        years=tuple(range(block[0], block[1] + 1)),
        level=chain[0],
        by=strata_of(policy),
        age_groups=policy.age_groups,
    )
    c = compute(
        store,
        cube_query,
        policy,
        source,
        measure,
        geo,
        scheme=policy.age_groups,
        areas=(list(area.codes), names, rows, False),
    )
    axes = (area, *(Hierarchy.flat(a.name, a.values[:-1], TOTAL) for a in c.axes[1:]))
    n, d = c.stats.count, c.stats.denominator
    k = policy.min_count
    small = lambda x: (x < k) & ((x > 0) | policy.suppress_zero)  # noqa: E731
    if c.is_rate:
        # Small counts are protected. A rate over few residents is only withheld (see
        # `answer`): its count, when not small, may be shown and worked out.
        return Cube(axes, Structure(axes), n.ravel(), small(n).ravel(), True)
    # Proportions: events with the outcome, without it, and all of them.
    values = np.stack([n, d - n, d], axis=-1).ravel()
    structure = Structure((*axes, Hierarchy.flat("outcome", ("yes", "no"), TOTAL)))
    return Cube(axes, structure, values, small(values), False)


def _build(
    store: Store,
    measure: Measure,
    block: tuple[int, int],
    policy: SuppressionPolicy,
    source: Source,
    geo: Geography,
    key: str,
) -> Pattern:
    c = cube(store, measure, block, policy, source, geo)
    width = policy.min_count - 1
    result = protect(c.structure, c.values, c.primary, width=width, method=policy.protection)
    hidden: np.ndarray = result.hidden.reshape(c.structure.shape)
    if not c.is_rate:
        hidden = np.asarray(hidden.any(axis=-1))
    found = Pattern(key, c.axes, hidden, int(c.primary.sum()), result.secondary, result.seconds)
    _write(store, found)
    return found


def _path(store: Store, key: str) -> Path:
    return store.root / RELEASES / f"{key}.npz"


def _write(store: Store, p: Pattern) -> None:
    sink = io.BytesIO()
    axes = [{"name": a.name, "codes": list(a.codes), "parent": list(a.parent)} for a in p.axes]
    about = {"primary": p.primary, "secondary": p.secondary, "seconds": p.seconds, "axes": axes}
    np.savez_compressed(sink, hidden=p.hidden, about=np.array(json.dumps(about)))
    atomic_write_bytes(_path(store, p.key), sink.getvalue())


def _read(store: Store, key: str) -> Pattern | None:
    path = _path(store, key)
    if not path.exists():
        return None
    with np.load(path) as f:
        hidden = f["hidden"]
        about = json.loads(str(f["about"]))
    axes = tuple(Hierarchy(a["name"], tuple(a["codes"]), tuple(a["parent"])) for a in about["axes"])
    return Pattern(key, axes, hidden, about["primary"], about["secondary"], about["seconds"])


def answer(
    store: Store,
    query: Any,
    policy: SuppressionPolicy,
    source: Source,
    measure: Measure,
    geo: Geography,
) -> Answer:
    """The query's cells, hidden as the protected cubes of its blocks hide them."""
    _check(query, policy, geo)
    c = compute(store, query, policy, source, measure, geo, scheme=policy.age_groups)
    per_block = []
    for block in c.year_cells:
        p = pattern(store, measure, block, policy, source, geo)
        per_block.append(
            (_select(p.hidden, p, query, c), _select(p.adjusted_hidden(), p, query, c))
        )
    if "year" in query.by:
        pos = 1 + query.by.index("year")
        hidden = np.stack([h for h, _ in per_block], axis=pos)
        adjusted = np.stack([a for _, a in per_block], axis=pos)
    else:
        hidden, adjusted = per_block[0]
    hidden, adjusted = hidden.ravel(), adjusted.ravel()
    reasons = np.where(hidden, f"protected below {policy.min_count}", "")
    rates_hidden = hidden.copy()
    if c.is_rate:
        d = c.stats.denominator
        few = (d > 0) & (d < policy.min_population) & ~hidden
        reasons = np.where(few, f"population below {policy.min_population}", reasons)
        rates_hidden |= few
        adjusted |= few
    meta = {
        "method": policy.method,
        "levels": levels(geo, policy),
        "age_groups": policy.age_groups,
        "note": "cells hidden by one protection of the whole cube (every level, stratum and "
        "margin of the block at once); adjusted rates are adjusted over the policy's age groups",
    }
    return Answer(c, hidden, adjusted | hidden, reasons.astype(object), meta, rates_hidden)


def _check(query: Any, policy: SuppressionPolicy, geo: Geography) -> None:
    if query.custom_areas:
        raise PolicyError(
            "the policy releases fixed tables only (complementary suppression): custom areas "
            "can't be protected that way, so they are not released. Choose a geography level."
        )
    chain = levels(geo, policy)
    if query.level not in chain:
        raise PolicyError(
            f"the {query.level} level isn't released (released: {', '.join(chain)}): a "
            "protected release holds only the department's levels whose areas nest in one "
            "another"
        )
    outside = [s for s in query.by if s != "year" and s not in policy.release_strata]
    if outside:
        raise PolicyError(
            f"the policy releases tables by {', '.join(strata_of(policy)) or 'area'} only "
            f"(not by {', '.join(outside)}): each stratum added to the release hides more cells"
        )
    if "age_group" in query.by and query.age_groups not in (None, "", policy.age_groups):
        raise PolicyError(
            f"the policy releases the age groups {policy.age_groups} only, so that no age can "
            "be worked out by subtracting one grouping from another"
        )


def _select(cube: np.ndarray, p: Pattern, query: Any, c: Computed) -> np.ndarray:
    """The cube's cells for the query's axes (area, then its strata but year, in its order)."""
    areas = p.index(0)
    top = len(p.axes[0].codes) - 1
    area_codes = c.axes[0].values
    with_county = c.axes[0].with_total  # the level's areas, then the county's row
    area_map = [
        top
        if (i == len(area_codes) - 1 and with_county)
        else areas.get(f"{query.level}:{code}", -1)
        for i, code in enumerate(area_codes)
    ]
    picks: list[list[int]] = [area_map]
    cube_strata = [a.name for a in p.axes[1:]]
    for axis_no, name in enumerate(cube_strata, start=1):
        index = p.index(axis_no)
        if name in query.by:
            values = next(a for a in c.axes if a.name == name).values
            picks.append([index.get(v, -1) for v in values])
        else:
            picks.append([index[TOTAL]])
    out = _take(cube, picks)
    # Squeeze the strata the query doesn't break down by, then put the rest in its order.
    present = [name for name in cube_strata if name in query.by]
    out = out.reshape([len(picks[0]), *[len(picks[1 + cube_strata.index(n)]) for n in present]])
    order = [s for s in query.by if s != "year"]
    return np.transpose(out, [0, *[1 + present.index(s) for s in order]])


def _take(cube: np.ndarray, picks: list[list[int]]) -> np.ndarray:
    """cube[ix_(*picks)], with -1 (a value the cube doesn't hold) hidden."""
    safe = [np.array([i if i >= 0 else 0 for i in pick]) for pick in picks]
    out = cube[np.ix_(*safe)]
    for axis, pick in enumerate(picks):
        missing = np.array([i < 0 for i in pick])
        if missing.any():
            sl: list[Any] = [slice(None)] * len(picks)
            sl[axis] = missing
            out[tuple(sl)] = True
    return out


def prepare(
    store: Store,
    measures: Sequence[Measure],
    policy: SuppressionPolicy,
    source: Source,
    blocks: Sequence[tuple[int, int]],
) -> list[tuple[str, tuple[int, int], Pattern]]:
    """Protect every measure's cube in each block now (after a load or a policy change), so
    that the first query of a page doesn't wait for it."""
    geo = load_current(store)
    return [
        (m.name, b, pattern(store, m, b, policy, source, geo)) for m in measures for b in blocks
    ]
