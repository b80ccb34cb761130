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

Each program looks inside p's region first: the branch of the area hierarchy p sits in (a
tract's neighborhood, then its district) with the branch's own top row held still, which
keeps every equation of the cube true at a fraction of its size; the program over the whole
cube runs when no region serves (`protection_lp.Confined`), and in the first pass also when
the region's change would hide new cells. Each program
is kept from one cell to the next: only p's bounds and the costs of newly hidden cells
change, so HiGHS re-solves from the previous basis.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from powershare.stats.cleanup import clean as clean_up
from powershare.stats.protection_lp import HIDDEN_COST, Confined, protected_ways
from powershare.stats.structure import Hierarchy, Structure

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
    moves = [_AxisMoves(axis) for axis in structure.axes]
    strides = np.array([int(np.prod(structure.shape[i + 1 :])) for i in range(len(moves))])
    # Inner cells first: their hypercubes are the smallest, and margins then reuse them.
    order = np.flatnonzero(primary)
    order = order[np.lexsort((values[order], structure.margin_order()[order]))]
    searched = programs = 0
    model: Confined | None = None
    witnesses: dict[tuple[int, bool], np.ndarray] = {}  # the changes that protect p, one way
    for cell in order:
        p = int(cell)
        coords = np.unravel_index(p, structure.shape)
        options = [m.of(int(c)) for m, c in zip(moves, coords, strict=True)]
        # Each change along p's own line: its cells, hidden or not, its price.
        lines = [
            _line(cells, int(p), int(c), int(stride))
            for (cells, _), c, stride in zip(options, coords, strides, strict=True)
        ]
        covered = [np.flatnonzero(_hidden_line(line, hidden)) for line in lines]
        if method == "lp":  # each way, unless an earlier change already moves p that far
            missing = [up for up in (True, False) if (int(p), up) not in witnesses]
        elif all(k.size for k in covered):  # hypercubes of hidden cells only
            found, _, _ = _best(options, covered, strides, values, hidden, cost, p, lower, upper)
            searched += 1
            if found is not None and found[1] == 0:
                continue
        if method != "lp":
            cheapest = [
                np.argsort(_line_price(line, hidden, cost), kind="stable")[:CHOICES]
                for line in lines
            ]
            found, picks, missing = _best(
                options, cheapest, strides, values, hidden, cost, p, lower, upper
            )
            searched += 1
            for cells in picks:
                hidden[cells] = True
        if missing:  # no hypercube moves p far enough: spread the change (linear program)
            if model is None:
                # A region's change is taken only when it hides nothing new: a region's
                # cheapest change is often dearer than one that reuses cells hidden elsewhere
                # (taking it anyway hid 7% more on the demo's cube with sex).
                model = Confined(structure, values, cost, free_regions=True)
            model.set_cost(np.flatnonzero(hidden), HIDDEN_COST)
            for up in missing:
                if (int(p), up) in witnesses:  # the change the other way serves this way too
                    continue
                change = model.try_solve(int(p), float(upper[p] if up else lower[p]), up)
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
        out.stats["in_regions"], out.stats["whole_cube"] = model.regional, model.whole
    return out


def _line(cells: np.ndarray, p: int, c: int, stride: int) -> np.ndarray:
    """The flat cells of each change along one axis, the other coordinates being p's."""
    return np.where(cells >= 0, p + (cells - c) * stride, -1)


