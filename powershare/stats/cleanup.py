"""The clean-up pass of complementary suppression: show again what a pattern can do without.

Cell-by-cell protection hides, for each sensitive cell, what is cheapest given the cells
hidden so far; cells hidden early are often made unneeded by later patterns. The pass keeps
a *witness* for every sensitive cell and way and drops each secondary cell whose witnesses
can all be replaced by ones that don't use it.
"""

from __future__ import annotations

import numpy as np

from powershare.stats.protection_lp import HIDDEN_COST, Confined, protected_ways
from powershare.stats.structure import Structure

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
    replaced by one that doesn't, until `CLEAN_UP_BUDGET` programs per sensitive cell are
    spent. What is left keeps a witness for every sensitive cell and direction, so each
    keeps its interval. The programs here have the hidden cells only:
    a shown cell cannot change.
    """
    program = Confined(structure, values, cost, allowed=hidden)
    program.set_cost(np.flatnonzero(primary), HIDDEN_COST)

    def witness(p: int, up: bool) -> dict[tuple[int, bool], set[int]] | None:
        """New witnesses: of p that way, and of whatever else the change protects."""
        need = float(upper[p] if up else lower[p])
        change = program.try_solve(p, need, up)
        if change is None:
            return None
        used = np.flatnonzero(np.abs(change) > 1e-9)
        out = {
            key: set(used.tolist())
            for key in protected_ways(change, used, values, primary, lower, upper)
        }
        out[(p, up)] = set(used.tolist())
        return out

    found = {key: set(w.tolist()) for key, w in witnesses.items()}
    checks = 0
    for sensitive in np.flatnonzero(primary):
        for way, need in ((True, upper[sensitive]), (False, lower[sensitive])):
            if need > 0 and (int(sensitive), way) not in found:
                w = witness(int(sensitive), way)
                checks += 1
                if w is None:
                    raise RuntimeError(f"cell {sensitive} is not protected before the clean-up")
                found.update({key: used for key, used in w.items() if key not in found})
    hidden = hidden.copy()
    secondary = np.flatnonzero(hidden & ~primary)
    budget = checks + CLEAN_UP_BUDGET * int(primary.sum())
    for c in secondary[np.argsort(-cost[secondary], kind="stable")]:
        if checks >= budget:
            break
        program.restrict(np.array([c]))
        replaced: dict[tuple[int, bool], set[int]] = {}
        for (p, up), used in found.items():
            if int(c) in used and (p, up) not in replaced:
                w = witness(p, up)
                checks += 1
                if w is None:
                    break
                replaced.update(w)
        else:
            hidden[c] = False
            found.update(replaced)
            continue
        program.release(np.array([c]))
    return hidden, checks
