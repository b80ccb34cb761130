"""Perturbation tables for the cell key method, in the layout of the Office for National
Statistics (ONS) and its `cell-key-perturbation` package.

Every record carries a key from 0 to 255 (`codes.RECORD_KEY`, set at load). A cell's key is
the sum of its records' keys modulo 256, so the same records always make the same cell key,
whatever table or area they are counted in. The table says, for a cell's count (its *pcv*,
"perturbation cell value") and its cell key, the noise (*pvalue*) added to the count:
rows `pcv, ckey, pvalue` for pcv 1 to N and ckey 0 to 255. A count of 0 is never changed;
counts above N reuse the table's last third (the ONS convention: 501 to 750 for N = 750).

`PTable.generate` builds the department's own table: for each count, the noise distribution
of largest entropy (the most even spread) with mean 0 and the policy's variance, noise of at
most `max_noise`, never a negative count, and never a published count from 1 to `small`.
Its 256 slots per row are the probabilities rounded to 1/256. `PTable.read_csv` reads any
table of the same layout (e.g. ONS's 10-5 rounding table shipped with their package).
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import optimize

KEYS = 256  #: record keys and cell keys run from 0 to KEYS - 1
ROWS = 750  #: the counts a generated table has rows for (ONS's size)
COLUMNS = ("pcv", "ckey", "pvalue")


@dataclass(frozen=True)
class PTable:
    """`noise[pcv, ckey]` for pcv 0 (all zeros) to `rows`."""

    noise: np.ndarray
    about: str

    @property
    def rows(self) -> int:
        return self.noise.shape[0] - 1

    @property
    def max_noise(self) -> int:
        return int(np.abs(self.noise).max())

    def pcv(self, counts: np.ndarray) -> np.ndarray:
        """The table row of each count: itself up to `rows`, then the last third, repeating."""
        n = np.asarray(counts, dtype=np.int64)
        period = max(1, self.rows // 3)
        first = self.rows - period + 1
        return np.where(n <= self.rows, n, (n - 1) % period + first)

    def perturb(self, counts: np.ndarray, key_sums: np.ndarray) -> np.ndarray:
        """Counts plus their noise; `key_sums` are the sums of the cells' record keys."""
        n = np.rint(np.asarray(counts, dtype=float)).astype(np.int64)
        ckey = np.rint(np.asarray(key_sums, dtype=float)).astype(np.int64) % KEYS
        out: np.ndarray = n + self.noise[np.clip(self.pcv(n), 0, None), ckey]
        return out

    def rows_of(self) -> list[tuple[int, int, int]]:
        """The table as (pcv, ckey, pvalue) rows, the layout `read_csv` reads."""
        return [
            (pcv, ckey, int(self.noise[pcv, ckey]))
            for pcv in range(1, self.rows + 1)
            for ckey in range(KEYS)
        ]

    def write_csv(self, path: str | os.PathLike[str]) -> None:
        lines = [",".join(f'"{c}"' for c in COLUMNS)]
        lines += [f"{a},{b},{c}" for a, b, c in self.rows_of()]
        Path(path).write_text("\n".join(lines) + "\n")

    @classmethod
    def read_csv(cls, path: str | os.PathLike[str]) -> PTable:
        """Read a table of `pcv, ckey, pvalue` rows; ValueError names what is wrong."""
        name = Path(path).name
        text = Path(path).read_text().splitlines()
        if not text:
            raise ValueError(f"{name}: the file is empty")
        header = [h.strip().strip('"').lower() for h in text[0].split(",")]
        if header[:3] != list(COLUMNS):
            raise ValueError(f"{name}: the header must be pcv,ckey,pvalue (found {text[0]!r})")
        cells: dict[tuple[int, int], int] = {}
        for line_no, line in enumerate(text[1:], start=2):
            if not line.strip():
                continue
            parts = line.split(",")
            try:
                pcv, ckey, pvalue = (int(float(p)) for p in parts[:3])
            except ValueError:
                raise ValueError(f"{name}, line {line_no}: not three whole numbers") from None
            if pcv < 1 or not 0 <= ckey < KEYS:
                raise ValueError(
                    f"{name}, line {line_no}: pcv must be 1 or more and ckey 0 to {KEYS - 1}"
                )
            if pcv + pvalue < 0:
                raise ValueError(f"{name}, line {line_no}: {pcv} + {pvalue} is below zero")
            cells[(pcv, ckey)] = pvalue
        if not cells:
            raise ValueError(f"{name}: no rows")
        top = max(p for p, _ in cells)
        missing = [(p, k) for p in range(1, top + 1) for k in range(KEYS) if (p, k) not in cells]
        if missing:
            p, k = missing[0]
            raise ValueError(
                f"{name}: {len(missing)} (pcv, ckey) pairs are missing, the first pcv {p}, ckey {k}"
            )
        noise = np.zeros((top + 1, KEYS), dtype=np.int64)
        for (p, k), v in cells.items():
            noise[p, k] = v
        return cls(noise, f"read from {name}")

    @classmethod
    def generate(cls, max_noise: int, variance: float, small: int) -> PTable:
        """The table of largest entropy for these settings (see the module's docstring)."""
        return _generate(int(max_noise), float(variance), int(small))


