"""Measures: which events count, over which denominator, reported how.

A measure names an event dataset and a filter (cause codes by prefix or range, an age
range, a sex, conditions on extra columns); it is either a *rate* per `per` population
(age-adjusted against its default standard) or a *proportion* of another event set of the
same dataset (the numerator conditions applied within the denominator's events).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import ibis
import ibis.expr.types as ir

from .codes import MAX_AGE, SEX_CODES

OPERATORS = ("<", "<=", ">", ">=", "=", "!=", "in")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._]*$")


@dataclass(frozen=True)
class Condition:
    """A condition on an extra column, e.g. Condition("gestation_weeks", "<", 37)."""

    column: str
    op: str
    value: Any

    def __post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise ValueError(f"operator {self.op!r} not one of {OPERATORS}")

    def expr(self, t: ir.Table) -> ir.BooleanValue:
        """The Ibis boolean expression for this condition."""
        col = t[self.column]
        ops = {
            "<": lambda: col < self.value,
            "<=": lambda: col <= self.value,
            ">": lambda: col > self.value,
            ">=": lambda: col >= self.value,
            "=": lambda: col == self.value,
            "!=": lambda: col != self.value,
            "in": lambda: col.isin(list(self.value)),
        }
        return ops[self.op]()


def cause_expr(cause: ir.StringValue, codes: tuple[str, ...]) -> ir.BooleanValue:
    """Events whose code starts with one of `codes`; "J45-J46" is a range of prefixes.

    A range compares strings: code >= "J45" and code < "J47" (the character after the last
    one of the upper end), so "J46.9" is in and "J47" is out. No per-row substring.
    """
    parts: list[ir.BooleanValue] = []
    for spec in codes:
        lo, _, hi = (s.strip().upper() for s in spec.partition("-"))
        for code in (lo, hi) if hi else (lo,):
            if not _CODE.match(code):
                raise ValueError(f"not a cause code or range: {spec!r}")
        if hi:
            if hi < lo:
                raise ValueError(f"cause range {spec!r} runs backwards")
            upper = hi[:-1] + chr(ord(hi[-1]) + 1)
            parts.append((cause >= lo) & (cause < upper))
        else:
            parts.append(cause.startswith(lo))
    out = parts[0]
    for p in parts[1:]:
        out = out | p
    return out


@dataclass(frozen=True)
class Measure:
    """A measure definition (see the module docstring)."""

    name: str
    label: str
    dataset: str
    kind: Literal["rate", "proportion"] = "rate"
    causes: tuple[str, ...] = ()
    age_min: int = 0
    age_max: int = MAX_AGE
    sex: str | None = None
    where: tuple[Condition, ...] = ()
    #: proportions only: conditions that make a denominator event count in the numerator
    numerator: tuple[Condition, ...] = ()
    numerator_causes: tuple[str, ...] = ()
    #: rates: multiplier (per 1,000 / 10,000 / 100,000); proportions: 100 gives percent
    per: int = 100_000
    population: str = "population"
    standard: str = "us2000_19"
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("rate", "proportion"):
            raise ValueError(f"measure kind must be 'rate' or 'proportion', not {self.kind!r}")
        if not 0 <= self.age_min <= self.age_max <= MAX_AGE:
            raise ValueError("measure ages must satisfy 0 <= age_min <= age_max <= 120")
        if self.sex is not None and self.sex not in SEX_CODES:
            raise ValueError(f"unknown sex code {self.sex!r}")
        if self.kind == "proportion" and not (self.numerator or self.numerator_causes):
            raise ValueError("a proportion needs numerator conditions or numerator causes")
        if self.per <= 0:
            raise ValueError("per must be positive")
        for c in self.causes + self.numerator_causes:
            cause_expr(ibis.literal("X"), (c,))  # validates the code syntax

    def denominator_filter(self, t: ir.Table) -> list[ir.BooleanValue]:
        """Conditions on events in the measure (the rate's count, the proportion's denominator)."""
        conds: list[ir.BooleanValue] = []
        if self.causes:
            conds.append(cause_expr(t.cause, self.causes))
        if self.age_min > 0 or self.age_max < MAX_AGE:
            conds.append(t.age.between(self.age_min, self.age_max))
        if self.sex:
            conds.append(t.sex == self.sex)
        conds.extend(c.expr(t) for c in self.where)
        return conds

    def numerator_filter(self, t: ir.Table) -> ir.BooleanValue:
        """Proportions: events of the denominator that also count in the numerator."""
        conds: list[ir.BooleanValue] = []
        if self.numerator_causes:
            conds.append(cause_expr(t.cause, self.numerator_causes))
        conds.extend(c.expr(t) for c in self.numerator)
        out = conds[0]
        for c in conds[1:]:
            out = out & c
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return dataclasses.asdict(self)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Measure:
        """Build a measure from a mapping (JSON, a Django model's fields)."""
        d = dict(data)
        for key in ("where", "numerator"):
            d[key] = tuple(
                c if isinstance(c, Condition) else Condition(**c) for c in d.get(key, ())
            )
        for key in ("causes", "numerator_causes"):
            d[key] = tuple(d.get(key, ()))
        return cls(**d)


DEFAULT_MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            "asthma_ed",
            "Asthma emergency department visits",
            "ed_visits",
            causes=("J45-J46",),
            per=10_000,
            description="ED visits with a first-listed diagnosis of asthma (ICD-10-CM J45-J46).",
        ),
        Measure(
            "asthma_ed_children",
            "Asthma ED visits, children 0-17",
            "ed_visits",
            causes=("J45-J46",),
            age_min=0,
            age_max=17,
            per=10_000,
            description="Asthma ED visits (J45-J46) among residents aged 0-17.",
        ),
        Measure(
            "heat_illness",
            "Heat-related illness ED visits",
            "ed_visits",
            causes=("T67",),
            per=100_000,
            description="ED visits for effects of heat and light (ICD-10-CM T67).",
        ),
        Measure(
            "injury_ed",
            "Injury ED visits",
            "ed_visits",
            causes=("S00-T14",),
            per=10_000,
            description="ED visits for injuries to body regions (ICD-10-CM S00-T14).",
        ),
        Measure(
            "ed_visits_all",
            "All emergency department visits",
            "ed_visits",
            per=1_000,
            description="All ED visits, any diagnosis.",
        ),
        Measure(
            "preterm_births",
            "Preterm births (% of live births)",
            "births",
            kind="proportion",
            numerator=(Condition("gestation_weeks", "<", 37),),
            per=100,
            description="Live births before 37 completed weeks of gestation, as a percent of live births.",
        ),
        Measure(
            "elevated_blood_lead",
            "Elevated blood lead (% of children tested)",
            "blood_lead",
            kind="proportion",
            age_min=0,
            age_max=5,
            numerator=(Condition("bll", ">=", 3.5),),
            per=100,
            description="Children under 6 tested whose blood lead level was 3.5 ug/dL or more "
            "(the CDC blood lead reference value since 2021), as a percent of children tested.",
        ),
    )
}


def get_measure(measure: str | Measure, extra: Mapping[str, Measure] | None = None) -> Measure:
    """A measure by name (from `extra`, then the defaults), or a Measure passed through."""
    if isinstance(measure, Measure):
        return measure
    found = (extra or {}).get(measure) or DEFAULT_MEASURES.get(measure)
    if found is None:
        known = ", ".join(sorted({*DEFAULT_MEASURES, *(extra or {})}))
        raise KeyError(f"unknown measure {measure!r} (known: {known})")
    return found
