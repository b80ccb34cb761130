"""The clean-up pass of complementary suppression: show again what a pattern can do without.

Cell-by-cell protection hides, for each sensitive cell, what is cheapest given the cells
hidden so far; cells hidden early are often made unneeded by later patterns. The pass keeps
a *witness* for every sensitive cell and way and drops each secondary cell whose witnesses
can all be replaced by ones that don't use it.
"""

from __future__ import annotations

import numpy as np

from powershare.stats.hypercube import Hypercubes
from powershare.stats.protection_lp import HIDDEN_COST, protected_ways
from powershare.stats.structure import Structure
from powershare.stats.subtables import programs

#: The clean-up's linear programs, at most, per sensitive cell (the dearest secondary cells
#: are tried first, so a large cube spends them where they save the most).
CLEAN_UP_BUDGET = 10


def clean(
    structure: Structure,
    values: np.ndarray,
    hidden: np.ndarray,
    primary: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    cost: np.ndarray,
    witnesses: dict[tuple[int, bool], np.ndarray],
) -> tuple[np.ndarray, int]:
    """Show again every secondary cell the pattern can do without.

    Each sensitive cell p is protected, one way, by a *witness*: a change of hidden cells
    only that keeps every equation true and moves p by its protection level. One witness per
    cell and direction is found first (the linear programs' own changes serve); then each
    secondary cell, dearest first, is shown again if every witness that uses it can be
    replaced by one that doesn't (a change found before that uses only cells still hidden,
    a hypercube of hidden cells, or a new program's change), until `CLEAN_UP_BUDGET`
    programs per sensitive cell are spent. A cell whose showing would leave an equation
    with one hidden sensitive cell is kept without a program. A cell found needed then costs
    (almost) nothing in later programs, so new witnesses lean on cells that stay hidden.
    What is left keeps a witness for every sensitive cell and direction, so each keeps its
    interval. The programs here have the hidden cells only: a shown cell cannot change.
    """
    program = programs(structure, values, cost, allowed=hidden)
    cubes = Hypercubes(structure, values, lower, upper)
    program.set_cost(np.flatnonzero(primary), HIDDEN_COST)
    hidden = hidden.copy()
    checks = 0
    # Every change found so far (each keeps every equation true and no cell below zero), by
    # the sensitive cells and ways it protects: one that uses only cells still hidden
    # serves again as a witness without a program.
    pool: list[np.ndarray] = []
    serves: dict[tuple[int, bool], list[int]] = {}

    def keep(cells: np.ndarray, keys: list[tuple[int, bool]]) -> None:
        pool.append(cells)
        for key in keys:
            serves.setdefault(key, []).append(len(pool) - 1)

    def witness(p: int, up: bool) -> np.ndarray | None:
        """A change of hidden cells only that moves p by its protection that way: one
        found before if any still serves, else a new program's (kept for later)."""
        nonlocal checks
        for k in reversed(serves.get((p, up), [])):
            if hidden[pool[k]].all():
                return pool[k]
        change = cubes.hidden_change(p, up, hidden)
        if change is None:
            checks += 1
            change = program.try_solve(p, float(upper[p] if up else lower[p]), up)
        if change is None:
            return None
        used = np.flatnonzero(np.abs(change) > 1e-9)
        keep(used, [*protected_ways(change, used, values, primary, lower, upper), (p, up)])
        return used

    for key, cells in witnesses.items():
        keep(cells, [key])
    found = {key: cells for key, cells in witnesses.items()}
    for sensitive in np.flatnonzero(primary):
        for way, need in ((True, upper[sensitive]), (False, lower[sensitive])):
            if need > 0 and (int(sensitive), way) not in found:
                w = witness(int(sensitive), way)
                if w is None:
                    raise RuntimeError(f"cell {sensitive} is not protected before the clean-up")
                found[(int(sensitive), way)] = w
    secondary = np.flatnonzero(hidden & ~primary)
    budget = checks + CLEAN_UP_BUDGET * int(primary.sum())
    lines = abs(structure.equations()).tocsr()
    lines_of = lines.tocsc()
    for c in secondary[np.argsort(-cost[secondary], kind="stable")]:
        if checks >= budget:
            break
        # An equation left with one hidden sensitive cell gives that cell away: keep c.
        through = lines[lines_of.indices[lines_of.indptr[c] : lines_of.indptr[c + 1]]]
        alone = through[np.asarray(through @ hidden).ravel() == 2]
        if alone.size and (alone @ (hidden & primary)).any():
            program.set_cost(np.array([c]), HIDDEN_COST)
            continue
        hidden[c] = False
        program.restrict(np.array([c]))
        replaced: dict[tuple[int, bool], np.ndarray] = {}
        for key, used in found.items():
            if hidden[used].all():
                continue
            w = witness(*key)
            if w is None:
                break
            replaced[key] = w
        else:
            found.update(replaced)
            continue
        hidden[c] = True
        program.release(np.array([c]))
        program.set_cost(np.array([c]), HIDDEN_COST)
    return hidden, checks
