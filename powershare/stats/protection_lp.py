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


#: The smallest cube whose programs look inside regions first.
REGION_MIN_CELLS = 1_500


class Confined:
    """Protection programs over a cube that look for each change inside a region first.

    A sensitive cell's regions are the branches of the area hierarchy it sits in (a tract's
    neighborhood, then its district), each with its own top row held still: a change there
    keeps every equation of the cube true, and its program is a fraction of the cube's
    size. Only when no change inside any region can move the cell far enough does the
    program over the whole cube run; with `free_regions`, also when the region's change
    would move a cell not yet hidden (one costing more than HIDDEN_COST), since the whole
    cube may find one that hides less. `allowed` limits the cells that may change at all
    (the clean-up: hidden cells only). Costs and held cells are kept here and passed to
    each program when it next runs.
    """

    def __init__(
        self,
        structure: Structure,
        values: np.ndarray,
        cost: np.ndarray,
        allowed: np.ndarray | None = None,
        free_regions: bool = False,
        regions: bool | None = None,
    ) -> None:
        self.structure = structure
        self.free_regions = free_regions
        # On a small cube the whole cube's program is quick, and a region's costs more in
        # setting up than it saves (the random 756-cell cubes: 0.13 s with, 0.09 s without;
        # the demo's 1,728-cell cube with sex: 166 s with, 225 s without; its 2,592-cell
        # tracts+ cube: 44 s with, 75 s without).
        self.regions = structure.size >= REGION_MIN_CELLS if regions is None else regions
        self.values = values
        self.cost = np.asarray(cost, dtype=float).copy()
        self.allowed = np.ones(values.size, bool) if allowed is None else allowed.copy()
        self.still = np.zeros(values.size, dtype=bool)  # cells held still for now
        self._equations = structure.equations()
        self._programs: dict[int | None, _Part | None] = {}
        self.regional = self.whole = 0  # programs run, by kind

    def set_cost(self, cells: np.ndarray, value: float) -> None:
        self.cost[cells] = value

    def restrict(self, cells: np.ndarray) -> None:
        self.still[cells] = True

    def release(self, cells: np.ndarray) -> None:
        self.still[cells] = False

    def try_solve(self, p: int, need: float, up: bool) -> np.ndarray | None:
        """The cheapest change found (over every cell of the cube) that moves p by `need`,
        inside p's region when one there does; None when none can."""
        keys = self.structure.regions_of(p) if self.regions else []
        for key in (*keys, None):
            part = self._part(key)
            if part is None or not part.has(p):
                continue
            change = part.solve(p, need, up, self.cost, self.still)
            if key is None:
                self.whole += 1
            else:
                self.regional += 1
            if change is None:
                continue
            if key is not None and self.free_regions:
                moved = np.flatnonzero(np.abs(change) > 1e-9)
                if (self.cost[moved] > HIDDEN_COST).any():
                    continue  # it hides more cells: the whole cube may need fewer
            return change
        return None

    def _part(self, key: int | None) -> _Part | None:
        if key not in self._programs:
            if key is None:
                cells, held = np.flatnonzero(self.allowed), np.zeros(0, dtype=np.int64)
            else:
                cells, held = self.structure.region(key)
                cells = cells[self.allowed[cells]]
            self._programs[key] = (
                _Part(self._equations, self.values, cells, held) if cells.size else None
            )
        return self._programs[key]


class _Part:
    """One program of a `Confined` set: the cells it may change, the ones it always holds."""

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
