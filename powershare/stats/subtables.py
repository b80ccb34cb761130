"""Protection programs assembled from small subtables, as τ-Argus's modular method cuts a
hierarchical table.

Along the cube's area hierarchy every code with children makes a *subtable*: its own row
and its children's rows, by every value of the other axes. Each equation of the cube lies
inside some subtable (a parent's row against its children's rows in that parent's table, a
row's own totals in each table the row is in), and two subtables share at most one row. So
a change of the whole cube can be put together from changes of subtables: a subtable's
program moves the sensitive cell, the rows it shares with its neighbours are then held at
the change it gave them while each neighbour's program finds the rest, and so on outward
until no shared row moves. Each program has a few hundred cells where the whole cube has
thousands, and every change put together keeps every equation of the cube true (checked
before it is used), so the protection it gives is exact, not modular's approximation.

Where the pieces can't be fitted together (a neighbour's program is infeasible given the
shared row), the program over the whole cube (`protection_lp.Confined`) answers.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

from powershare.stats.protection_lp import HIDDEN_COST, Confined, Program
from powershare.stats.structure import Structure

#: Changes smaller than this are no change (the solver's own noise).
TINY = 1e-9


def programs(
    structure: Structure, values: np.ndarray, cost: np.ndarray, allowed: np.ndarray | None = None
) -> Confined | Subtables:
    """The protection programs for this cube: subtable by subtable along its area hierarchy
    when it has one, else over the whole cube (`allowed`: the clean-up's hidden cells)."""
    if structure.region_axis is not None:
        return Subtables(structure, values, cost, allowed)
    return Confined(structure, values, cost, allowed)


class Subtables:
    """Protection programs over a cube with an area hierarchy, solved subtable by subtable.

    Same interface as `Confined`: `set_cost`, `restrict` and `release` keep costs and held
    cells for every later program; `try_solve` gives a change of every cell of the cube
    that keeps every equation true, takes no cell below zero and moves p by `need` (or
    None when none can). `allowed` limits the cells that may change at all (the clean-up:
    hidden cells only).

    For p in a row with a parent, the parent's subtable is solved first with the parent's
    row held still (the change stays in p's branch); when that hides cells not yet hidden,
    the same subtable is solved again with the parent's row free, the parent's change then
    carried up the hierarchy, and the cheaper of the two is taken.
    """

    def __init__(
        self,
        structure: Structure,
        values: np.ndarray,
        cost: np.ndarray,
        allowed: np.ndarray | None = None,
    ) -> None:
        k = structure.region_axis
        if k is None:
            raise ValueError("this cube has no area hierarchy to cut into subtables")
        self.structure = structure
        self.values = values
        # Where only hidden cells may change, every change hides nothing new: the first
        # that can be put together serves.
        self.compare = allowed is None
        self.cost = np.asarray(cost, dtype=float).copy()
        self.allowed = np.ones(values.size, bool) if allowed is None else allowed.copy()
        self.still = np.zeros(values.size, dtype=bool)
        self.parent = np.asarray(structure.axes[k].parent)
        self.children: dict[int, list[int]] = {}
        for code, up in enumerate(self.parent):
            if up >= 0:
                self.children.setdefault(int(up), []).append(code)
        self.row = np.unravel_index(np.arange(values.size), structure.shape)[k]
        order = np.argsort(self.row, kind="stable")
        bounds = np.searchsorted(self.row[order], np.arange(len(self.parent) + 1))
        #: Per area code, the flat cells of its row (in flat order).
        self.rows = [order[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        self.equations = structure.equations()
        self._tables: dict[int, _Table] = {}
        self._whole: Confined | None = None
        self.pieces = self.whole = 0  # subtable programs run; whole-cube programs run

    def set_cost(self, cells: np.ndarray, value: float) -> None:
        self.cost[cells] = value
        if self._whole is not None:
            self._whole.set_cost(cells, value)

    def restrict(self, cells: np.ndarray) -> None:
        self.still[cells] = True
        if self._whole is not None:
            self._whole.restrict(cells)

    def release(self, cells: np.ndarray) -> None:
        self.still[cells] = False
        if self._whole is not None:
            self._whole.release(cells)

    def try_solve(self, p: int, need: float, up: bool) -> np.ndarray | None:
        """The cheapest change put together from subtables that moves p by `need` that way;
        the whole cube's program when none can be put together."""
        x = int(self.row[p])
        top = int(self.parent[x])
        if top < 0:  # p's row is the root's: its subtable has nothing above it
            found = [self._outward(x, p, need, up, top_free=True)]
        else:
            held = self._outward(top, p, need, up, top_free=False)
            found = [held]
            if held is None or (self.compare and self._new_cost(held) > 0):
                found.append(self._outward(top, p, need, up, top_free=True))
        changes = [c for c in found if c is not None and self._holds(c)]
        if changes:
            return min(changes, key=self._new_cost)
        return self._whole_cube().try_solve(p, need, up)

    def _new_cost(self, change: np.ndarray) -> float:
        moved = np.abs(change) > TINY
        return float(self.cost[moved & (self.cost > HIDDEN_COST)].sum())

    def _holds(self, change: np.ndarray) -> bool:
        """Every equation of the cube true, no cell below zero, only cells that may move."""
        moved = np.abs(change) > TINY
        return bool(
            np.abs(self.equations @ change).max(initial=0.0) < 1e-6
            and (self.values + change >= -1e-6).all()
            and not (moved & (~self.allowed | self.still)).any()
        )

    def _outward(
        self, start: int, p: int, need: float, up: bool, top_free: bool
    ) -> np.ndarray | None:
        """p's change from `start`'s subtable, carried into every subtable whose shared row
        it moves: down into the children's, and (with `top_free`) up the hierarchy."""
        change = np.zeros(self.values.size)
        fixed = {} if top_free else {start: np.zeros(self.rows[start].size)}
        moved = self._piece(start, fixed, change, p=p, need=need, up=up)
        if moved is None or not self._down(start, change, skip=-1):
            return None
        came_from = start
        table = int(self.parent[start])
        while top_free and table >= 0 and np.abs(change[self.rows[came_from]]).max() > TINY:
            held = {came_from: change[self.rows[came_from]]}
            # The parent's own row held still if it can be, else free (and carried further).
            top_still = {**held, table: np.zeros(self.rows[table].size)}
            if self._piece(table, top_still, change) is None:
                if self._piece(table, held, change) is None:
                    return None
            if not self._down(table, change, skip=came_from):
                return None
            came_from, table = table, int(self.parent[table])
        return change

    def _down(self, table: int, change: np.ndarray, skip: int) -> bool:
        """Carry the change of each child row of `table` (but `skip`) into its own subtable,
        and on down; False when some subtable can't take it."""
        for child in self.children.get(table, []):
            if child == skip or child not in self.children:
                continue
            shared = change[self.rows[child]]
            if np.abs(shared).max() <= TINY:
                continue
            if self._piece(child, {child: shared}, change) is None:
                return False
            if not self._down(child, change, skip=-1):
                return False
        return True

    def _piece(
        self,
        code: int,
        fixed: dict[int, np.ndarray],
        change: np.ndarray,
        p: int = -1,
        need: float = 0.0,
        up: bool = True,
    ) -> np.ndarray | None:
        """Solve `code`'s subtable with the rows in `fixed` held at those changes; its
        change is written into `change` (the rows it shares already agree)."""
        table = self._tables.get(code)
        if table is None:
            rows = [code, *self.children[code]]
            table = self._tables[code] = _Table(self, rows)
        self.pieces += 1
        local = table.solve(self, fixed, p, need, up)
        if local is None:
            return None
        local[np.abs(local) <= TINY] = 0.0
        change[table.cells] = local
        return local

    def _whole_cube(self) -> Confined:
        if self._whole is None:
            self._whole = Confined(self.structure, self.values, self.cost, self.allowed)
            self._whole.restrict(np.flatnonzero(self.still))
        self.whole += 1
        return self._whole


class _Table:
    """One subtable's program: the cells of its rows that may change at all, and the
    equations among the subtable's cells only (a cell that may never change is left out)."""

    def __init__(self, cube: Subtables, rows: list[int]) -> None:
        every = np.sort(np.concatenate([cube.rows[r] for r in rows]))
        self.cells = every[cube.allowed[every]]
        #: Per row, which of its cells are in the program, and where.
        self.pick = {r: cube.allowed[cube.rows[r]] for r in rows}
        self.local = {r: np.searchsorted(self.cells, cube.rows[r][self.pick[r]]) for r in rows}
        eq = cube.equations
        own = np.diff(eq.indptr)
        # The equations whose every cell is in the subtable, over the cells that may change.
        inside = np.diff(eq[:, every].indptr)
        sub = eq[np.flatnonzero((inside == own) & (own > 0))][:, self.cells]
        sub = sub[np.flatnonzero(np.diff(sub.indptr))]
        self.program = Program(
            sparse.csr_matrix(sub), cube.values[self.cells], np.ones(self.cells.size)
        )
        self.n = self.cells.size
        # The bounds and costs the program has now (Program starts with these).
        self.low = np.zeros(2 * self.n)
        self.high = np.concatenate(
            [np.full(self.n, highspy.kHighsInf), cube.values[self.cells].astype(float)]
        )
        self.cost = np.ones(2 * self.n)

    def solve(
        self, cube: Subtables, fixed: dict[int, np.ndarray], p: int, need: float, up: bool
    ) -> np.ndarray | None:
        n, values = self.n, cube.values[self.cells]
        free = cube.allowed[self.cells] & ~cube.still[self.cells]
        low = np.zeros(2 * n)
        high = np.concatenate([np.where(free, highspy.kHighsInf, 0.0), np.where(free, values, 0.0)])
        for row, whole in fixed.items():
            at, delta = self.local[row], whole[self.pick[row]]
            low[at] = high[at] = np.maximum(delta, 0.0)
            low[at + n] = high[at + n] = np.maximum(-delta, 0.0)
        if p >= 0:
            q = int(np.searchsorted(self.cells, p))
            if q >= n or self.cells[q] != p or not free[q]:
                return None
            if up:
                low[q], high[q + n] = need, 0.0
            else:
                high[q] = 0.0
                low[q + n] = need
                if need > values[q] + 1e-9:
                    return None
        if (low > high + 1e-9).any():
            return None
        h = self.program.h
        high = np.maximum(high, low)
        # Only what differs from the last solve: HiGHS then starts from that solve's basis.
        moved = np.flatnonzero((low != self.low) | (high != self.high)).astype(np.int32)
        if moved.size:
            h.changeColsBounds(moved.size, moved, low[moved], high[moved])
            self.low, self.high = low, high
        cost = np.tile(cube.cost[self.cells], 2)
        priced = np.flatnonzero(cost != self.cost).astype(np.int32)
        if priced.size:
            h.changeColsCost(priced.size, priced, cost[priced])
            self.cost = cost
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(h.getSolution().col_value)
        return x[:n] - x[n:]
