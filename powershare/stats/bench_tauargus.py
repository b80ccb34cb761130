"""Against τ-Argus: `python -m powershare.stats.bench_tauargus` (in `make bench`).

τ-Argus is the statistical offices' own tool for complementary suppression (Statistics
Netherlands; here the `pytauargus` build of its engine, with HiGHS). Both protect the same
cubes: the same cells, the same sensitive ones (counts from 1 to min_count - 1) and the same
protection levels (`protect.protection_levels`, given to τ-Argus as a-priori "PL" lines),
with the area's hierarchy as a τ-Argus hierarchy file. For each cube the bench prints the
cells each method hides beyond the sensitive ones, its seconds, and how many sensitive cells
an attacker can narrow below their protection (`attack.intervals`, on both patterns: 0 is
right).

The cubes: random cubes (Poisson counts, tracts under neighborhoods, 5 x 5 strata), and the
demo-sized county's release cube (asthma ED visits 2020-2024, neighborhoods and above).
τ-Argus runs in a process of its own with a time limit, so a crash or a long run is
reported, not fatal.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .attack import Knowledge, intervals
from .protect import Hierarchy, Structure, protect, protection_levels

MIN_COUNT = 11
LIMIT = int(os.environ.get("TAUARGUS_LIMIT", "300"))  # seconds τ-Argus may take on a cube
STRATA = ("race", "sex", "age_group")
ROOT = str(Path(__file__).resolve().parents[2])


@dataclass
class Outcome:
    hidden: np.ndarray | None
    seconds: float
    note: str = ""


def random_cube(groups: list[int], lam: float, seed: int) -> tuple[Structure, np.ndarray]:
    """Poisson counts over tracts (in `groups` of neighborhoods) x 5 races x 5 age groups,
    with every margin."""
    codes: list[str] = []
    parent: list[int] = []
    leaves = sum(groups)
    for g, size in enumerate(groups):
        for _ in range(size):
            codes.append(f"t{len(codes)}")
            parent.append(leaves + g)
    codes += [f"n{g}" for g in range(len(groups))] + ["county"]
    parent += [leaves + len(groups)] * len(groups) + [-1]
    axes = (
        Hierarchy("area", tuple(codes), tuple(parent)),
        Hierarchy.flat("race", [f"r{i}" for i in range(5)], "total"),
        Hierarchy.flat("age", [f"a{i}" for i in range(5)], "total"),
    )
    inner = np.random.default_rng(seed).poisson(lam, size=(leaves, 5, 5)).astype(float)
    return Structure(axes), _with_margins(Structure(axes), inner)


def _with_margins(structure: Structure, inner: np.ndarray) -> np.ndarray:
    """Every cell of the cube from its inner cells (leaves of every axis)."""
    return np.asarray(structure.membership() @ inner.ravel())


def _leaves(axis: Hierarchy) -> list[int]:
    parents = set(axis.parent)
    return [i for i in range(len(axis.codes)) if i not in parents]


def tau_argus(
    structure: Structure, values: np.ndarray, primary: np.ndarray, width: int, work: Path
) -> Outcome:
    """τ-Argus's modular method on the cube, in a process of its own."""
    np.savez(
        work / "cube.npz",
        values=values,
        primary=primary,
        width=width,
        parents=np.concatenate([a.parent for a in structure.axes]),
        sizes=np.array([len(a.parent) for a in structure.axes]),
    )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "powershare.stats.bench_tauargus", "--child", str(work)],
            capture_output=True,
            text=True,
            timeout=LIMIT,
            cwd=work,  # τ-Argus leaves its logs and work files in the current directory
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])),
            },
        )
    except subprocess.TimeoutExpired:
        return Outcome(None, LIMIT, f"not done in {LIMIT} s")
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1][:60]
        return Outcome(None, 0.0, f"ended with code {done.returncode}: {last}")
    with np.load(work / "pattern.npz") as f:
        return Outcome(f["hidden"], float(f["seconds"]))