def _hidden_line(line: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    return np.all((line < 0) | hidden[np.where(line >= 0, line, 0)], axis=1)


def _line_price(line: np.ndarray, hidden: np.ndarray, cost: np.ndarray) -> np.ndarray:
    at = np.where(line >= 0, line, 0)
    return np.where((line >= 0) & ~hidden[at], cost[at], 0.0).sum(axis=1)


def _best(
    options: list[tuple[np.ndarray, np.ndarray]],
    chosen: list[np.ndarray],
    strides: np.ndarray,
    values: np.ndarray,
    hidden: np.ndarray,
    cost: np.ndarray,
    p: int,
    lower: np.ndarray,
    upper: np.ndarray,
) -> tuple[tuple[int, float] | None, list[np.ndarray], list[bool]]:
    """The cheapest hypercube (or pair, one per direction) among the chosen changes, and
    the directions (True: up) that none of them can serve."""
    cells, signs = _hypercubes(
        [(c[k], s[k]) for (c, s), k in zip(options, chosen, strict=True)], strides
    )
    valid = cells >= 0
    at = np.where(valid, cells, 0)
    v = values[at]
    # Moving p up by `upper` takes its -1 cells down by as much; down by `lower`, the +1s.
    up_ok = np.all(~valid | (signs > 0) | (v >= upper[p]), axis=1) | (upper[p] <= 0)
    down_ok = np.all(~valid | (signs < 0) | (at == p) | (v >= lower[p]), axis=1) | (lower[p] <= 0)
    price = np.where(valid & ~hidden[at], cost[at], 0.0).sum(axis=1)
    both = np.where(up_ok & down_ok, price, np.inf)
    if np.isfinite(both.min()):
        k = int(np.argmin(both))
        return (k, float(both[k])), [cells[k][valid[k]]], []
    picks, missing = [], []
    for up, ok in ((True, up_ok), (False, down_ok)):
        each = np.where(ok, price, np.inf)
        if not np.isfinite(each.min()):
            missing.append(up)
            continue
        k = int(np.argmin(each))
        picks.append(cells[k][valid[k]])
    return None, picks, missing


class _AxisMoves:
    """The smallest changes along one hierarchy that keep its sums true, by code.

    Changing a leaf l by +1 changes l and each of its ancestors by +1; changing it against
    another leaf l' (l' by -1) cancels from their lowest common ancestor up. A change with
    code c non-zero starts from a leaf under c and either goes to the top or against a leaf
    elsewhere.
    """

    def __init__(self, axis: Hierarchy) -> None:
        self.parent = axis.parent
        n = len(axis.codes)
        has_child = np.zeros(n, dtype=bool)
        for p in axis.parent:
            if p >= 0:
                has_child[p] = True
        self.leaves = [i for i in range(n) if not has_child[i]]
        self.chains = {leaf: self._chain(leaf) for leaf in self.leaves}
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def _chain(self, i: int) -> list[int]:
        out = [i]
        while self.parent[out[-1]] >= 0:
            out.append(self.parent[out[-1]])
        return out

    def of(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """(cells, signs), each (options, longest), -1/0 padded; c has sign +1 in each."""
        if c in self._cache:
            return self._cache[c]
        under = [leaf for leaf in self.leaves if c in self.chains[leaf]]
        options: list[tuple[list[int], list[int]]] = []
        for leaf in under:
            up = self.chains[leaf]
            options.append((up, [1] * len(up)))
            for other in self.leaves:
                if other in under:
                    continue
                down = self.chains[other]
                common = set(up) & set(down)
                a = [i for i in up if i not in common]
                b = [i for i in down if i not in common]
                options.append((a + b, [1] * len(a) + [-1] * len(b)))
        width = max(len(o[0]) for o in options)
        cells = np.full((len(options), width), -1, dtype=np.int64)
        signs = np.zeros((len(options), width), dtype=np.int8)
        for k, (idx, sg) in enumerate(options):
            cells[k, : len(idx)] = idx
            signs[k, : len(sg)] = sg
        self._cache[c] = (cells, signs)
        return cells, signs


def _hypercubes(
    per_axis: list[tuple[np.ndarray, np.ndarray]], strides: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every product of one change per axis: flat cell indices (-1 padded) and signs."""
    d = len(per_axis)
    flat: np.ndarray = np.zeros((1,) * (2 * d), dtype=np.int64)
    sign: np.ndarray = np.ones((1,) * (2 * d), dtype=np.int8)
    valid: np.ndarray = np.ones((1,) * (2 * d), dtype=bool)
    for a, (cells, signs) in enumerate(per_axis):
        shape = [1] * (2 * d)
        shape[a], shape[d + a] = cells.shape
        flat = flat + np.where(cells >= 0, cells, 0).reshape(shape) * strides[a]
        sign = sign * signs.reshape(shape)
        valid = valid & (cells >= 0).reshape(shape)
    n_cubes = int(np.prod(flat.shape[:d]))
    flat = np.where(valid, flat, -1).reshape(n_cubes, -1)
    return flat, sign.reshape(n_cubes, -1)
