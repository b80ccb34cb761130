"""The linear program of complementary suppression, for one sensitive cell and one way.

Fischetti and Salazar-González's protection program: the cheapest change of the cube's
cells that keeps every equation true, takes no cell below zero and moves a sensitive cell p
by its protection level. `powershare.stats.protect` finds patterns with it and
`powershare.stats.cleanup` shows again the cells they can do without.
"""

from __future__ import annotations

import highspy
import numpy as np
from scipy import sparse

from powershare.stats.structure import Structure

#: Cost of a unit change of a cell already hidden, in the linear programs (not 0: it keeps
#: their changes small).
HIDDEN_COST = 1e-4


def protected_ways(
    change: np.ndarray,
    cells: np.ndarray,
    values: np.ndarray,
    primary: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> list[tuple[int, bool]]:
    """The sensitive cells, and ways (True: up), that a change of the cube protects.

    The change keeps every equation true and takes no cell below zero, so an attacker can't
    rule it out: each sensitive cell it moves by at least its protection level that way is
    protected that way. Its opposite is such a change too when no cell it raises would go
    below zero, and protects each of those cells the other way.
    """
    out = []
    reverse = bool((change[cells] <= values[cells] + 1e-9).all())
    for q in cells[primary[cells]]:
        moved = float(change[q])
        up = moved > 0
        for way in (up, not up) if reverse else (up,):
            need = upper[q] if way else lower[q]
            if abs(moved) >= need - 1e-9:
                out.append((int(q), way))
    return out


class Program:
    """min cost·(y⁺ + y⁻) s.t. E(y⁺ − y⁻) = 0, 0 ≤ y⁻ ≤ value, y⁺ ≥ 0, with p moved by
    `need` (Fischetti and Salazar-González's protection program for one cell, one way)."""

    def __init__(self, equations: sparse.csr_matrix, values: np.ndarray, cost: np.ndarray) -> None:
        self.n = n = values.size
        self.values = values
        a = sparse.hstack([equations, -equations], format="csc")
        lp = highspy.HighsLp()
        lp.num_col_ = 2 * n
        lp.num_row_ = equations.shape[0]
        lp.col_cost_ = np.concatenate([cost, cost])
        lp.col_lower_ = np.zeros(2 * n)
        lp.col_upper_ = np.concatenate([np.full(n, highspy.kHighsInf), values])
        lp.row_lower_ = np.zeros(equations.shape[0])
        lp.row_upper_ = np.zeros(equations.shape[0])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        self.h = h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        h.passModel(lp)

    def restrict(self, cells: np.ndarray) -> None:
        """Keep these cells from changing (shown cells, in the clean-up)."""
        if cells.size:
            cols = np.concatenate([cells, cells + self.n]).astype(np.int32)
            zeros = np.zeros(cols.size)
            self.h.changeColsBounds(cols.size, cols, zeros, zeros)

    def release(self, cells: np.ndarray) -> None:
        """Let these cells change again."""
        if cells.size:
            cols = np.concatenate([cells, cells + self.n]).astype(np.int32)
            upper = np.concatenate([np.full(cells.size, highspy.kHighsInf), self.values[cells]])
            self.h.changeColsBounds(cols.size, cols, np.zeros(cols.size), upper)

    def set_cost(self, cells: np.ndarray, value: float) -> None:
        if cells.size:
            cols = np.concatenate([cells, cells + self.n]).astype(np.int32)
            self.h.changeColsCost(cols.size, cols, np.full(cols.size, value))

    def solve(self, p: int, need: float, up: bool) -> np.ndarray:
        """The cheapest change of every cell (p's included) that moves p by `need`."""
        change = self.try_solve(p, need, up)
        if change is None:
            raise RuntimeError(f"protection program for cell {p} is infeasible")
        return change

    def try_solve(self, p: int, need: float, up: bool) -> np.ndarray | None:
        """As `solve`, or None when no change can move p that far."""
        h, n = self.h, self.n
        plus, minus = p, p + n
        if up:
            h.changeColBounds(plus, need, highspy.kHighsInf)
            h.changeColBounds(minus, 0.0, 0.0)
        else:
            h.changeColBounds(plus, 0.0, 0.0)
            h.changeColBounds(minus, need, self.values[p])
        h.run()
        status = h.getModelStatus()
        x = np.asarray(h.getSolution().col_value)
        h.changeColBounds(plus, 0.0, highspy.kHighsInf)
        h.changeColBounds(minus, 0.0, self.values[p])
        if status != highspy.HighsModelStatus.kOptimal:
            if status == highspy.HighsModelStatus.kInfeasible:
                return None
            raise RuntimeError(
                f"protection program for cell {p} ended {h.modelStatusToString(status)}"
            )
        return x[:n] - x[n:]


class Confined:
    """The protection program over the whole cube, with the costs and held cells that each
    solve passes on to it.

    `allowed` limits the cells that may change at all (the clean-up: hidden cells only).
    Costs and held cells are kept here and given to the program when it next runs, so it
    re-solves from its last basis.
    """

    def __init__(
        self,
        structure: Structure,
        values: np.ndarray,
        cost: np.ndarray,
        allowed: np.ndarray | None = None,
    ) -> None:
        self.structure = structure
        self.values = values
        self.cost = np.asarray(cost, dtype=float).copy()
        self.allowed = np.ones(values.size, bool) if allowed is None else allowed.copy()
        self.still = np.zeros(values.size, dtype=bool)  # cells held still for now
        self._program: _Part | None = None
        self.whole = 0  # programs run

    def set_cost(self, cells: np.ndarray, value: float) -> None:
        self.cost[cells] = value

    def restrict(self, cells: np.ndarray) -> None:
        self.still[cells] = True

    def release(self, cells: np.ndarray) -> None:
        self.still[cells] = False

    def try_solve(self, p: int, need: float, up: bool) -> np.ndarray | None:
        """The cheapest change of the cube's cells that moves p by `need` that way; None
        when none can."""
        if self._program is None:
            cells = np.flatnonzero(self.allowed)
            if not cells.size:
                return None
            equations = self.structure.equations()
            self._program = _Part(equations, self.values, cells, np.zeros(0, dtype=np.int64))
        if not self._program.has(p):
            return None
        self.whole += 1
        return self._program.solve(p, need, up, self.cost, self.still)


class _Part:
    """A program over some of the cube's cells: the cells it may change, the ones it always
    holds."""

    def __init__(
        self, equations: sparse.csr_matrix, values: np.ndarray, cells: np.ndarray, held: np.ndarray
    ) -> None:
        self.cells = cells
        self.local = np.full(values.size, -1, dtype=np.int64)
        self.local[cells] = np.arange(cells.size)
        sub = equations[:, cells]
        sub = sub[np.flatnonzero(sub.getnnz(axis=1))]
        self.applied_cost = np.full(cells.size, np.nan)
        self.applied_still = np.zeros(cells.size, dtype=bool)
        self.held = np.zeros(cells.size, dtype=bool)
        self.held[self.local[held][self.local[held] >= 0]] = True
        self.program = Program(sparse.csr_matrix(sub), values[cells], np.ones(cells.size))
        self.program.restrict(np.flatnonzero(self.held))

    def has(self, p: int) -> bool:
        return bool(self.local[p] >= 0 and not self.held[self.local[p]])

    def solve(
        self, p: int, need: float, up: bool, cost: np.ndarray, still: np.ndarray
    ) -> np.ndarray | None:
        mine, now = cost[self.cells], still[self.cells] & ~self.held
        changed = np.flatnonzero(mine != self.applied_cost)
        if changed.size:
            cols = np.concatenate([changed, changed + self.cells.size]).astype(np.int32)
            self.program.h.changeColsCost(cols.size, cols, np.concatenate([mine, mine])[cols])
            self.applied_cost = mine
        self.program.restrict(np.flatnonzero(now & ~self.applied_still))
        self.program.release(np.flatnonzero(~now & self.applied_still & ~self.held))
        self.applied_still = now
        local = self.program.try_solve(int(self.local[p]), need, up)
        if local is None:
            return None
        change = np.zeros(self.local.size)
        change[self.cells] = local
        return change