@functools.lru_cache(maxsize=8)
def _generate(max_noise: int, variance: float, small: int) -> PTable:
    if small >= max_noise:
        raise ValueError("small must be below max_noise, or a count of 1 could not move past it")
    noise = np.zeros((ROWS + 1, KEYS), dtype=np.int64)
    generic = small + max_noise + 1  # from here on every row has the same support
    for count in range(1, ROWS + 1):
        if count <= generic:
            support = [
                d
                for d in range(-max_noise, max_noise + 1)
                if count + d >= 0 and not 1 <= count + d <= small
            ]
            slots = _slots(np.array(support), variance)
            row = np.repeat(np.array(support), slots)
        noise[count] = row
    return PTable(
        noise,
        f"generated: noise up to ±{max_noise}, variance {variance:g}, "
        f"counts 1-{small} never published",
    )


def _slots(support: np.ndarray, variance: float) -> np.ndarray:
    """How many of the 256 cell keys each noise value gets: the largest-entropy distribution
    over `support` with mean 0 and (as near as the support allows) the given variance."""
    lo, hi = _variance_range(support)
    target = min(max(variance, lo + 0.02 * (hi - lo)), hi - 0.02 * (hi - lo)) if hi > lo else lo
    p = _max_entropy(support, target) if hi > lo else _feasible(support, target)
    return _round(support, p)


def _variance_range(support: np.ndarray) -> tuple[float, float]:
    """The smallest and largest variance of a mean-zero distribution over `support`."""
    out = []
    for sense in (1.0, -1.0):
        res = optimize.linprog(
            sense * support.astype(float) ** 2,
            A_eq=np.vstack([np.ones(len(support)), support]),
            b_eq=[1.0, 0.0],
            bounds=[(0, 1)] * len(support),
            method="highs",
        )
        if res.status != 0:
            raise ValueError(f"no mean-zero noise over {support.tolist()}")
        out.append(sense * res.fun)
    return out[0], out[1]


def _feasible(support: np.ndarray, variance: float) -> np.ndarray:
    res = optimize.linprog(
        np.zeros(len(support)),
        A_eq=np.vstack([np.ones(len(support)), support, support.astype(float) ** 2]),
        b_eq=[1.0, 0.0, variance],
        bounds=[(0, 1)] * len(support),
        method="highs",
    )
    return np.asarray(res.x)


def _max_entropy(support: np.ndarray, variance: float) -> np.ndarray:
    """p(d) proportional to exp(a d + b d^2): the dual of the entropy program (convex)."""
    d = support.astype(float)
    features = np.vstack([d, d * d - variance])

    def dual(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta @ features
        top = z.max()
        w = np.exp(z - top)
        total = w.sum()
        return math.log(total) + top, features @ (w / total)

    res = optimize.minimize(dual, np.zeros(2), jac=True, method="BFGS", options={"gtol": 1e-12})
    z = res.x @ features
    p = np.exp(z - z.max())
    return np.asarray(p / p.sum())


def _round(support: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Whole slots out of 256 that keep the mean at 0 where one slot's move can."""
    exact = p * KEYS
    slots = np.floor(exact).astype(np.int64)
    for i in np.argsort(-(exact - slots))[: KEYS - int(slots.sum())]:
        slots[i] += 1
    for _ in range(KEYS):
        mean = int(slots @ support)
        if mean == 0:
            break
        best = None
        for i in np.flatnonzero(slots > 1):
            for j in range(len(support)):
                shift = int(support[j] - support[i])
                if i != j and abs(mean + shift) < abs(mean):
                    cost = abs(slots[i] - 1 - exact[i]) + abs(slots[j] + 1 - exact[j])
                    if best is None or (abs(mean + shift), cost) < best[0]:
                        best = ((abs(mean + shift), cost), i, j)
        if best is None:
            break
        slots[best[1]] -= 1
        slots[best[2]] += 1
    return slots
