"""Standard populations for direct age adjustment.

Sources:
- US 2000 standard, 19 groups: Census P25-1130 projections as published by NCHS
  (Anderson RN, Rosenberg HM. Age standardization of death rates: implementation of the
  year 2000 standard. NVSR 47(3), 1998) and by SEER ("2000 US Std Population (19 age groups)").
- US 2000 standard, 11 groups: the same source, table I (weights per million, whose
  "75-84" figure is rounded up so the weights sum to 1,000,000).
- European Standard Population 2013: Eurostat, Revision of the European Standard
  Population (2013), 5-year groups to 95+.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .codes import MAX_AGE, AgeGroup


@dataclass(frozen=True)
class StandardPopulation:
    """A named standard population: age groups and their populations (or weights)."""

    name: str
    label: str
    groups: tuple[AgeGroup, ...]
    population: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.groups) != len(self.population):
            raise ValueError("a standard needs one population per age group")
        if self.groups[0].lo != 0 or self.groups[-1].hi != MAX_AGE:
            raise ValueError("a standard must cover ages 0 to 120 (last group open, e.g. 85+)")
        for a, b in zip(self.groups, self.groups[1:], strict=False):
            if b.lo != a.hi + 1:
                raise ValueError("standard age groups must be contiguous")
        if any(p < 0 for p in self.population) or sum(self.population) <= 0:
            raise ValueError("standard populations must be non-negative and not all zero")

    @classmethod
    def from_mapping(
        cls, name: str, groups: Mapping[str, float], label: str = ""
    ) -> StandardPopulation:
        """Build a user-supplied standard from {"0-4": 5000, ..., "85+": 1500}."""
        items = sorted((AgeGroup.parse(k), float(v)) for k, v in groups.items())
        return cls(name, label or name, tuple(g for g, _ in items), tuple(v for _, v in items))

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description (used in result metadata)."""
        return {
            "name": self.name,
            "label": self.label,
            "groups": {g.label: p for g, p in zip(self.groups, self.population, strict=True)},
        }

    def weights_for(self, bounds: Sequence[int]) -> np.ndarray:
        """Standard weights (summing to 1) for the age bins [bounds[i], bounds[i+1]).

        Where a bin cuts through a standard group, the group's population is shared
        in proportion to the years of overlap (uniform within the group). Read-only: the
        weights of a standard and bins are computed once.
        """
        return _weights(self, tuple(int(b) for b in bounds))


@functools.lru_cache(maxsize=128)
def _weights(standard: StandardPopulation, bounds: tuple[int, ...]) -> np.ndarray:
    los = np.array([g.lo for g in standard.groups], dtype=float)
    his = np.array([g.hi + 1 for g in standard.groups], dtype=float)
    pops = np.asarray(standard.population, dtype=float)
    out = np.zeros(len(bounds) - 1)
    for i in range(len(bounds) - 1):
        a, b = float(bounds[i]), float(bounds[i + 1])
        overlap = np.clip(np.minimum(his, b) - np.maximum(los, a), 0, None)
        out[i] = float((pops * overlap / (his - los)).sum())
    total = out.sum()
    if total <= 0:
        raise ValueError("the standard has no population in the measure's age range")
    out /= total
    out.setflags(write=False)
    return out


def _standard(name: str, label: str, rows: Sequence[tuple[str, float]]) -> StandardPopulation:
    return StandardPopulation(
        name, label, tuple(AgeGroup.parse(a) for a, _ in rows), tuple(p for _, p in rows)
    )


US2000_19 = _standard(
    "us2000_19",
    "US 2000 standard population, 19 age groups",
    [
        ("0", 3_794_901),
        ("1-4", 15_191_619),
        ("5-9", 19_919_840),
        ("10-14", 20_056_779),
        ("15-19", 19_819_518),
        ("20-24", 18_257_225),
        ("25-29", 17_722_067),
        ("30-34", 19_511_370),
        ("35-39", 22_179_956),
        ("40-44", 22_479_229),
        ("45-49", 19_805_793),
        ("50-54", 17_224_359),
        ("55-59", 13_307_234),
        ("60-64", 10_654_272),
        ("65-69", 9_409_940),
        ("70-74", 8_725_574),
        ("75-79", 7_414_559),
        ("80-84", 4_900_234),
        ("85+", 4_259_173),
    ],
)

US2000_11 = _standard(
    "us2000_11",
    "US 2000 standard population, 11 age groups (per million)",
    [
        ("0", 13_818),
        ("1-4", 55_317),
        ("5-14", 145_565),
        ("15-24", 138_646),
        ("25-34", 135_573),
        ("35-44", 162_613),
        ("45-54", 134_834),
        ("55-64", 87_247),
        ("65-74", 66_037),
        ("75-84", 44_842),
        ("85+", 15_508),
    ],
)

ESP2013 = _standard(
    "esp2013",
    "European Standard Population 2013",
    [
        ("0-4", 5000),
        ("5-9", 5500),
        ("10-14", 5500),
        ("15-19", 5500),
        ("20-24", 6000),
        ("25-29", 6000),
        ("30-34", 6500),
        ("35-39", 7000),
        ("40-44", 7000),
        ("45-49", 7000),
        ("50-54", 7000),
        ("55-59", 6500),
        ("60-64", 6000),
        ("65-69", 5500),
        ("70-74", 5000),
        ("75-79", 4000),
        ("80-84", 2500),
        ("85-89", 1500),
        ("90-94", 800),
        ("95+", 200),
    ],
)

STANDARDS: dict[str, StandardPopulation] = {s.name: s for s in (US2000_11, US2000_19, ESP2013)}


def get_standard(name_or_standard: str | StandardPopulation) -> StandardPopulation:
    """Look a standard up by name ("us2000_11", "us2000_19", "esp2013") or pass one through."""
    if isinstance(name_or_standard, StandardPopulation):
        return name_or_standard
    try:
        return STANDARDS[name_or_standard]
    except KeyError:
        known = ", ".join(STANDARDS)
        raise ValueError(
            f"unknown standard population {name_or_standard!r} (known: {known})"
        ) from None


def adjustment_bounds(
    standard: StandardPopulation, data_bounds: Sequence[int], age_min: int, age_max: int
) -> tuple[int, ...]:
    """Age bins for adjustment: the standard's boundaries that the data also has.

    This is "the 19-group standard where the data allow": population in 5-year groups
    adjusts on 19 groups; population in coarser groups collapses the standard to them.
    """
    std = {g.lo for g in standard.groups}
    have = set(data_bounds)
    inner = sorted(b for b in std & have if age_min < b <= age_max)
    return tuple([age_min, *inner, age_max + 1])
