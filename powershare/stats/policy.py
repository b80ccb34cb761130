"""The department's disclosure policy, and the registry of released custom areas.

Every limit is a named, typed field of `SuppressionPolicy`; `query.run_query` applies
all of them in one execution path. docs/stats.md documents each field (a test checks).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from .codes import parse_age_groups
from .store import Store, atomic_write_json

REGISTRY = "released_areas.json"


class PolicyError(Exception):
    """A query the policy refuses (too many rows, area too small, level not allowed...)."""


#: How numbers are protected: "suppression" hides cells of a fixed, protected cube;
#: "perturbation" adds to every count the noise of its records' keys (the cell key method),
#: so custom areas can be released too; "internal" suppresses each query's own table (for
#: analysts who hold the record-level data: subtraction across queries defeats it, so nothing
#: computed that way is released).
METHODS = ("suppression", "perturbation", "internal")

#: What an age-adjusted rate does with age groups that have no population: "refuse" leaves the
#: cell's adjusted rate out, naming the groups (as PHEindicatormethods refuses zero
#: denominators); "renormalize" spreads the standard's weights over the groups with
#: population, and says so in the cell and in the result's meta.
EMPTY_AGE_GROUPS = ("refuse", "renormalize")


@dataclass(frozen=True)
class SuppressionPolicy:
    """Thresholds and limits for releasing query results."""

    #: The protection method (see METHODS).
    method: str = "internal"

    #: Suppress cells whose count is below this (1..k-1; k=11 suppresses 1-10).
    min_count: int = 11
    #: Also suppress cells whose count is 0.
    suppress_zero: bool = False
    #: Suppress cells whose population (person-years) is below this.
    min_population: int = 100
    #: Refuse custom areas with fewer residents than this, and new custom areas that differ
    #: from an already released area (or a standard unit) by fewer residents than this.
    custom_area_min_population: int = 5000
    #: Hide further cells so that no suppressed cell can be recovered from margins.
    complementary: bool = True
    #: Geography levels queries may use (None: every level of the loaded geography).
    allowed_levels: tuple[str, ...] | None = None
    #: The age groups of every release, e.g. "0-4,5-17,18-44,45-64,65+": tables by age use
    #: them, adjusted rates are adjusted over them. None: any groups (internal analysis only).
    age_groups: str | None = None
    #: How the protected release finds the cells to hide: "lp" (a linear program per small
    #: cell, fewer cells hidden) or "hypercube" (faster, hides more).
    protection: str = "lp"
    #: Cell key perturbation: the largest noise added to a count (the table's D)...
    perturbation_max_noise: int = 3
    #: ...the noise's variance (its spread; at most max_noise squared)...
    perturbation_variance: float = 2.0
    #: ...and the counts never published (1 to this): such cells are moved to 0 or above it.
    perturbation_small: int = 2
    #: The strata a release crosses (its cube): every table by these, alone or together,
    #: with their totals. Each stratum added multiplies the cells and the hidden ones.
    release_strata: tuple[str, ...] = ("race", "age_group")
    #: Release years only in one fixed partition: single years (1), or aligned blocks of this
    #: many years from `year_origin` (3: 2021-2023, 2024-2026). 0: any span, which lets a
    #: pooled span minus the single years in it recover a hidden year (internal analysis only).
    year_block: int = 0
    #: The first year of the first block of `year_block`.
    year_origin: int = 2000
    #: Refuse queries whose result would have more rows than this.
    max_rows: int = 20_000
    #: Interrupt aggregation that runs longer than this many seconds.
    time_limit_seconds: float = 30.0
    #: Flag estimates as unreliable under this many events (NCHS: 20).
    unreliable_count: int = 20
    #: Flag estimates as unreliable at or above this relative standard error, in % (NCHS: 30).
    unreliable_rse: float = 30.0
    #: Remember released custom areas (turn off only for internal, unreleased analysis).
    record_releases: bool = True
    #: Age groups without population in an adjusted rate (see EMPTY_AGE_GROUPS).
    empty_age_groups: str = "refuse"
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if f.name == "release_strata":
                object.__setattr__(self, f.name, tuple(str(v) for v in value))
                unknown = set(self.release_strata) - {"race", "sex", "age_group"}
                if unknown:
                    raise ValueError(f"release_strata: unknown strata {', '.join(sorted(unknown))}")
                continue
            if f.name == "allowed_levels":
                if value is not None:
                    object.__setattr__(self, f.name, tuple(str(v) for v in value))
                continue
            if f.name in {"method", "age_groups", "protection", "empty_age_groups"}:
                if value is not None and not isinstance(value, str):
                    raise TypeError(f"policy field {f.name} must be a string, got {value!r}")
                continue
            kinds: dict[str, type | tuple[type, ...]] = {
                "int": int,
                "bool": bool,
                "float": (int, float),
            }
            kind = kinds[str(f.type)]
            if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
                raise TypeError(f"policy field {f.name} must be {f.type}, got {value!r}")
            if not isinstance(value, bool) and float(value) < 0:  # type: ignore[arg-type]
                raise ValueError(f"policy field {f.name} must not be negative")
        if self.min_count < 1:
            raise ValueError("min_count must be at least 1")
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}")
        if self.empty_age_groups not in EMPTY_AGE_GROUPS:
            raise ValueError(
                f"empty_age_groups must be refuse or renormalize, got {self.empty_age_groups!r}"
            )
        if self.protection not in ("lp", "hypercube"):
            raise ValueError(f"protection must be lp or hypercube, got {self.protection!r}")
        if self.age_groups is not None:
            parse_age_groups(self.age_groups)  # ValueError names what is wrong
        if self.method != "internal":
            if self.year_block < 1:
                raise ValueError(
                    "a release method needs year blocks (year_block 1 or more), so that no "
                    "year can be found by subtracting one span from another"
                )
            if self.age_groups is None:
                raise ValueError("a release method needs the policy's age groups (age_groups)")
        if self.perturbation_max_noise < 1 or self.perturbation_max_noise > 20:
            raise ValueError("perturbation_max_noise must be between 1 and 20")
        if not 0 < self.perturbation_variance <= self.perturbation_max_noise**2:
            raise ValueError(
                "perturbation_variance must be above 0 and at most perturbation_max_noise squared"
            )
        if self.perturbation_small >= self.perturbation_max_noise:
            raise ValueError(
                "perturbation_small must be below perturbation_max_noise: a count of 1 must be "
                "able to move past the small counts"
            )

    def block_of(self, year: int) -> tuple[int, int]:
        """The block (first, last year) of `year_block` that holds `year`."""
        if self.year_block < 1:
            raise ValueError("the policy sets no year blocks (year_block is 0)")
        start = year - (year - self.year_origin) % self.year_block
        return start, start + self.year_block - 1

    def year_blocks(self, years: tuple[int, ...]) -> list[tuple[int, int]]:
        """The blocks (first, last year) of `year_block` that `years` covers; PolicyError unless
        `years` is whole blocks of the partition, one after another."""
        size, first, last = self.year_block, min(years), max(years)
        start, end = self.block_of(first)
        if sorted(set(years)) != list(range(first, last + 1)):
            raise PolicyError("years must follow one another, with no gaps")
        if start != first or (last - first + 1) % size:
            example = str(start) if size == 1 else f"{start}-{end}"
            raise PolicyError(
                f"the policy releases years only in fixed blocks of {size} (e.g. {example}), "
                "so that no year can be worked out by subtracting one table from another"
            )
        return [(y, y + size - 1) for y in range(first, last + 1, size)]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SuppressionPolicy:
        """Build a policy from a mapping (JSON file, Django setting); unknown keys are errors."""
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"unknown policy fields: {', '.join(sorted(unknown))}")
        return cls(**dict(data))

    @classmethod
    def from_file(cls, path: str | Path) -> SuppressionPolicy:
        """Read a policy from a JSON file."""
        return cls.from_mapping(json.loads(Path(path).read_text()))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (stored with every result)."""
        out = dataclasses.asdict(self)
        out.pop("extra")
        out["release_strata"] = list(out["release_strata"])
        if out["allowed_levels"] is not None:
            out["allowed_levels"] = list(out["allowed_levels"])
        return out


