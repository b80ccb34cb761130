"""The disclosure audit: play the outsider against everything a policy releases.

For a measure, gather every table the release model gives (every released level, every
combination of strata, every year block loaded, and under perturbation custom areas up to
a budget), turn each shown count into an equation over the atoms (base unit x race x sex x
age group, per block; for proportions also with and without the outcome), and ask
`attack.intervals` how far each small count can be pinned down.

Under suppression a shown count is exact, and a hidden count that is small in truth (1 to
min_count - 1) must keep an interval at least `min_count - 1` wide: it cannot be narrowed to
fewer than `min_count` values. Under perturbation a shown count r says only that the truth
lies in [r - D, r + D] (D the table's largest noise), and a hidden one that its perturbed
value was under min_count; every count small in truth, shown or not, must keep an interval
at least 1 wide: no small count is recovered exactly.

The audit runs the public path (`run_query` under the policy) and compares with the truth
(the internal path with nothing hidden): it is for the department, which holds the data.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from scipy import sparse

from .attack import Knowledge, intervals
from .codes import RACE_CODES, SEX_CODES, TOTAL, parse_age_groups
from .engine import Source
from .geography import CustomArea, Geography, load_current
from .measures import Measure, get_measure
from .perturbation import levels as perturbation_levels
from .perturbation import table_of, tile_levels
from .policy import PolicyError, SuppressionPolicy
from .query import Query, run_query
from .release import levels as release_levels
from .store import Store

STRATA = ("race", "sex", "age_group")


@dataclass
class Finding:
    """A hidden count an attacker can narrow too far."""

    block: tuple[int, int]
    level: str
    area: str
    strata: dict[str, str]
    true: float
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class Report:
    measure: str
    policy: dict[str, Any]
    tables: int = 0
    refused: int = 0
    released_cells: int = 0
    hidden_small: int = 0
    attacked: int = 0
    smallest_width: float = float("inf")
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def needed(self) -> float:
        """The narrowest interval allowed: suppression must leave min_count values open;
        perturbation must leave at least two (no small count recovered exactly)."""
        if self.policy.get("method") == "perturbation":
            return 1.0
        return float(self.policy.get("min_count", 11) - 1)

    def text(self) -> str:
        """A report a department can read."""
        perturbed = self.policy.get("method") == "perturbation"
        lines = [
            f"Disclosure audit of {self.measure} under the {self.policy.get('method')} method",
            f"  tables gathered: {self.tables} ({self.refused} refused by the policy)",
            f"  counts shown: {self.released_cells}; "
            f"{'small' if perturbed else 'hidden'} counts under "
            f"{self.policy.get('min_count')}: {self.hidden_small}",
            f"  attacked: {self.attacked}; narrowest interval an attacker can reach for them: "
            f"{self.smallest_width:g} "
            f"(needed: at least {self.needed:g})",
            f"  time: {self.seconds:.1f} s",
        ]
        if self.passed:
            lines.append("  PASSED: no small count can be pinned down from what is released")
        else:
            lines.append(f"  FAILED: {len(self.findings)} small counts can be narrowed too far:")
            for f in self.findings[:20]:
                strata = ", ".join(f"{k}={v}" for k, v in f.strata.items()) or "all"
                lines.append(
                    f"    {f.block[0]}-{f.block[1]} {f.level} {f.area} ({strata}): "
                    f"between {f.low:g} and {f.high:g}"
                )
        return "\n".join(lines)


def audit_measure(
    store: Store,
    measure: str | Measure,
    policy: SuppressionPolicy,
    *,
    source: Source | None = None,
    measures: Mapping[str, Measure] | None = None,
    levels: Sequence[str] | None = None,
    blocks: Sequence[tuple[int, int]] | None = None,
    custom_areas: int = 0,
    sample: int | None = None,
) -> Report:
    """Gather every released table of `measure` and attack its small counts.

    `custom_areas` is the attacker's budget of custom areas per block (unions of units of
    the finest level audited: first each unit's complement, then random unions); only a
    policy that releases custom areas answers them. `sample` attacks only that many of
    each block's small counts, drawn at random (two linear programs each: a quick check).
    """
    started = time.perf_counter()
    m = get_measure(measure, measures)
    measures = {**(measures or {}), m.name: m}
    source = source or Source.duckdb(store)
    geo = load_current(store)
    report = Report(m.name, policy.to_dict())
    if levels is None:
        levels = _levels(geo, policy)
    blocks = blocks or loaded_blocks(store, m, policy, source)
    truth_policy = SuppressionPolicy(
        min_count=1,
        min_population=0,
        custom_area_min_population=0,
        complementary=False,
        record_releases=False,
        year_block=policy.year_block,
        year_origin=policy.year_origin,
        age_groups=policy.age_groups,
    )
    noise = table_of(policy).max_noise if policy.method == "perturbation" else 0
    areas = _custom_areas(geo, levels[0], custom_areas) if custom_areas and levels else []
    tables = [(level, ()) for level in levels] + [("custom", (a,)) for a in areas]
    chain = tile_levels(geo, policy) if noise else []
    # A custom area adds up its tiles' perturbed counts, shown or not: "this unit and a shown
    # one" minus the shown one gives a hidden unit's perturbed count. So when custom areas
    # are answered, the attacker is taken to know every level cell's perturbed count.
    exposed = replace(policy, min_count=1, suppress_zero=False) if noise and areas else policy
    tile_counts: dict[bytes, int] = {}

    def tiles(area: np.ndarray) -> int:
        key = area.tobytes()
        if key not in tile_counts:
            tile_counts[key] = len(geo.tiles(chain, area))
        return tile_counts[key]

    for block in blocks:
        years = tuple(range(block[0], block[1] + 1))
        atoms = _Atoms(geo, m, policy)
        known: dict[tuple, tuple[sparse.csr_matrix, float, float]] = {}
        small: dict[tuple, tuple[sparse.csr_matrix, float, dict[str, str], str, str]] = {}
        for level, custom in tables:
            for k in range(len(STRATA) + 1):
                for by in itertools.combinations(STRATA, k):
                    q = Query(
                        m.name,
                        years,
                        level="county" if custom else level,
                        custom_areas=custom,
                        by=by,
                        age_groups=policy.age_groups,
                        reference=None,
                    )
                    report.tables += 1
                    try:
                        shown = run_query(
                            store,
                            q,
                            policy=policy if custom else exposed,
                            source=source,
                            measures=measures,
                        )
                    except PolicyError:
                        report.refused += 1
                        continue
                    truth = run_query(
                        store, q, policy=truth_policy, source=source, measures=measures
                    )
                    tiled = shown.meta.get("release", {}).get("perturbation", {})
                    for row, real in zip(shown.rows(), truth.rows(), strict=True):
                        area = atoms.area(level, row, custom)
                        # A custom area adds up its tiles' perturbed counts: so do their noises.
                        spread = noise * (tiles(area) if custom and tiled else 1)
                        key = (level, row["area"], *(row.get(s, TOTAL) for s in STRATA))
                        coef = atoms.row(area, row, by)
                        if coef is None:
                            continue
                        strata = {s: row[s] for s in by}
                        if m.kind != "rate" and row["denominator"] is not None:
                            den = atoms.row(area, row, by, denominator=True)
                            if den is not None:
                                value = float(row["denominator"])
                                known[("d", *key)] = (den, max(0.0, value - spread), value + spread)
                        if row["count"] is not None:
                            value = float(row["count"])
                            known[key] = (coef, max(0.0, value - spread), value + spread)
                        elif noise:  # a perturbed count below min_count: still a bound
                            least = 0 if policy.suppress_zero else 1
                            known[key] = (
                                coef,
                                max(0.0, least - spread),
                                policy.min_count - 1 + spread,
                            )
                        if 0 < real["count"] < policy.min_count and (noise or row["count"] is None):
                            small[key] = (coef, float(real["count"]), strata, level, row["area"])
        if not small:
            continue
        knowledge = Knowledge(
            sparse.vstack([c for c, _, _ in known.values()], format="csr")
            if known
            else sparse.csr_matrix((0, atoms.size)),
            np.array([lo for _, lo, _ in known.values()]),
            np.array([hi for _, _, hi in known.values()]),
        )
        report.released_cells += len(known)
        report.hidden_small += len(small)
        if sample is not None and len(small) > sample:
            keep = np.random.default_rng(0).choice(len(small), size=sample, replace=False)
            chosen = set(keep.tolist())
            small = {k: v for i, (k, v) in enumerate(small.items()) if i in chosen}
        report.attacked += len(small)
        targets = sparse.vstack([h[0] for h in small.values()], format="csr")
        low, high = intervals(knowledge, targets)
        width = high - low
        report.smallest_width = min(report.smallest_width, float(width.min()))
        need = report.needed
        for (_, true, strata, level, code), lo, hi in zip(small.values(), low, high, strict=True):
            if hi - lo < need - 1e-6:
                report.findings.append(Finding(block, level, code, strata, true, lo, hi))
    report.seconds = time.perf_counter() - started
    return report


def _levels(geo: Geography, policy: SuppressionPolicy) -> list[str]:
    """The levels the policy releases: the protected cube's chain; under perturbation
    every allowed level made of whole base units, finest first; else every level."""
    if policy.method == "suppression":
        return release_levels(geo, policy)
    if policy.method == "internal":
        return [lv for lv in geo.levels if lv in (policy.allowed_levels or geo.levels)]
    return perturbation_levels(geo, policy)


def _custom_areas(geo: Geography, level: str, budget: int, seed: int = 0) -> list[CustomArea]:
    """The attacker's custom areas: each unit's complement (the subtraction attack), then
    random unions of the level's units."""
    codes = list(geo.codes(level))
    if len(codes) < 3:
        return []
    picks: list[tuple[str, ...]] = [tuple(c for c in codes if c != u) for u in codes]
    rng = np.random.default_rng(seed)
    while len(picks) < budget:
        size = int(rng.integers(2, len(codes)))
        picks.append(tuple(sorted(rng.choice(codes, size=size, replace=False).tolist())))
    return [
        CustomArea(f"audit {i + 1}", tuple(f"{level}:{c}" for c in units))
        for i, units in enumerate(picks[:budget])
    ]


