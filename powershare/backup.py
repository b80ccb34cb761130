"""Back up and restore everything Powershare keeps: the database, uploaded files (MEDIA_ROOT)
and the statistics store (DATA_ROOT), in one timestamped archive written atomically.

    python -m powershare.backup backup [DIRECTORY]     # make backup: var/backups/
    python -m powershare.backup restore ARCHIVE        # make restore ARCHIVE=...

SQLite is copied with its online backup API (a consistent snapshot while the app runs);
PostgreSQL and other databases go through ``dumpdata``/``loaddata`` (natural keys). Restoring
replaces the database's contents and swaps the file trees in whole.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def _django() -> Any:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powershare.settings")
    import django

    django.setup()
    from django.conf import settings

    return settings


def _is_sqlite(connection: Any) -> bool:
    return connection.vendor == "sqlite"


def record_counts() -> dict[str, int]:
    """Rows per model: written into the archive and compared after a restore."""
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }


def _dump_database(directory: Path) -> str:
    from django.core.management import call_command
    from django.db import connection

    if _is_sqlite(connection):
        connection.ensure_connection()
        target = sqlite3.connect(directory / "db.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
        return "sqlite"
    out = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=DUMP_EXCLUDE,
        stdout=out,
    )
    (directory / "db.json").write_text(out.getvalue())
    return "dumpdata"


def backup(destination: Path) -> Path:
    """Write ``powershare-<UTC time>.tar.gz`` into ``destination`` and return its path. It
    appears under its final name only when complete (written beside it, fsynced, renamed)."""
    settings = _django()
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = destination / f"powershare-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(dir=destination) as work:
        work_dir = Path(work)
        method = _dump_database(work_dir)
        manifest = {
            "created": stamp,
            "database": method,
            "counts": record_counts(),
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
        partial = destination / f".{final.name}.partial"
        with tarfile.open(partial, "w:gz") as archive:
            for name in ("manifest.json", "db.sqlite3", "db.json"):
                if (work_dir / name).exists():
                    archive.add(work_dir / name, arcname=name)
            for arcname, root in (("media", settings.MEDIA_ROOT), ("data", settings.DATA_ROOT)):
                if Path(root).exists():
                    archive.add(root, arcname=arcname)
        with open(partial, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, final)
    return final


def _swap_tree(source: Path, target: Path) -> None:
    """Put ``source`` at ``target``; the old tree is removed only once the new one is there."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.parent / f".{target.name}.restoring"
    shutil.rmtree(staged, ignore_errors=True)
    if source.exists():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    old = target.parent / f".{target.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staged, target)
    shutil.rmtree(old, ignore_errors=True)


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        if member.name.startswith("/") or ".." in Path(member.name).parts:
            raise ValueError(f"unsafe path in archive: {member.name}")
    return members


def restore(archive_path: Path) -> dict[str, int]:
    """Replace the database, media and data store with the archive's; returns the record
    counts, which match the archive's manifest (or ValueError says which differ)."""
    settings = _django()
    from django.core.management import call_command
    from django.db import connection, transaction

    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work_dir, members=_safe_members(archive), filter="data")
        manifest = json.loads((work_dir / "manifest.json").read_text())
        if manifest["database"] == "sqlite":
            if not _is_sqlite(connection):
                raise ValueError("this archive holds a SQLite database; restore it into SQLite")
            source = sqlite3.connect(work_dir / "db.sqlite3")
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(work_dir / "db.json"), verbosity=0)
        _swap_tree(work_dir / "media", Path(settings.MEDIA_ROOT))
        _swap_tree(work_dir / "data", Path(settings.DATA_ROOT))
    counts = record_counts()
    wanted = manifest["counts"]
    differ = {k: (wanted.get(k), counts.get(k)) for k in wanted if wanted.get(k) != counts.get(k)}
    if differ:
        raise ValueError(f"restored counts differ from the backup's: {differ}")
    return counts


def main(argv: list[str]) -> int:
    if len(argv) >= 1 and argv[0] == "backup":
        path = backup(Path(argv[1] if len(argv) > 1 else "var/backups"))
        print(path)
        return 0
    if len(argv) == 2 and argv[0] == "restore":
        counts = restore(Path(argv[1]))
        print(f"restored {sum(counts.values())} records from {argv[1]}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