@dataclass(frozen=True)
class ReleasedArea:
    """A custom area already released: its base-unit weights and population."""

    name: str
    units: tuple[str, ...]
    weights: dict[str, float]
    population: float
    released_at: str


class ReleaseRegistry:
    """Custom areas already released, kept as a small JSON file in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.root / REGISTRY

    def areas(self) -> list[ReleasedArea]:
        """Every released custom area, oldest first."""
        if not self.path.exists():
            return []
        rows = json.loads(self.path.read_text())["areas"]
        return [ReleasedArea(**{**r, "units": tuple(r["units"])}) for r in rows]

    def check(
        self,
        name: str,
        weights: np.ndarray,
        base_codes: list[str],
        base_pop: np.ndarray,
        floor: float,
        standard_areas: Mapping[str, np.ndarray],
    ) -> None:
        """Refuse an area whose difference from a released or standard area is under the floor.

        The difference is the population of the symmetric difference of the two areas:
        sum over base units of |w_new - w_old| * population.
        """
        candidates: list[tuple[str, np.ndarray]] = list(standard_areas.items())
        index = {c: i for i, c in enumerate(base_codes)}
        for area in self.areas():
            w = np.zeros(len(base_codes))
            for code, value in area.weights.items():
                if code in index:
                    w[index[code]] = value
            candidates.append(("an area already released", w))
        if not candidates:
            return
        labels = [c[0] for c in candidates]
        matrix = np.vstack([c[1] for c in candidates])
        diff = np.abs(matrix - weights[None, :]) @ base_pop
        for label, d in zip(labels, diff, strict=True):
            if 0.5 <= d < floor:
                raise PolicyError(
                    f"custom area {name!r} is too close to {label}: they differ by fewer "
                    f"than {floor:,.0f} residents (the policy's floor), so releasing both "
                    "could reveal the difference. Add or remove more units."
                )

    def record(
        self, name: str, units: tuple[str, ...], weights: dict[str, float], population: float
    ) -> None:
        """Remember a released area (atomic write under the store lock)."""
        with self.store.lock():
            areas = self.areas()
            for a in areas:
                if a.weights == weights:
                    return  # the same area again: nothing new released
            areas.append(
                ReleasedArea(
                    name,
                    units,
                    weights,
                    population,
                    datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
            atomic_write_json(self.path, {"areas": [dataclasses.asdict(a) for a in areas]})