def _child(work: Path) -> None:
    """Write the cube as τ-Argus microdata, hierarchy and a-priori files; run its batch."""
    from pytauargus.arb import micro_arb
    from pytauargus.engine import run_batch
    from pytauargus.micro import micro_asc_rda
    from pytauargus.result import parse_simple_tab

    with np.load(work / "cube.npz") as f:
        values, primary, width = f["values"], f["primary"], int(f["width"])
        ends = np.cumsum(f["sizes"])
        parents = [tuple(int(p) for p in part) for part in np.split(f["parents"], ends[:-1])]
    axes = tuple(
        Hierarchy(f"v{i}", tuple(f"c{j:04d}" for j in range(len(p))), p)
        for i, p in enumerate(parents)
    )
    structure = Structure(axes)
    names = [a.name for a in axes]
    cells = values.reshape(structure.shape)
    leaves = [_leaves(a) for a in axes]
    inner = cells[np.ix_(*leaves)]

    def code(axis: Hierarchy, j: int) -> str:
        return "Total" if axis.parent[j] < 0 else axis.codes[j]

    # One record per event, in its leaf cell of every axis.
    records: dict[str, list] = {n: [] for n in (*names, "one")}
    for at in np.argwhere(inner > 0):
        n = int(inner[tuple(at)])
        for axis, leaf, k in zip(axes, leaves, at, strict=True):
            records[axis.name] += [code(axis, leaf[k])] * n
        records["one"] += [1] * n
    hrc = {}
    for axis in axes:
        root = axis.parent.index(-1)
        if any(p not in (-1, root) for p in axis.parent):  # more than one level
            hrc[axis.name] = str(work / f"{axis.name}.hrc")
            (work / f"{axis.name}.hrc").write_text("\n".join(_hrc_lines(axis, root, 0)) + "\n")
    micro_asc_rda(
        records,
        asc_filename=str(work / "cube.asc"),
        rda_filename=str(work / "cube.rda"),
        hrc=hrc or None,
        totcode="Total",
    )
    lower, upper = protection_levels(values, width)
    lines = []
    for flat in np.flatnonzero(primary):
        place = np.unravel_index(flat, structure.shape)
        where = ",".join(code(a, int(j)) for a, j in zip(axes, place, strict=True))
        lines.append(f"{where},PL,{lower[flat]:g},{upper[flat]:g}")
    # The a-priori reader checks its first line as one holding a single number: a cost.
    lines.insert(0, lines[0].rsplit(",PL,", 1)[0] + ",C,1")
    (work / "levels.hst").write_text("\n".join(lines) + "\n")
    micro_arb(
        arb_filename=str(work / "batch.arb"),
        asc_filename=str(work / "cube.asc"),
        rda_filename=str(work / "cube.rda"),
        explanatory_vars=[names],
        response_var="one",
        safety_rules=f"FREQ({width + 1},10)",
        suppress="MOD(1)",
        output_names=[str(work / "pattern.tab")],
        output_type="5",
        output_options="SO+",
        apriori=[str(work / "levels.hst")],
    )
    started = time.perf_counter()
    run_batch(str(work / "batch.arb"))
    seconds = time.perf_counter() - started
    index = [{code(a, j): j for j in range(len(a.codes))} for a in axes]
    hidden = np.zeros(structure.size, dtype=bool)
    for row in parse_simple_tab(work / "pattern.tab", names, "one"):
        cell = tuple(ix[str(row[n]).strip()] for ix, n in zip(index, names, strict=True))
        hidden[np.ravel_multi_index(cell, structure.shape)] = row["status"] in ("U", "M")
    np.savez(work / "pattern.npz", hidden=hidden, seconds=seconds)


def _hrc_lines(axis: Hierarchy, node: int, depth: int) -> list[str]:
    """τ-Argus's hierarchy file: each code under its parent, one "@" deeper."""
    out = []
    for j, p in enumerate(axis.parent):
        if p == node:
            out.append("@" * depth + axis.codes[j])
            out += _hrc_lines(axis, j, depth + 1)
    return out