def loaded_blocks(
    store: Store, m: Measure, policy: SuppressionPolicy, source: Source
) -> list[tuple[int, int]]:
    """The policy's year blocks wholly loaded for the measure's events."""
    table = source.table(m.dataset)
    years = set(source.execute(table.select("year").distinct(), cache=True)["year"].to_pylist())
    if policy.year_block < 1:
        return [(y, y) for y in sorted(years)]
    out = []
    for y in sorted(years):
        start, end = policy.block_of(y)
        if start == y and all(x in years for x in range(start, end + 1)):
            out.append((start, end))
    return out


class _Atoms:
    """The attacker's unknowns: base unit x race x sex x age group (x outcome)."""

    def __init__(self, geo: Geography, m: Measure, policy: SuppressionPolicy) -> None:
        self.geo = geo
        self.races = list(RACE_CODES)
        self.sexes = list(SEX_CODES)
        spec = policy.age_groups or "0-17,18-44,45-64,65+"
        groups = [g for g in parse_age_groups(spec) if g.hi >= m.age_min and g.lo <= m.age_max]
        self.ages = [g.label for g in groups]
        self.outcome = m.kind != "rate"
        self.shape = (
            len(geo.base_codes),
            len(self.races),
            len(self.sexes),
            len(self.ages),
            2 if self.outcome else 1,
        )
        self.size = int(np.prod(self.shape))

    def area(self, level: str, row: Mapping[str, Any], custom: Sequence[CustomArea]) -> np.ndarray:
        """The base units a released row's area is made of."""
        if custom:
            if row["area"] == custom[0].name:
                return np.asarray(self.geo.custom_weights(custom[0]), dtype=float)
            return np.ones(len(self.geo.base_codes))
        codes, m = self.geo.matrix(level)
        if row["level"] != level or row["area"] not in codes:
            return np.ones(len(self.geo.base_codes))
        return np.asarray(m[codes.index(row["area"])], dtype=float)

    def row(
        self,
        area: np.ndarray,
        row: Mapping[str, Any],
        by: Sequence[str],
        denominator: bool = False,
    ) -> sparse.csr_matrix | None:
        """The atoms a released row adds up (None if a value is unknown to the atoms)."""
        parts: list[np.ndarray] = [area]
        for name, values in (("race", self.races), ("sex", self.sexes), ("age_group", self.ages)):
            if name in by and row.get(name) not in (None, TOTAL):
                if row[name] not in values:
                    return None
                v = np.zeros(len(values))
                v[values.index(row[name])] = 1.0
            else:
                v = np.ones(len(values))
            parts.append(np.asarray(v, dtype=float))
        parts.append(np.ones(2) if denominator else np.array([1.0, 0.0][: self.shape[-1]]))
        out: np.ndarray = parts[0]
        for p in parts[1:]:
            out = np.asarray(np.kron(out, p))
        return sparse.csr_matrix(out)
