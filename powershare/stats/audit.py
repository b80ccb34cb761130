"""The disclosure audit: play the outsider against everything a policy releases.

For a measure, gather every table the release model gives (every released level, every
combination of strata, every year block loaded), turn each shown count into an equation
over the atoms (base unit x race x sex x age group, per block; for proportions also with and
without the outcome), and ask `attack.intervals` how far each hidden count can be pinned
down. A hidden count that is small in truth (1 to min_count - 1) must keep an interval at
least `min_count - 1` wide: it cannot be narrowed to fewer than `min_count` values.

The audit runs the public path (`run_query` under the policy) and compares with the truth
(the internal path with nothing hidden): it is for the department, which holds the data.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from .attack import Knowledge, intervals
from .codes import TOTAL, parse_age_groups
from .engine import Source
from .geography import Geography, load_current
from .measures import Measure, get_measure
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
    smallest_width: float = float("inf")
    findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.findings

    def text(self) -> str:
        """A report a department can read."""
        lines = [
            f"Disclosure audit of {self.measure} under the {self.policy.get('method')} method",
            f"  tables gathered: {self.tables} ({self.refused} refused by the policy)",
            f"  counts shown: {self.released_cells}; hidden counts under "
            f"{self.policy.get('min_count')}: {self.hidden_small}",
            f"  narrowest interval an attacker can reach for them: {self.smallest_width:g} "
            f"(needed: at least {self.policy.get('min_count', 11) - 1})",
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
) -> Report:
    """Gather every released table of `measure` and attack its hidden small counts."""
    started = time.perf_counter()
    m = get_measure(measure, measures)
    measures = {**(measures or {}), m.name: m}
    source = source or Source.duckdb(store)
    geo = load_current(store)
    report = Report(m.name, policy.to_dict())
    if levels is None:
        levels = release_levels(geo, policy) if policy.method != "internal" else geo.levels
    blocks = blocks or loaded_blocks(store, m, policy, source)
    truth_policy = SuppressionPolicy(
        min_count=1,
        min_population=0,
        complementary=False,
        record_releases=False,
        year_block=policy.year_block,
        year_origin=policy.year_origin,
        age_groups=policy.age_groups,
    )
    for block in blocks:
        years = tuple(range(block[0], block[1] + 1))
        atoms = _Atoms(geo, m, policy)
        rows: dict[tuple, tuple[sparse.csr_matrix, float]] = {}
        hidden: dict[tuple, tuple[sparse.csr_matrix, float, dict[str, str], str, str]] = {}
        for level in levels:
            for k in range(len(STRATA) + 1):
                for by in itertools.combinations(STRATA, k):
                    q = Query(
                        m.name,
                        years,
                        level=level,
                        by=by,
                        age_groups=policy.age_groups,
                        reference=None,
                    )
                    report.tables += 1
                    try:
                        shown = run_query(store, q, policy=policy, source=source, measures=measures)
                    except PolicyError:
                        report.refused += 1
                        continue
                    truth = run_query(
                        store, q, policy=truth_policy, source=source, measures=measures
                    )
                    for row, real in zip(shown.rows(), truth.rows(), strict=True):
                        key = (
                            atoms.area_key(level, row["area"]),
                            *(row.get(s, TOTAL) for s in STRATA),
                        )
                        coef = atoms.row(level, row, by)
                        if coef is None:
                            continue
                        strata = {s: row[s] for s in by}
                        if m.kind != "rate":
                            den = atoms.row(level, row, by, denominator=True)
                            if row["denominator"] is not None and den is not None:
                                rows[("d", *key)] = (den, float(row["denominator"]))
                        if row["count"] is not None:
                            rows[key] = (coef, float(row["count"]))
                        elif 0 < real["count"] < policy.min_count:
                            hidden[key] = (coef, float(real["count"]), strata, level, row["area"])
        if not hidden:
            continue
        knowledge = Knowledge(
            sparse.vstack([c for c, _ in rows.values()], format="csr")
            if rows
            else sparse.csr_matrix((0, atoms.size)),
            np.array([v for _, v in rows.values()]),
            np.array([v for _, v in rows.values()]),
        )
        report.released_cells += len(rows)
        report.hidden_small += len(hidden)
        targets = sparse.vstack([h[0] for h in hidden.values()], format="csr")
        low, high = intervals(knowledge, targets)
        width = high - low
        report.smallest_width = min(report.smallest_width, float(width.min()))
        need = policy.min_count - 1
        for (coef, true, strata, level, area), lo, hi in zip(
            hidden.values(), low, high, strict=True
        ):
            del coef
            if hi - lo < need - 1e-6:
                report.findings.append(Finding(block, level, area, strata, true, lo, hi))
    report.seconds = time.perf_counter() - started
    return report


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
        from .codes import RACE_CODES, SEX_CODES

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

    def area_key(self, level: str, code: str) -> str:
        return f"{level}:{code}" if code in self.geo.codes(level) else TOTAL

    def row(
        self, level: str, row: Mapping[str, Any], by: Sequence[str], denominator: bool = False
    ) -> sparse.csr_matrix | None:
        """The atoms a released row adds up (None if a value is unknown to the atoms)."""
        if row["level"] != level:
            area = np.ones(len(self.geo.base_codes))
        else:
            codes, m = self.geo.matrix(level)
            if row["area"] not in codes:
                area = np.ones(len(self.geo.base_codes))
            else:
                area = m[codes.index(row["area"])]
        parts: list[np.ndarray] = [np.asarray(area, dtype=float)]
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