def under_protected(
    structure: Structure, values: np.ndarray, hidden: np.ndarray, primary: np.ndarray, width: int
) -> int:
    """Sensitive cells an attacker who sees the rest narrows to fewer than width + 1 values."""
    atoms = structure.membership()
    shown = ~hidden
    low, high = intervals(
        Knowledge(atoms[shown], values[shown], values[shown]), atoms[np.flatnonzero(primary)]
    )
    return int((high - low < width - 1e-6).sum())


def compare(label: str, structure: Structure, values: np.ndarray) -> dict:
    width = MIN_COUNT - 1
    primary = (values > 0) & (values < MIN_COUNT)
    ours = protect(structure, values, primary, width)
    with tempfile.TemporaryDirectory(prefix="tauargus-") as work:
        theirs = tau_argus(structure, values, primary, width, Path(work))
    row = {
        "cube": label,
        "cells": structure.size,
        "sensitive": int(primary.sum()),
        "ours": ours.secondary,
        "ours_s": ours.seconds,
        "ours_open": under_protected(structure, values, ours.hidden, primary, width),
        "theirs": None,
        "theirs_s": theirs.seconds,
        "theirs_open": None,
        "note": theirs.note,
    }
    if theirs.hidden is not None:
        row["theirs"] = int((theirs.hidden & ~primary).sum())
        row["theirs_open"] = under_protected(structure, values, theirs.hidden, primary, width)
    return row


def demo_cube(
    cache: Path, levels: tuple[str, ...] | None, strata: tuple[str, ...] = ("race", "age_group")
) -> tuple[Structure, np.ndarray]:
    """The demo-sized county's release cube of asthma ED visits, 2020-2024: `levels` (None:
    tracts and every level they nest in) x `strata`."""
    from .bench_release import POLICY, _store
    from .engine import Source
    from .geography import load_current
    from .measures import DEFAULT_MEASURES
    from .release import cube

    store = _store(cache)
    c = cube(
        store,
        DEFAULT_MEASURES["asthma_ed"],
        (2020, 2024),
        replace(POLICY, protection="lp", allowed_levels=levels, release_strata=strata),
        Source.duckdb(store),
        load_current(store),
    )
    return c.structure, c.values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", default=".bench-data")
    parser.add_argument(
        "--large",
        action="store_true",
        help="also the demo county's cubes with sex, and with tracts (minutes each)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(Path(args.child))
        return 0
    from importlib.metadata import version

    cubes = [(f"random, seed {s}", *random_cube([4, 4, 4, 4], 15.0, s)) for s in (1, 2, 3)]
    cubes.append(("random, 48 tracts", *random_cube([8] * 6, 15.0, 1)))
    neighborhoods = ("neighborhood", "council_district", "county")
    cubes.append(("demo, neighborhoods+", *demo_cube(Path(args.cache), neighborhoods)))
    if args.large:
        cubes.append(
            ("demo, neighborhoods+, with sex", *demo_cube(Path(args.cache), neighborhoods, STRATA))
        )
        cubes.append(("demo, tracts+", *demo_cube(Path(args.cache), None)))
    print(
        f"\nAgainst τ-Argus (pytauargus {version('pytauargus')}, modular method): cells hidden "
        f"beyond the sensitive ones, seconds, sensitive cells left under-protected"
    )
    print(
        f"{'cube':<30}{'cells':>7}{'sensitive':>10}{'ours':>7}{'s':>7}{'open':>6}"
        f"{'τ-Argus':>9}{'s':>7}{'open':>6}{'ours vs τ-Argus':>17}"
    )
    failed = False
    for label, structure, values in cubes:
        r = compare(label, structure, values)
        failed |= r["ours_open"] > 0
        if r["theirs"] is None:
            theirs, more = f"{r['note']:>22}", ""
        else:
            theirs = f"{r['theirs']:>9}{r['theirs_s']:>7.2f}{r['theirs_open']:>6}"
            more = f"{(r['ours'] - r['theirs']) / max(1, r['theirs']):>+17.1%}"
        print(
            f"{r['cube']:<30}{r['cells']:>7,}{r['sensitive']:>10}{r['ours']:>7}"
            f"{r['ours_s']:>7.2f}{r['ours_open']:>6}{theirs}{more}",
            flush=True,
        )
    return 3 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
