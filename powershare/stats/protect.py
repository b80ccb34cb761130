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

The programs share one model: only p's bounds and the costs of newly hidden cells change
from one to the next, so HiGHS re-solves from the previous basis.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse



@dataclass(frozen=True)
class Hierarchy:
    """One axis of a cube: its codes, and each code's parent (-1 for the root)."""

    name: str
    codes: tuple[str, ...]
    parent: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.codes) != len(self.parent):
            raise ValueError(f"axis {self.name}: one parent per code")
        if len(set(self.codes)) != len(self.codes):
            raise ValueError(f"axis {self.name}: codes repeat")
        for i, p in enumerate(self.parent):
            if not -1 <= p < len(self.codes) or p == i:
                raise ValueError(f"axis {self.name}: bad parent {p} of {self.codes[i]!r}")

    @classmethod
    def flat(cls, name: str, codes: Sequence[str], total: str) -> Hierarchy:
        """Values under one total (the total last)."""
        n = len(codes)
        return cls(name, (*codes, total), (*([n] * n), -1))

    def lines(self) -> sparse.csr_matrix:
        """One row per parent with children: +1 per child, -1 for the parent."""
        children: dict[int, list[int]] = {}
        for i, p in enumerate(self.parent):
            if p >= 0:
                children.setdefault(p, []).append(i)
        rows, cols, vals = [], [], []
        for r, (p, kids) in enumerate(sorted(children.items())):
            rows += [r] * (len(kids) + 1)
            cols += [*kids, p]
            vals += [1.0] * len(kids) + [-1.0]
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(children), len(self.codes)))

    def membership(self) -> sparse.csr_matrix:
        """codes x leaves: 1 where the leaf lies under (or is) the code."""
        has_child = set(p for p in self.parent if p >= 0)
        leaves = [i for i in range(len(self.codes)) if i not in has_child]
        rows, cols = [], []
        for k, leaf in enumerate(leaves):
            j = leaf
            while j >= 0:
                rows.append(j)
                cols.append(k)
                j = self.parent[j]
        data = np.ones(len(rows))
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(self.codes), len(leaves)))

    def depth(self) -> np.ndarray:
        """How many levels below the root each code sits (the root: 0)."""
        out = np.zeros(len(self.codes), dtype=np.int64)
        for i in range(len(self.codes)):
            j = i
            while self.parent[j] >= 0:
                out[i] += 1
                j = self.parent[j]
        return out


@dataclass(frozen=True)
class Structure:
    """The product of hierarchies: shape, and every additive equation of the cube."""

    axes: tuple[Hierarchy, ...]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a.codes) for a in self.axes)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    def equations(self) -> sparse.csr_matrix:
        """Rows: each axis's lines, for every combination of the other axes' cells (C order)."""
        blocks = []
        for i, axis in enumerate(self.axes):
            m: sparse.spmatrix = sparse.identity(1, format="csr")
            for j, other in enumerate(self.axes):
                part = axis.lines() if i == j else sparse.identity(len(other.codes), format="csr")
                m = sparse.kron(m, part, format="csr")
            blocks.append(m)
        return sparse.vstack(blocks, format="csr")

    def membership(self) -> sparse.csr_matrix:
        """cells x atoms (the cells made of leaves only): which atoms each cell adds up."""
        m: sparse.spmatrix = sparse.identity(1, format="csr")
        for axis in self.axes:
            m = sparse.kron(m, axis.membership(), format="csr")
        return sparse.csr_matrix(m)

    def margin_order(self) -> np.ndarray:
        """Per cell, how close it is to the grand total (0: an inner cell)."""
        depths = [a.depth() for a in self.axes]
        top = [d.max() - d for d in depths]
        grid = np.meshgrid(*top, indexing="ij")
        return np.sum(grid, axis=0).ravel()


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
    """Hide as few cells as possible, inner cells before margins, small before large."""
    order = structure.margin_order().astype(float)
    return 1.0 + 0.5 * order + 0.05 * np.log1p(values)


def protect(
    structure: Structure,
    values: np.ndarray,
    primary: np.ndarray,
    width: int,
    cost: np.ndarray | None = None,
) -> Protection:
    """Hide `primary` cells and enough others that each keeps an interval `width` wide."""
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
    cubes = 0
    for p in order:
        coords = np.unravel_index(int(p), structure.shape)
        cells, signs = _hypercubes([m.of(int(c)) for m, c in zip(moves, coords, strict=True)], strides)
        cubes += cells.shape[0]
        valid = cells >= 0
        at = np.where(valid, cells, 0)
        v = values[at]
        # Moving p up by `upper` takes its -1 cells down by as much; down by `lower`, the +1s.
        up_ok = np.all(~valid | (signs > 0) | (v >= upper[p]), axis=1)
        down_ok = np.all(~valid | (signs < 0) | (at == p) | (v >= lower[p]), axis=1)
        price = np.where(valid & ~hidden[at], cost[at], 0.0).sum(axis=1)
        both = np.where(up_ok & down_ok, price, np.inf)
        picks = [int(np.argmin(both))] if np.isfinite(both.min()) else []
        if not picks:  # one hypercube for each direction (the chain to the top always works)
            picks = [int(np.argmin(np.where(ok, price, np.inf))) for ok in (up_ok, down_ok)]
        for k in picks:
            hidden[cells[k][valid[k]]] = True
    seconds = time.perf_counter() - started
    return Protection(hidden, primary, seconds, cubes)


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
        # Pair leaves only under a common parent below the root (in a deep tree, siblings
        # and cousins); in a flat one, any two values.
        self.reach = 1 if max(len(c) for c in self.chains.values()) <= 2 else 2

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
                if len(common) < self.reach:
                    continue  # far apart: their change reaches up to the totals anyway
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
