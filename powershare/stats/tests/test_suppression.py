"""Complementary suppression never leaves a hidden cell recoverable from shown margins."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from powershare.stats import Query, SuppressionPolicy, run_query
from powershare.stats.suppression import _lines, complementary, determined


def with_margins(inner: np.ndarray) -> np.ndarray:
    out = inner
    for axis in range(inner.ndim):
        out = np.concatenate([out, out.sum(axis=axis, keepdims=True)], axis=axis)
    return out


def constraints(shape: tuple[int, ...]) -> np.ndarray:
    """Independent of the implementation: one row per margin cell = sum of its members."""
    idx = np.arange(int(np.prod(shape))).reshape(shape)
    rows = []
    for axis in range(len(shape)):
        lines = np.moveaxis(idx, axis, -1).reshape(-1, shape[axis])
        for line in lines:
            row = np.zeros(idx.size)
            row[line[:-1]] = 1
            row[line[-1]] = -1
            rows.append(row)
    return np.array(rows)


def recoverable(hidden: np.ndarray, a: np.ndarray) -> list[int]:
    """Hidden cells whose value is a linear function of the shown cells (rank test)."""
    cols = np.flatnonzero(hidden.ravel())
    a_s = a[:, cols]
    base = np.linalg.matrix_rank(a_s) if a_s.size else 0
    out = []
    for k, j in enumerate(cols):
        e = np.zeros((1, len(cols)))
        e[0, k] = 1
        if np.linalg.matrix_rank(np.vstack([a_s, e])) == base:
            out.append(int(j))
    return out


def subtraction_leaks(hidden: np.ndarray) -> int:
    """Constraints (rows, columns, totals) with exactly one hidden cell."""
    leaks = 0
    for axis in range(hidden.ndim):
        leaks += int((np.moveaxis(hidden, axis, -1).sum(axis=-1) == 1).sum())
    return leaks


tables = st.one_of(
    arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 6)), elements=st.integers(0, 40)),
    arrays(
        np.int64,
        st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3)),
        elements=st.integers(0, 30),
    ),
)


@settings(max_examples=150, deadline=None)
@given(tables, st.integers(2, 15), st.booleans())
def test_no_hidden_cell_is_recoverable(inner, k, suppress_zero):
    cube = with_margins(inner)
    primary = (cube < k) & ((cube > 0) | suppress_zero)
    hidden = complementary(cube, primary, [True] * cube.ndim)
    assert (hidden | ~primary).all()  # primary cells stay hidden
    assert subtraction_leaks(hidden) == 0
    assert recoverable(hidden, constraints(cube.shape)) == []


def test_recovery_through_a_chain_of_margins_is_caught():
    # Every row and column of this 4x4 cube (3x3 cells plus margins) has 0 or >= 2 hidden
    # cells, so simple subtraction fails; but cell (1, 2) is a bridge between two cycles and
    # rows 0+1 minus columns 0+1 give its value. The exact test must see it.
    hidden = np.zeros((4, 4), dtype=bool)
    for cell in [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]:
        hidden[cell] = True
    assert subtraction_leaks(hidden) == 0
    a = constraints((4, 4))
    assert recoverable(hidden, a) == [1 * 4 + 2]
    assert determined(hidden.ravel(), _lines((4, 4), [True, True])).tolist() == [6]
    cube = with_margins(np.array([[3, 4, 60], [5, 6, 7], [90, 8, 9]]))
    fixed = complementary(cube, hidden, [True, True])
    assert recoverable(fixed, a) == []


def test_a_query_result_is_safe(county):
    """tract x race from the synthetic county: rebuild the cube and check it like an attacker."""
    result = run_query(
        county.store,
        Query("asthma_ed", years=(2023, 2024), level="neighborhood", by=("race",)),
        policy=SuppressionPolicy(),
    )
    rows = result.rows()
    areas = list(dict.fromkeys(r["area"] for r in rows))
    races = list(dict.fromkeys(r["race"] for r in rows))
    hidden = np.zeros((len(areas), len(races)), dtype=bool)
    for r in rows:
        hidden[areas.index(r["area"]), races.index(r["race"])] = r["suppressed"]
    assert hidden.any()
    assert subtraction_leaks(hidden) == 0
    assert recoverable(hidden, constraints(hidden.shape)) == []


@settings(max_examples=100, deadline=None)
@given(arrays(np.bool_, st.tuples(st.integers(2, 7), st.integers(2, 7))))
def test_graph_test_agrees_with_linear_algebra(hidden):
    lines = _lines(hidden.shape, [True, True])
    by_graph = determined(hidden.ravel(), lines, shape=hidden.shape, with_total=[True, True])
    by_svd = determined(hidden.ravel(), lines)
    assert by_graph.tolist() == by_svd.tolist()
