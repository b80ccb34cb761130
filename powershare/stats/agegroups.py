"""Age groups in the data: counts whose ages are labels ("0", "1-4", "85+"), and the query
ages that must follow the groups of the data they are computed from.

A file of counts by age group is stored like any events file, with each row's age its
group's lower bound and `codes.AGE_HI` its upper bound: a measure's age filter and the age
bins then work unchanged, as long as no bin boundary cuts through a group, which
`follow` checks before any query runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from .codes import AGE_HI, AgeGroup, ages_text, straddling
from .validation import AGE_GROUP, LoadError, RowError, _quote, _reader

if TYPE_CHECKING:
    from .engine import Source

#: How to fill a gap between the age groups of a file of counts.
COUNTS_GAP_FIX = (
    "add a row for those ages (a count of 0 will do), or merge the groups around them into one"
)


def holds_labels(con: duckdb.DuckDBPyConnection, path: Path, column: str) -> bool:
    """Whether an age column that isn't whole numbers holds age-group labels ("1-4", "85+")."""
    q = _quote(column)
    values = con.execute(
        f"SELECT DISTINCT trim(CAST({q} AS VARCHAR)) FROM {_reader(path, True)} "
        f"WHERE TRY_CAST({q} AS SMALLINT) IS NULL AND trim({q}) <> '' LIMIT 100"
    ).fetchall()
    return any(_parses(v) for (v,) in values)


def _parses(label: str) -> bool:
    try:
        AgeGroup.parse(label)
    except ValueError:
        return False
    return True


def read_labels(
    con: duckdb.DuckDBPyConnection, path: Path, column: str
) -> dict[AgeGroup, tuple[str, int]]:
    """The age groups of a file's labels, each with the label and the row it first appears
    on; registers the table `ages` (label, lo, hi) of every label that parses, which the
    loader joins and the validation rule (`NOT_A_GROUP`) looks labels up in."""
    q = _quote(column)
    rows = con.execute(
        f"SELECT trim(CAST({q} AS VARCHAR)) AS label, min(_row) FROM (SELECT row_number() "
        f"OVER () AS _row, {q} FROM {_reader(path, True)}) WHERE {q} IS NOT NULL GROUP BY 1"
    ).fetchall()
    parsed: dict[str, AgeGroup] = {}
    found: dict[AgeGroup, tuple[str, int]] = {}
    for label, row in sorted(rows, key=lambda r: r[1]):
        try:
            group = parsed[label] = AgeGroup.parse(label)
        except ValueError:
            continue
        found.setdefault(group, (label, int(row)))
    con.register(
        "ages",
        pa.table(
            {
                "label": pa.array(list(parsed), pa.string()),
                "lo": pa.array([g.lo for g in parsed.values()], pa.int16()),
                "hi": pa.array([g.hi for g in parsed.values()], pa.int16()),
            }
        ),
    )
    return found


def age_columns(
    cols: dict[str, str], mapping: Mapping[str, str] | None, age_labels: bool, columns: list[str]
) -> dict[str, str]:
    """The source's age column: whole years (`age`) or age groups (`age_group`). A file
    with both uses its ages, as it always has, unless the mapping names its age groups;
    `age_labels` says that its `age` column holds labels."""
    grouped = AGE_GROUP in cols and ("age" not in cols or AGE_GROUP in (mapping or {}))
    if age_labels:
        cols[AGE_GROUP] = cols.pop("age")
    elif grouped:
        cols.pop("age", None)
    else:
        cols.pop(AGE_GROUP, None)
    if "age" not in cols and AGE_GROUP not in cols:
        raise ValueError(
            "source has no column for: age (whole years, or age groups in a column "
            f"{AGE_GROUP}) (columns: {', '.join(columns)})"
        )
    return cols


def stored_groups(con: duckdb.DuckDBPyConnection, files: Sequence[Path]) -> list[AgeGroup]:
    """The age groups of stored files of counts by age group."""
    paths = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
    rows = con.execute(f"SELECT DISTINCT age, {AGE_HI} FROM read_parquet([{paths}])").fetchall()
    return sorted(AgeGroup(int(lo), int(hi)) for lo, hi in rows)


def same_groups(
    path: Path, dataset: str, held: Sequence[AgeGroup] | None, given: Iterable[AgeGroup]
) -> None:
    """A file added to a dataset has its ages as its files have them (`held`: their age
    groups, None for whole years): a query's ages must follow one set of groups."""
    mine = sorted(given)
    if held is None or not mine:
        if (held is None) == (not mine):
            return
        kinds = ("age groups", "whole years") if held is not None else ("whole years", "groups")
        reason = (
            f"the dataset {dataset!r} holds ages in {kinds[0]} and this file has ages in "
            f"{kinds[1]}; load it into a dataset of its own, or replace the dataset's data"
        )
        raise LoadError(path, [RowError(0, AGE_GROUP if mine else "age", None, reason)], 1)
    if list(held) == mine:
        return
    reason = (
        f"the dataset {dataset!r} holds the age groups {label(held)} and this file has "
        f"{label(mine)}; give it the same groups, load it into a dataset of its own, or replace "
        "the dataset's data"
    )
    raise LoadError(path, [RowError(0, AGE_GROUP, None, reason)], 1)


def label(groups: Iterable[AgeGroup]) -> str:
    """The groups' labels, comma-separated ("none" for none)."""
    return ", ".join(g.label for g in groups) or "none"


def event_groups(source: Source, dataset: str) -> tuple[AgeGroup, ...]:
    """The age groups of a dataset of counts by age group; () for one of single years."""

    def read() -> tuple[AgeGroup, ...]:
        t = source.table(dataset)
        if AGE_HI not in t.columns:
            return ()
        found = source.execute(t.select("age", AGE_HI).distinct(), cache=True)
        pairs = zip(found["age"].to_pylist(), found[AGE_HI].to_pylist(), strict=True)
        return tuple(sorted(AgeGroup(int(lo), int(hi)) for lo, hi in pairs))

    source.table(dataset)  # binds the dataset's current version
    return source.derived(("age_groups", dataset, source.versions.get(dataset)), read)  # type: ignore[no-any-return]


def covers(population: Sequence[AgeGroup], lo: int, hi: int, what: str) -> None:
    """Refuse ages `lo`-`hi` that the population's groups don't reach, naming the gap."""
    have_lo, have_hi = population[0].lo, population[-1].hi
    gaps = []
    if lo < have_lo:
        gaps.append((lo, min(hi, have_lo - 1)))
    if hi > have_hi:
        gaps.append((max(lo, have_hi + 1), hi))
    if not gaps:
        return
    verb = "has" if len(gaps) == 1 and gaps[0][0] == gaps[0][1] else "have"
    raise ValueError(
        f"the population covers {ages_text(have_lo, have_hi)}; {what} needs {ages_text(lo, hi)}: "
        f"{' and '.join(ages_text(a, b) for a, b in gaps)} {verb} no population"
    )


def follow(bounds: Iterable[int], groups: Sequence[AgeGroup], what: str, whose: str) -> None:
    """Refuse age boundaries that cut through one of the data's groups, naming the group."""
    for b in bounds:
        group = straddling(groups, b)
        if group is not None:
            raise ValueError(
                f"{what} don't align with {whose} age groups: the group {group.label} "
                f"straddles the boundary between {b - 1} and {b} (its numbers can't be split "
                "there); choose ages that start and end where the groups do"
            )
