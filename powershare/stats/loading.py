"""What every loader shares: the report of a load, the DuckDB connection it reads with,
the checksum of its file and the manifest commit that makes it visible (atomically)."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from .store import Store, fsync_dir, fsync_file, sha256_file
from .validation import LoadError, RowError

Progress = Callable[[str], None]

MEMORY_LIMIT = "1500MB"


@dataclass(frozen=True)
class LoadReport:
    """What a load did: rows stored, the checksum, and whether it was a no-op re-load."""

    dataset: str
    kind: str
    source: str
    sha256: str
    rows: int
    unchanged: bool
    seconds: float
    columns: dict[str, str] = field(default_factory=dict)


def _connect(store: Store) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    # Bounded memory: the sort of a large file spills to the store's own temp directory.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = '{store.root / '.tmp'}'")
    con.execute("SET enable_progress_bar = false")
    return con


def _hash_async(path: Path) -> tuple[threading.Thread, list[str]]:
    box: list[str] = []
    thread = threading.Thread(target=lambda: box.append(sha256_file(path)), daemon=True)
    thread.start()
    return thread, box


def _already_loaded(store: Store, dataset: str, sha: str) -> int | None:
    data = store.manifest()["datasets"].get(dataset)
    for f in (data or {}).get("files", []):
        if f["sha256"] == sha:
            return int(f["rows"])
    return None


def _commit(
    store: Store,
    kind: str,
    dataset: str,
    tmp: Path,
    sha: str,
    rows: int,
    source: Path,
    columns: dict[str, str],
    replace: bool,
) -> None:
    final_dir = store.root / kind / dataset
    final = final_dir / f"{sha[:16]}.parquet"
    fsync_file(tmp)
    os.replace(tmp, final)
    fsync_dir(final_dir)
    manifest = store.manifest()
    entry = manifest["datasets"].get(dataset)
    if entry and entry["kind"] != kind:
        raise ValueError(f"dataset {dataset!r} already exists as {entry['kind']}")
    old_files = entry["files"] if entry and not replace else []
    record = {
        "path": str(final.relative_to(store.root)),
        "sha256": sha,
        "rows": rows,
        "source": source.name,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    manifest["datasets"][dataset] = {
        "kind": kind,
        "files": [*old_files, record],
        "columns": columns,
    }
    store.write_manifest(manifest)
    if entry and replace:  # the manifest no longer names them: remove the replaced files
        for f in entry["files"]:
            if f["path"] != record["path"]:
                with contextlib.suppress(FileNotFoundError):
                    (store.root / f["path"]).unlink()


def _whole_file_errors(load: Callable[..., LoadReport]) -> Callable[..., LoadReport]:
    """Turn a file the reader cannot parse at all (not UTF-8, a line too long, no rows)
    into a LoadError that names the file and says why, like any other rejected file."""

    def wrapped(store: Store, source: str | os.PathLike[str], **kwargs: Any) -> LoadReport:
        try:
            return load(store, source, **kwargs)
        except duckdb.Error as error:
            raise LoadError(Path(source), [RowError(0, "", None, _unreadable(error))], 1) from None

    wrapped.__doc__, wrapped.__name__ = load.__doc__, load.__name__
    return wrapped


def _unreadable(error: duckdb.Error) -> str:
    text = str(error)
    if "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
        return "the file is not UTF-8 text; save it as a UTF-8 CSV and load it again"
    if "line size" in text.lower() or "maximum line" in text.lower():
        return "a line is longer than the reader accepts; is this really a CSV of records?"
    first = text.strip().splitlines()[0] if text.strip() else type(error).__name__
    return f"the file could not be read as a table ({first[:200]})"


def _no_rows(path: Path) -> LoadError:
    return LoadError(path, [RowError(0, "", None, "the file has a header but no data rows")], 1)
