"""Complementary suppression over a whole hierarchical cube, on the HiGHS LP solver.

A cube is the product of hierarchies (area: tract -> neighborhood -> district -> county;
race, sex and age: their values under a total). Every cell, margins included, is one
number, and every "parent = sum of its children" along one axis, for every combination of
the other axes' cells, is an equation an attacker can use. All of them are protected at
once: that is what makes a fixed release safe against subtraction across its tables.

The method is the classic one of Fischetti and Salazar-González's linear relaxation, as
statistical offices run it cell by cell (τ-Argus's "optimal" and "modular" methods use the
same sub-problem): for each sensitive cell p, in order, and for each direction, find the
cheapest change of the cube's cells that keeps every equation true, moves p up by its upper
protection level (or down by its lower one), and never takes a cell below zero. The cells
that change are hidden. Cells already hidden cost (almost) nothing, so later cells reuse
earlier patterns. Once every sensitive cell has had its two programs, an attacker who sees
the shown cells and knows every equation can place each sensitive cell anywhere in an
interval at least `lower + upper` wide (`powershare.stats.audit` checks this independently).

A change that moves p is looked for first among hypercubes of cells already hidden (no
program needed), then put together from the small programs of the cube's subtables along
its area hierarchy (`powershare.stats.subtables`), and over the whole cube only when the
pieces don't fit (`protection_lp.Confined`). Each program is kept from one cell to the
next: only bounds and costs change, so HiGHS re-solves from the previous basis.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from powershare.stats.cleanup import clean as clean_up
from powershare.stats.hypercube import Hypercubes, _hidden_line, _line_price
from powershare.stats.protection_lp import HIDDEN_COST, Confined, protected_ways
from powershare.stats.structure import Hierarchy, Structure
from powershare.stats.subtables import Subtables
from powershare.stats.subtables import programs as programs_for

__all__ = ["Hierarchy", "Protection", "Structure", "default_cost", "protect", "protection_levels"]


def protection_levels(values: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper protection of each cell: an interval `width` wide that never goes
    below zero (a count of 3 under width 10: down 3, up 7)."""
    lower = np.minimum(values, np.ceil(width / 2))
    return lower, width - lower


@dataclass
class Protection:
    """The hidden cells (primary and secondary), and what it took to find them."""

    hidden: np.ndarray
    primary: np.ndarray
    seconds: float
    programs: int
    stats: dict[str, float] = field(default_factory=dict)

    @property
    def secondary(self) -> int:
        return int((self.hidden & ~self.primary).sum())


def default_cost(structure: Structure, values: np.ndarray) -> np.ndarray:
    """Hide as few cells as possible, inner cells long before margins, small before large."""
    order = structure.margin_order().astype(float)
    return (1.0 + order) ** 2 * (1.0 + np.log1p(values))


#: Per axis, how many of the cheapest changes (judged along p's own line) to combine.
CHOICES = 6


def protect(
    structure: Structure,
    values: np.ndarray,
    primary: np.ndarray,
    width: int,
    cost: np.ndarray | None = None,
    method: str = "lp",
    clean: bool = True,
) -> Protection:
    """Hide `primary` cells and enough others that each keeps an interval `width` wide.

    For each sensitive cell p, inner cells first, the method looks for the cheapest
    *hypercube*: one change per axis (p against a sibling, a cousin, or up to the total),
    multiplied out into the 2^d-or-more cells that change together. It must be able to move
    p up by its upper protection level and down by its lower one without taking any of its
    cells below zero (one hypercube each way when no single one serves); its cells are
    hidden. Where no hypercube can move p far enough (p's fellow cells are all small), the
    linear program spreads the change over several cells. A cell already protected by hidden
    cells costs nothing more. With `clean`, a last pass shows again the secondary cells that
    later patterns made unneeded (`powershare.stats.cleanup`).
    """
    started = time.perf_counter()
    values = np.asarray(values, dtype=float).ravel()
    primary = np.asarray(primary, dtype=bool).ravel()
    n = structure.size
    if values.size != n or primary.size != n:
        raise ValueError(f"the cube has {n} cells; got {values.size} values, {primary.size} flags")
    if (values < 0).any():
        raise ValueError("cell values must not be negative")
    hidden = primary.copy()
    if not primary.any() or width <= 0:
        return Protection(hidden, primary, time.perf_counter() - started, 0)
    cost = default_cost(structure, values) if cost is None else np.asarray(cost, float)
    lower, upper = protection_levels(values, width)
    cubes = Hypercubes(structure, values, lower, upper)
    # Inner cells first: their hypercubes are the smallest, and margins then reuse them.
    order = np.flatnonzero(primary)
    order = order[np.lexsort((values[order], structure.margin_order()[order]))]
    searched = programs = 0
    model: Confined | Subtables | None = None
    witnesses: dict[tuple[int, bool], np.ndarray] = {}  # the changes that protect p, one way
    for cell in order:
        p = int(cell)
        if method == "lp":  # each way, unless an earlier change already moves p that far
            missing = [up for up in (True, False) if (p, up) not in witnesses]
            for up in list(missing):  # or a hypercube of hidden cells does
                change = cubes.hidden_change(p, up, hidden)
                if change is not None:
                    missing.remove(up)
                    cells = np.flatnonzero(change)
                    for key in protected_ways(change, cells, values, primary, lower, upper):
                        witnesses.setdefault(key, cells)
        else:
            options, lines = cubes.around(p)
            # Each change along p's own line: its cells, hidden or not, its price.
            covered = [np.flatnonzero(_hidden_line(line, hidden)) for line in lines]
            if all(k.size for k in covered):  # hypercubes of hidden cells only
                found, _, _ = cubes.best(options, covered, hidden, cost, p)
                searched += 1
                if found is not None and found[1] == 0:
                    continue
            cheapest = [
                np.argsort(_line_price(line, hidden, cost), kind="stable")[:CHOICES]
                for line in lines
            ]
            found, picks, missing = cubes.best(options, cheapest, hidden, cost, p)
            searched += 1
            for cells in picks:
                hidden[cells] = True
        if missing:  # no hypercube moves p far enough: spread the change (linear program)
            if model is None:
                model = programs_for(structure, values, cost)
            model.set_cost(np.flatnonzero(hidden), HIDDEN_COST)
            for up in missing:
                if (int(p), up) in witnesses:  # the change the other way serves this way too
                    continue
                change = model.try_solve(p, float(upper[p] if up else lower[p]), up)
                if change is None:
                    raise RuntimeError(f"protection program for cell {p} is infeasible")
                programs += 1
                cells = np.flatnonzero(np.abs(change) > 1e-6)
                hidden[cells] = True
                for key in protected_ways(change, cells, values, primary, lower, upper):
                    witnesses.setdefault(key, cells)
    found_secondary = int((hidden & ~primary).sum())
    if clean and hidden.sum() > primary.sum():
        hidden, checks = clean_up(structure, values, hidden, primary, lower, upper, cost, witnesses)
        programs += checks
    seconds = time.perf_counter() - started
    out = Protection(hidden, primary, seconds, searched)
    out.stats["programs"] = programs
    out.stats["before_clean_up"] = found_secondary
    if model is not None:
        out.stats["whole_cube"] = model.whole
    if isinstance(model, Subtables):
        out.stats["subtables"] = model.pieces
    return out
