"""The shape of a protected cube: its hierarchies, and every equation an attacker can use.

A cube is the product of hierarchies (area: tract -> neighborhood -> district -> county;
race, sex and age: their values under a total). Every "parent = sum of its children" along
one axis, for every combination of the other axes' cells, is one equation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def region_axis(self) -> int | None:
        """The axis that cuts the cube into subtables (`powershare.stats.subtables`): the
        deepest, when it has levels between its leaves and its root (the area: tracts under
        neighborhoods under districts)."""
        depths = [int(a.depth().max()) for a in self.axes]
        deepest = int(np.argmax(depths))
        return deepest if depths[deepest] >= 2 else None
