"""Code lists the engine accepts, and age groups.

Every event and population row uses these codes; a loader refuses any other value.
Departments recode their source systems to them (see docs/stats.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_AGE = 120

#: Sex codes. Population denominators use F and M only; events may also carry U.
SEX_CODES: dict[str, str] = {
    "F": "female",
    "M": "male",
    "U": "unknown or not stated",
}
POPULATION_SEX_CODES = ("F", "M")

#: Race/ethnicity codes: mutually exclusive, Hispanic of any race first (OMB 1997 style,
#: as NCHS bridged-race and Census "not Hispanic, race alone" tables report them).
RACE_CODES: dict[str, str] = {
    "hispanic": "Hispanic or Latino (any race)",
    "nh_white": "Not Hispanic: White alone",
    "nh_black": "Not Hispanic: Black or African American alone",
    "nh_asian": "Not Hispanic: Asian alone",
    "nh_nhpi": "Not Hispanic: Native Hawaiian or Other Pacific Islander alone",
    "nh_aian": "Not Hispanic: American Indian or Alaska Native alone",
    "nh_multi": "Not Hispanic: two or more races, or another race",
    "unknown": "Unknown or not stated",
}
#: Integer code columns that events store beside geo, race and sex (see ingest.load_events).
KEY_CODES = {"geo": "_geo_code", "race": "_race_code", "sex": "_sex_code"}
#: The Parquet key-value metadata key holding their code lists: {"key_codes": {"geo": [...]}}.
CODES_KEY = "powershare"
#: Lower bounds of the age groups whose index events also store (the US 2000 standard's 19
#: groups: 0, 1-4, 5-9, ..., 85+), in the column AGE_CODE; key_codes["age"] lists the groups.
AGE_GRID = (0, 1, *range(5, 90, 5))
AGE_CODE = "_age_code"
#: Each event's record key, 0 to 255, for cell key perturbation (see ptable.py): a keyed
#: hash of the record, so the same record keeps its key through every reload.
RECORD_KEY = "_rkey"

POPULATION_RACE_CODES = tuple(code for code in RACE_CODES if code != "unknown")

#: Strata a query may break results down by.
STRATA = ("race", "sex", "age_group", "year")

#: Label that marks a margin (all values of a dimension) in query results.
TOTAL = "total"

_LABEL = re.compile(r"^\s*(\d{1,3})\s*(?:(\+)|-\s*(\d{1,3}))?\s*$")


@dataclass(frozen=True, order=True)
class AgeGroup:
    """An age group in whole years, both ends inclusive (85+ is 85..120)."""

    lo: int
    hi: int

    @property
    def label(self) -> str:
        """The canonical label: "0", "1-4", "85+"."""
        if self.hi >= MAX_AGE:
            return f"{self.lo}+"
        if self.lo == self.hi:
            return str(self.lo)
        return f"{self.lo}-{self.hi}"

    @classmethod
    def parse(cls, label: str) -> AgeGroup:
        """Parse "0", "<1", "under 1", "1-4", "85+" into an age group."""
        text = label.strip().lower()
        if text in {"<1", "under 1", "0-0"}:
            return cls(0, 0)
        match = _LABEL.match(text)
        if not match:
            raise ValueError(f"not an age group: {label!r}")
        lo = int(match.group(1))
        if match.group(2):
            hi = MAX_AGE
        elif match.group(3):
            hi = int(match.group(3))
        else:
            hi = lo
        if not 0 <= lo <= hi <= MAX_AGE:
            raise ValueError(f"age group out of range 0-{MAX_AGE}: {label!r}")
        return cls(lo, hi)


def parse_age_groups(spec: str | Sequence[str]) -> tuple[AgeGroup, ...]:
    """Parse a scheme such as "0-17,18-64,65+" into contiguous groups covering its range."""
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    groups = tuple(AgeGroup.parse(p) for p in parts if p.strip())
    if not groups:
        raise ValueError("an age-group scheme needs at least one group")
    for a, b in zip(groups, groups[1:], strict=False):
        if b.lo != a.hi + 1:
            raise ValueError(f"age groups must be contiguous and ascending: {a.label}, {b.label}")
    return groups


def scheme_label(groups: Iterable[AgeGroup]) -> str:
    """The comma-separated label of an age-group scheme."""
    return ",".join(g.label for g in groups)


def bounds_of(groups: Iterable[AgeGroup]) -> tuple[int, ...]:
    """Lower bounds of the groups plus one past the last upper bound."""
    groups = list(groups)
    return tuple([g.lo for g in groups] + [groups[-1].hi + 1])


#: A file of aggregated counts has this column: each row stands for `count` events.
COUNT = "count"

#: Events given by age group (a file of counts whose ages are labels such as "1-4", "85+")
#: store each group's lower bound in `age` and its upper bound in this column.
AGE_HI = "age_hi"


def straddling(groups: Iterable[AgeGroup], boundary: int) -> AgeGroup | None:
    """The first of `groups` that a cut at `boundary` (between boundary-1 and boundary)
    would split, if any."""
    return next((g for g in groups if g.lo < boundary <= g.hi), None)


def ages_text(lo: int, hi: int) -> str:
    """A span of ages in a sentence: "ages 0-9", "age 0", "ages 55-120"."""
    return f"age {lo}" if lo == hi else f"ages {lo}-{hi}"
