"""Query results: an Arrow table plus the metadata needed to reproduce it; CSV/JSON/Parquet out."""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .cube import Axis, Stats
from .policy import SuppressionPolicy
from .store import atomic_write_bytes

#: Columns of every result, in order (strata columns come after area_name).
VALUE_COLUMNS = (
    "count",
    "denominator",
    "rate",
    "rate_lower",
    "rate_upper",
    "adjusted_rate",
    "adjusted_lower",
    "adjusted_upper",
    "rse",
    "unreliable",
    "rate_ratio",
    "ratio_lower",
    "ratio_upper",
    "ratio_significant",
    "suppressed",
    "suppression_reason",
)


def _clean(a: np.ndarray, hide: np.ndarray, digits: int = 6) -> pa.Array:
    a = np.asarray(a, dtype=float)
    mask = hide | ~np.isfinite(a)
    return pa.array(np.round(np.where(mask, 0.0, a), digits), mask=mask, type=pa.float64())


def build_table(
    axes: list[Axis],
    shape: tuple[int, ...],
    stats: Stats,
    ratio: tuple[np.ndarray, ...],
    hidden: np.ndarray,
    reasons: np.ndarray,
    ref_hidden: np.ndarray,
    policy: SuppressionPolicy,
    is_rate: bool,
    level: str,
    names: dict[str, str],
    adjusted_hidden: np.ndarray | None = None,
    rates_hidden: np.ndarray | None = None,
) -> pa.Table:
    """Assemble the flat result table from per-cell arrays (C order over the cube).

    `adjusted_hidden` hides adjusted rates (and ratios) beyond `hidden`: an adjusted rate is
    shown only where every age group it is made of is shown. `rates_hidden` withholds rates
    (over too few residents) where the count is shown.
    """
    idx = np.indices(shape).reshape(len(shape), -1)
    # Label columns: each axis's few labels, taken by index (no per-cell Python objects).
    codes = axes[0].values
    cols: dict[str, pa.Array] = {
        "level": pa.array([level], pa.string()).take(np.zeros(idx.shape[1], dtype=np.int64)),
        "area": pa.array(codes, pa.string()).take(idx[0]),
        "area_name": pa.array([names.get(a, a) for a in codes], pa.string()).take(idx[0]),
    }
    for i, axis in enumerate(axes[1:], start=1):
        cols[axis.name] = pa.array(axis.values, pa.string()).take(idx[i])
    stats.finish()  # limits computed in the background while the cells were suppressed
    none = np.zeros_like(hidden)
    unreliable = (stats.count < policy.unreliable_count) | (stats.rse >= policy.unreliable_rse)
    r, r_lo, r_hi, r_sig = ratio
    adj_hidden = hidden if adjusted_hidden is None else hidden | adjusted_hidden
    rate_hidden = hidden if rates_hidden is None else hidden | rates_hidden
    adj_hidden = adj_hidden | rate_hidden
    hide_ratio = adj_hidden | ref_hidden
    cols.update(
        {
            "count": _clean(stats.count, hidden),
            "denominator": _clean(stats.denominator, hidden if not is_rate else none),
            "rate": _clean(stats.rate, rate_hidden),
            "rate_lower": _clean(stats.rate_lower, rate_hidden),
            "rate_upper": _clean(stats.rate_upper, rate_hidden),
            "adjusted_rate": _clean(stats.adjusted, adj_hidden),
            "adjusted_lower": _clean(stats.adjusted_lower, adj_hidden),
            "adjusted_upper": _clean(stats.adjusted_upper, adj_hidden),
            "rse": _clean(stats.rse, rate_hidden, 2),
            "unreliable": pa.array(np.where(hidden, False, unreliable)),
            "rate_ratio": _clean(r, hide_ratio, 4),
            "ratio_lower": _clean(r_lo, hide_ratio, 4),
            "ratio_upper": _clean(r_hi, hide_ratio, 4),
            "ratio_significant": pa.array(np.where(hide_ratio | np.isnan(r_lo), False, r_sig)),
            "suppressed": pa.array(hidden),
            "suppression_reason": pa.array(reasons, type=pa.string(), mask=reasons == ""),
        }
    )
    return pa.table(cols)


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


@dataclass
class Result:
    """A query result: `table` (one row per cell) and `meta` (query, measure, policy, versions)."""

    table: pa.Table
    meta: dict[str, Any]

    def rows(self) -> list[dict[str, Any]]:
        """The table as a list of dicts (None for suppressed or undefined values)."""
        return [{k: _json_value(v) for k, v in row.items()} for row in self.table.to_pylist()]

    def to_json_obj(self) -> dict[str, Any]:
        """{"meta": ..., "rows": [...]}: the JSON twin of a data page."""
        return {"meta": self.meta, "rows": self.rows()}

    def to_json(self) -> str:
        """JSON text of `to_json_obj()`."""
        return json.dumps(self.to_json_obj(), indent=1, default=str)

    def to_csv(self) -> bytes:
        """CSV bytes of the table (metadata goes in the JSON or Parquet forms)."""
        sink = io.BytesIO()
        pacsv.write_csv(self.table, sink)
        return sink.getvalue()

    def write(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write as csv, json or parquet (from the suffix unless `fmt` is given), atomically."""
        path = Path(path)
        fmt = (fmt or path.suffix.lstrip(".")).lower()
        if fmt == "csv":
            atomic_write_bytes(path, self.to_csv())
        elif fmt == "json":
            atomic_write_bytes(path, self.to_json().encode())
        elif fmt == "parquet":
            table = self.table.replace_schema_metadata(
                {"powershare": json.dumps(self.meta, default=str)}
            )
            sink = io.BytesIO()
            pq.write_table(table, sink)
            atomic_write_bytes(path, sink.getvalue())
        else:
            raise ValueError(f"unknown output format {fmt!r} (csv, json or parquet)")
        return path
