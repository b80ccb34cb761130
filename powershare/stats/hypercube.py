"""Hypercubes: the smallest changes of a cube that keep every equation true.

One change per axis (a cell against a sibling, a cousin, or up to the total), multiplied
out, gives 2^d or more cells whose signs alternate: moving them together by the same amount
keeps every sum of the cube. τ-Argus's GHMITER hides such hypercubes; `protect` searches
them for each sensitive cell, and the clean-up takes one made of hidden cells only as a
witness before it runs a linear program.
"""

from __future__ import annotations

import numpy as np

from powershare.stats.structure import Hierarchy, Structure


class Hypercubes:
    """The hypercubes around each cell of one cube, and which of them protect it."""

    def __init__(
        self, structure: Structure, values: np.ndarray, lower: np.ndarray, upper: np.ndarray
    ) -> None:
        self.structure = structure
        self.values, self.lower, self.upper = values, lower, upper
        self.moves = [_AxisMoves(axis) for axis in structure.axes]
        shape = structure.shape
        self.strides = np.array([int(np.prod(shape[i + 1 :])) for i in range(len(shape))])

    def around(self, p: int) -> tuple[list[tuple[np.ndarray, np.ndarray]], list[np.ndarray]]:
        """Per axis, the changes through p's code (cells, signs), and the flat cells of each
        along p's own line."""
        coords = np.unravel_index(p, self.structure.shape)
        options = [m.of(int(c)) for m, c in zip(self.moves, coords, strict=True)]
        lines = [
            _line(cells, p, int(c), int(stride))
            for (cells, _), c, stride in zip(options, coords, self.strides, strict=True)
        ]
        return options, lines

    def hidden_change(self, p: int, up: bool, hidden: np.ndarray) -> np.ndarray | None:
        """A change of hidden cells only, one hypercube, that moves p by its protection
        that way without taking a cell below zero; None when there is none. (Its lines
        through p hidden is not enough: the cells off p's lines must be hidden too.)"""
        options, lines = self.around(p)
        covered = [np.flatnonzero(_hidden_line(line, hidden)) for line in lines]
        if not all(k.size for k in covered):
            return None
        cells, signs = _hypercubes(
            [(c[k], s[k]) for (c, s), k in zip(options, covered, strict=True)], self.strides
        )
        valid = cells >= 0
        at = np.where(valid, cells, 0)
        need = self.upper[p] if up else self.lower[p]
        ok = _room(valid, at, signs, self.values, p, need, up) & np.all(~valid | hidden[at], axis=1)
        if not ok.any():
            return None
        k = int(np.argmax(ok))
        change = np.zeros(self.values.size)
        change[cells[k][valid[k]]] = signs[k][valid[k]] * (need if up else -need)
        return change

    def best(
        self,
        options: list[tuple[np.ndarray, np.ndarray]],
        chosen: list[np.ndarray],
        hidden: np.ndarray,
        cost: np.ndarray,
        p: int,
    ) -> tuple[tuple[int, float] | None, list[np.ndarray], list[bool]]:
        return _best(
            options, chosen, self.strides, self.values, hidden, cost, p, self.lower, self.upper
        )


def _line(cells: np.ndarray, p: int, c: int, stride: int) -> np.ndarray:
    """The flat cells of each change along one axis, the other coordinates being p's."""
    return np.where(cells >= 0, p + (cells - c) * stride, -1)


def _hidden_line(line: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    return np.all((line < 0) | hidden[np.where(line >= 0, line, 0)], axis=1)


def _line_price(line: np.ndarray, hidden: np.ndarray, cost: np.ndarray) -> np.ndarray:
    at = np.where(line >= 0, line, 0)
    return np.where((line >= 0) & ~hidden[at], cost[at], 0.0).sum(axis=1)


def _room(
    valid: np.ndarray,
    at: np.ndarray,
    signs: np.ndarray,
    values: np.ndarray,
    p: int,
    need: float,
    up: bool,
) -> np.ndarray:
    """Per hypercube, whether moving p by `need` that way takes none of its cells below
    zero: moving p up takes its -1 cells down by as much; down, its +1 cells (p's own
    value always has room for its protection)."""
    falls = ((signs < 0) if up else (signs > 0)) & (at != p)
    return np.all(~valid | ~falls | (values[at] >= need), axis=1) | (need <= 0)


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
    up_ok = _room(valid, at, signs, values, p, upper[p], True)
    down_ok = _room(valid, at, signs, values, p, lower[p], False)
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
