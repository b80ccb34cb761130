"""The attacker's linear programs: how far can a hidden number be pinned down?

An outsider who has fetched released tables knows, for each released number, a linear
equation over the unknown *atoms* (the finest cells: base unit x race x sex x age group x
year block): "these atoms add up to 43", or under perturbation "to between 40 and 46". The
atoms are counts, so never negative. For any hidden number (a linear combination of atoms)
the smallest and largest values consistent with everything released are two linear
programs; their difference is how much the protection left. HiGHS solves them, re-solving
from the previous basis as only the objective changes.

This module knows nothing of the release model: `powershare.stats.audit` gathers what the
model releases and asks it.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Knowledge:
    """What was released: `lower <= rows @ atoms <= upper` (equal for exact numbers)."""

    rows: sparse.csr_matrix
    lower: np.ndarray
    upper: np.ndarray

    @property
    def atoms(self) -> int:
        return int(self.rows.shape[1])


def intervals(knowledge: Knowledge, targets: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest value of each target row consistent with `knowledge`."""
    n = knowledge.atoms
    if targets.shape[1] != n:
        raise ValueError(f"targets have {targets.shape[1]} atoms, the knowledge {n}")
    h = _model(knowledge)
    lows = np.full(targets.shape[0], np.nan)
    highs = np.full(targets.shape[0], np.nan)
    previous = np.zeros(0, dtype=np.int32)
    targets = sparse.csr_matrix(targets)
    for t in range(targets.shape[0]):
        start, end = targets.indptr[t], targets.indptr[t + 1]
        cols = targets.indices[start:end].astype(np.int32)
        coef = targets.data[start:end].astype(float)
        if previous.size:
            h.changeColsCost(previous.size, previous, np.zeros(previous.size))
        for sense, out in ((1.0, lows), (-1.0, highs)):
            h.changeColsCost(cols.size, cols, sense * coef)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                out[t] = sense * h.getInfo().objective_function_value
            elif status == highspy.HighsModelStatus.kUnbounded:
                out[t] = -np.inf if sense > 0 else np.inf
            else:
                raise RuntimeError(f"attack program ended {h.modelStatusToString(status)}")
        previous = cols
    return lows, highs


def _model(knowledge: Knowledge) -> highspy.Highs:
    n = knowledge.atoms
    rows = sparse.csc_matrix(knowledge.rows, dtype=float)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = rows.shape[0]
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, highspy.kHighsInf)
    lp.row_lower_ = np.asarray(knowledge.lower, dtype=float)
    lp.row_upper_ = np.asarray(knowledge.upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = rows.indptr
    lp.a_matrix_.index_ = rows.indices
    lp.a_matrix_.value_ = rows.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    return h
