"""The store: Parquet files under one data directory, and the manifest that names them.

Layout under ``root``::

    manifest.json               datasets, their files and checksums (atomically replaced)
    events/<dataset>/<sha>.parquet
    population/<dataset>/<sha>.parquet
    geography/<sha>/            units.parquet, crosswalk.parquet, shapes/<level>.geojson
    released_areas.json         custom areas already released (see policy.py)
    record_keys.secret          what events' record keys are hashed with (see ingest.py)

Every file is written to a temporary name in its final directory, fsynced and renamed;
the manifest switch is the commit point, so a crash never leaves a half-loaded dataset.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
RECORD_KEY_SECRET = "record_keys.secret"
KINDS = ("events", "population")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes to path atomically: temp file in the same directory, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def atomic_write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically (sorted keys, indented: diffable by operators)."""
    atomic_write_bytes(path, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode())


def fsync_file(path: Path) -> None:
    """Flush a file written by another library (DuckDB, Arrow) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a directory entry so a rename survives a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path, chunk: int = 8 << 20) -> str:
    """SHA-256 of a file's bytes, read in 8 MiB chunks (hashlib releases the GIL)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredFile:
    """One loaded source file of a dataset."""

    path: str  # relative to the store root
    sha256: str
    rows: int
    source: str
    loaded_at: str


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset in the manifest: its kind, files and columns."""

    name: str
    kind: str
    files: tuple[StoredFile, ...]
    columns: dict[str, str]

    @property
    def rows(self) -> int:
        """Total rows across the dataset's files."""
        return sum(f.rows for f in self.files)

    @cached_property
    def version(self) -> str:
        """A short checksum over the dataset's file checksums: changes when data changes."""
        digest = hashlib.sha256("".join(sorted(f.sha256 for f in self.files)).encode())
        return digest.hexdigest()[:16]


class Store:
    """A data directory holding the engine's Parquet files and manifest. No global state."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        #: Objects derived from immutable, versioned files (the parsed geography), per instance.
        self.cache: dict[str, Any] = {}
        self._parsed: tuple[tuple[int, int, int], dict[str, Any]] | None = None

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r})"

    # -- manifest -----------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """An exclusive lock for read-modify-write of the manifest and the registry."""
        with open(self.root / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def manifest(self) -> dict[str, Any]:
        """The current manifest (an empty one for a new store)."""
        path = self.root / MANIFEST
        if not path.exists():
            return {"version": 1, "datasets": {}, "geography": None}
        return json.loads(path.read_text())

    def _manifest_for_reading(self) -> dict[str, Any]:
        """The manifest, parsed again only when the file changed (don't modify the result).

        Writes replace the file (a new inode), so its stat tells whether it changed.
        """
        path = self.root / MANIFEST
        try:
            st = path.stat()
        except FileNotFoundError:
            return {"version": 1, "datasets": {}, "geography": None}
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        if self._parsed is None or self._parsed[0] != key:
            self._parsed = (key, json.loads(path.read_text()))
        return self._parsed[1]

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the manifest atomically (call under `lock()`)."""
        atomic_write_json(self.root / MANIFEST, manifest)

    # -- datasets -----------------------------------------------------------------
    def datasets(self) -> list[DatasetInfo]:
        """All datasets, sorted by name."""
        return [self._info(n, d) for n, d in sorted(self.manifest()["datasets"].items())]

    def dataset(self, name: str, kind: str | None = None) -> DatasetInfo:
        """One dataset by name; KeyError with a helpful message if it isn't loaded."""
        data = self._manifest_for_reading()["datasets"].get(name)
        if data is None or (kind and data["kind"] != kind):
            what = f"{kind} dataset" if kind else "dataset"
            raise KeyError(f"no {what} named {name!r} in {self.root}; load it first")
        return self._info(name, data)

    def paths(self, name: str, kind: str | None = None) -> list[Path]:
        """Absolute paths of a dataset's Parquet files."""
        return [self.root / f.path for f in self.dataset(name, kind).files]

    @staticmethod
    def _info(name: str, data: dict[str, Any]) -> DatasetInfo:
        files = tuple(StoredFile(**f) for f in data["files"])
        return DatasetInfo(name, data["kind"], files, dict(data.get("columns", {})))

    def record_key_secret(self) -> str:
        """The secret the record keys are hashed with (made at the first load, kept in the
        store: with it, anyone holding the records could compute their keys)."""
        path = self.root / RECORD_KEY_SECRET
        with self.lock():
            if not path.exists():
                atomic_write_bytes(path, secrets.token_hex(16).encode())
                os.chmod(path, 0o600)
            return path.read_text().strip()

    def set_record_key_secret(self, secret: str) -> None:
        """Fix the secret before the first load, so that a generated county's noise is the
        same on every run (tests, benchmarks); a department's store makes its own."""
        if not secret.isalnum():
            raise ValueError("the record key secret must be letters and digits")
        with self.lock():
            path = self.root / RECORD_KEY_SECRET
            atomic_write_bytes(path, secret.encode())
            os.chmod(path, 0o600)

    def geography_dir(self) -> Path | None:
        """Directory of the current geography, or None before one is loaded."""
        geo = self.manifest().get("geography")
        return self.root / geo["path"] if geo else None

    def geography_version(self) -> str | None:
        """Checksum of the current geography."""
        geo = self.manifest().get("geography")
        return geo["sha256"][:16] if geo else None
