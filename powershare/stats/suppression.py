"""Primary and complementary cell suppression on a table with margins.

The result of a query is a cube: one axis per dimension (area, each stratum), where an axis
"with total" has a last index holding the sum over the others (the county row, the "total"
race...). Every such sum is a linear constraint that an attacker can subtract along.

Complementary suppression hides further cells until no suppressed cell is *determined* by
the shown cells and the constraints: first the cheap rule (no constraint may have exactly
one hidden cell), then an exact linear-algebra test (a hidden cell x_j is determined iff
every vector of the null space of the hidden cells' constraint matrix has x_j = 0; this
catches recovery through chains of several margins). Both repeat until nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.linalg import null_space

_BIG = 1e12


def _lines(shape: tuple[int, ...], with_total: Sequence[bool]) -> list[np.ndarray]:
    """Each constraint as the flat indices of its cells (members, then the total)."""
    index = np.arange(int(np.prod(shape))).reshape(shape)
    out: list[np.ndarray] = []
    for axis, has_total in enumerate(with_total):
        if has_total and shape[axis] > 1:
            moved = np.moveaxis(index, axis, -1).reshape(-1, shape[axis])
            out.append(moved)
    return out


def _cost(counts: np.ndarray, with_total: Sequence[bool]) -> np.ndarray:
    """Prefer hiding small non-zero inner cells; avoid zeros and, above all, margins."""
    cost = np.where(counts > 0, counts.astype(float), 1e3)
    margin = np.zeros(counts.shape, dtype=bool)
    for axis, has_total in enumerate(with_total):
        if has_total and counts.shape[axis] > 1:
            sl: list[slice | int] = [slice(None)] * counts.ndim
            sl[axis] = -1
            margin[tuple(sl)] = True
    return np.where(margin, cost + 1e9, cost).ravel()


def _cheap_pass(hidden: np.ndarray, lines: list[np.ndarray], cost: np.ndarray) -> bool:
    """Hide one more cell in every constraint with exactly one hidden cell; True if changed."""
    changed = False
    while True:
        step = False
        for group in lines:
            n_hidden = hidden[group].sum(axis=1)
            lone = np.flatnonzero(n_hidden == 1)
            if lone.size == 0:
                continue
            rows = group[lone]
            c = np.where(hidden[rows], _BIG, cost[rows])
            pick = rows[np.arange(len(rows)), c.argmin(axis=1)]
            ok = c.min(axis=1) < _BIG
            hidden[pick[ok]] = True
            step = step or bool(ok.any())
        if not step:
            return changed
        changed = True


def _bridges(edges: list[tuple[int, int]], n_nodes: int) -> list[int]:
    """Indices of the edges that lie on no cycle (Tarjan's bridge search, iterative)."""
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for k, (u, v) in enumerate(edges):
        adj[u].append((v, k))
        adj[v].append((u, k))
    disc = [-1] * n_nodes
    low = [0] * n_nodes
    out: list[int] = []
    clock = 0
    for root in range(n_nodes):
        if disc[root] >= 0 or not adj[root]:
            continue
        disc[root] = low[root] = clock
        clock += 1
        stack = [(root, -1, iter(adj[root]))]
        while stack:
            node, via, it = stack[-1]
            step = next(it, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        out.append(via)
                continue
            nxt, k = step
            if k == via:
                continue
            if disc[nxt] < 0:
                disc[nxt] = low[nxt] = clock
                clock += 1
                stack.append((nxt, k, iter(adj[nxt])))
            else:
                low[node] = min(low[node], disc[nxt])
    return out


def determined_2d(hidden: np.ndarray) -> np.ndarray:
    """Exact test for a 2-D table whose last row and column are its margins.

    Negating the margin cells turns every row and column into a zero-sum line, so the
    hidden cells' freedom is the cycle space of the bipartite graph rows-columns with one
    edge per hidden cell: a hidden cell is determined iff its edge is a bridge.
    """
    rows, cols = hidden.shape
    cells = np.argwhere(hidden)
    edges = [(int(i), rows + int(j)) for i, j in cells]
    bridges = _bridges(edges, rows + cols)
    return (
        np.sort(np.ravel_multi_index(tuple(cells[bridges].T), hidden.shape))
        if bridges
        else np.array([], np.int64)
    )


def determined(
    hidden: np.ndarray,
    lines: list[np.ndarray],
    tol: float = 1e-9,
    shape: tuple[int, ...] | None = None,
    with_total: Sequence[bool] | None = None,
) -> np.ndarray:
    """Flat indices of hidden cells whose value follows from the shown cells and margins.

    With at most two axes carrying totals the exact graph test is used slice by slice;
    otherwise the null space of the hidden cells' constraint matrix decides.
    """
    if shape is not None and with_total is not None and sum(with_total) <= 2:
        return _determined_by_slices(hidden, shape, with_total)
    cols = np.flatnonzero(hidden)
    if cols.size == 0:
        return cols
    pos = -np.ones(hidden.size, dtype=np.int64)
    pos[cols] = np.arange(cols.size)
    rows = []
    for group in lines:
        involved = group[hidden[group].any(axis=1)]
        for line in involved:
            row = np.zeros(cols.size)
            members, total = line[:-1], line[-1]
            hm = members[hidden[members]]
            row[pos[hm]] = 1.0
            if hidden[total]:
                row[pos[total]] = -1.0
            rows.append(row)
    if not rows:  # no margins shown: nothing can be subtracted
        return np.array([], dtype=np.int64)
    a = np.vstack(rows)
    # Split into independent blocks (cells linked through shared constraints) to keep SVDs small.
    block = _components(a)
    out: list[int] = []
    for b in np.unique(block):
        sel = np.flatnonzero(block == b)
        sub = a[:, sel]
        sub = sub[np.abs(sub).sum(axis=1) > 0]
        ns = null_space(sub, rcond=tol) if sub.size else np.eye(sel.size)
        fixed = np.abs(ns).max(axis=1) < 1e-7 if ns.size else np.ones(sel.size, dtype=bool)
        out.extend(cols[sel[fixed]].tolist())
    return np.array(sorted(out), dtype=np.int64)


def _determined_by_slices(
    hidden: np.ndarray, shape: tuple[int, ...], with_total: Sequence[bool]
) -> np.ndarray:
    """Apply the exact test to each 2-D slice spanned by the axes with totals."""
    total_axes = [i for i, t in enumerate(with_total) if t and shape[i] > 1]
    if len(total_axes) < 2:
        return np.array([], np.int64)  # single lines: the cheap pass is exact
    cube = hidden.reshape(shape)
    index = np.arange(cube.size).reshape(shape)
    moved = np.moveaxis(cube, total_axes, [-2, -1])
    moved_index = np.moveaxis(index, total_axes, [-2, -1])
    flat = moved.reshape(-1, *moved.shape[-2:])
    flat_index = moved_index.reshape(-1, *moved.shape[-2:])
    out = [
        flat_index[k].ravel()[determined_2d(flat[k])] for k in range(flat.shape[0]) if flat[k].any()
    ]
    return np.sort(np.concatenate(out)) if out else np.array([], np.int64)


def _components(a: np.ndarray) -> np.ndarray:
    """Connected components of columns that share a non-zero row (union-find)."""
    parent = np.arange(a.shape[1])

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in a:
        nz = np.flatnonzero(row)
        if nz.size > 1:
            r0 = find(int(nz[0]))
            for j in nz[1:]:
                rj = find(int(j))
                if rj != r0:
                    parent[rj] = r0
    return np.array([find(i) for i in range(a.shape[1])])


def complementary(
    counts: np.ndarray, primary: np.ndarray, with_total: Sequence[bool], max_rounds: int = 10_000
) -> np.ndarray:
    """The final hidden mask: `primary` plus enough further cells that none is recoverable.

    `counts` and `primary` have the cube's shape; `with_total[axis]` says whether the last
    index of that axis is the sum of the others.
    """
    hidden = primary.ravel().copy()
    lines = _lines(counts.shape, with_total)
    cost = _cost(counts, with_total)
    neighbours = None
    for _ in range(max_rounds):
        _cheap_pass(hidden, lines, cost)
        fixed = determined(hidden, lines, shape=counts.shape, with_total=with_total)
        if fixed.size == 0:
            return hidden.reshape(counts.shape)
        if neighbours is None:
            neighbours = _neighbour_index(lines, hidden.size)
        cand = _shown_near(int(fixed[0]), neighbours, hidden)
        if cand.size == 0:
            raise RuntimeError("complementary suppression found no cell to hide")
        hidden[cand[np.argmin(cost[cand])]] = True
    return hidden.reshape(counts.shape)


def _shown_near(j: int, neighbours: list[set[int]], hidden: np.ndarray) -> np.ndarray:
    """Shown cells sharing a constraint with j, or failing that with its hidden neighbours."""
    seen, frontier = {j}, {j}
    while frontier:
        ring = set().union(*(neighbours[i] for i in frontier)) - seen
        shown = np.array(sorted(i for i in ring if not hidden[i]), dtype=np.int64)
        if shown.size:
            return shown
        seen |= ring
        frontier = ring
    return np.array([], dtype=np.int64)


def _neighbour_index(lines: list[np.ndarray], size: int) -> list[set[int]]:
    out: list[set[int]] = [set() for _ in range(size)]
    for group in lines:
        for line in group:
            members = set(line.tolist())
            for j in line:
                out[int(j)] |= members
    return out
