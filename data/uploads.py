"""Uploads into the engine's store: a file is staged, then validated and loaded by a background
task, with its progress on the upload's page. Events and population are CSV or Parquet;
boundaries are a zipped shapefile, GeoJSON or TopoJSON, built into a geography package
(`powershare.stats.boundaries`). Nothing reaches the store until the whole file is valid."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from accounts.models import User
from data import portal
from data.actions import refresh_dataset, require_analyst
from data.indicators import sync_measures
from data.models import Dataset, Upload
from powershare import stats
from powershare.audit.log import record
from powershare.stats.indicators import load_indicators

#: What a boundary upload's options hold (the upload form's fields).
BOUNDARY_OPTIONS = ("level", "code_field", "name_field", "layer", "prefixes", "repair", "total")


def _staging_dir() -> Path:
    path = Path(settings.DATA_ROOT) / ".uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _suffix(name: str, kind: str) -> str:
    """The staged file's suffix: the engine reads a file by its kind's suffix."""
    lower = name.lower()
    if kind == Dataset.Kind.GEOGRAPHY:
        return next(
            (s for s in (".zip", ".geojson", ".topojson", ".json") if lower.endswith(s)), ".zip"
        )
    return ".parquet" if lower.endswith(".parquet") else ".csv"


@transaction.atomic
def start_upload(
    *,
    actor: User,
    dataset: Dataset,
    upload: UploadedFile,
    replace: bool = False,
    options: dict[str, Any] | None = None,
) -> Upload:
    """Stage an uploaded file and queue its validation and load; nothing reaches the store
    until the whole file is valid."""
    require_analyst(actor)
    staged = _staging_dir() / f"{uuid.uuid4().hex}{_suffix(upload.name or '', dataset.kind)}"
    with staged.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    item = Upload.objects.create(
        dataset=dataset,
        filename=Path(upload.name or "upload").name[:255],
        size=upload.size or 0,
        path=str(staged),
        replace=replace,
        options={k: v for k, v in (options or {}).items() if k in BOUNDARY_OPTIONS},
        created_by=actor,
    )
    record(
        actor=actor,
        event="dataset.upload_started",
        target=dataset,
        changes={"file": item.filename, "size": item.size, "replace": replace, **item.options},
    )
    transaction.on_commit(lambda: load_upload.enqueue(item.pk))
    return item


STAGES = {
    "reading": 20,
    "reading and converting": 25,
    "checking shapes": 40,
    "validating": 60,
    "simplifying shapes": 70,
    "listing errors": 80,
    "writing": 85,
    "committing": 90,
}


def run_upload(*, upload_id: int) -> Upload:
    """Validate and load a staged upload into the store (the background task's body)."""
    item = Upload.objects.select_related("dataset").get(pk=upload_id)
    if item.is_finished:
        return item

    def progress(stage: str) -> None:
        Upload.objects.filter(pk=item.pk).update(
            status=Upload.Status.RUNNING, stage=stage[:80], progress=STAGES.get(stage, 50)
        )

    progress("reading")
    store = portal.store()
    staged = Path(item.path)
    try:
        if item.dataset.kind == Dataset.Kind.GEOGRAPHY:
            item.message = _load_boundaries(store, staged, item, progress)
            item.status = Upload.Status.DONE
        else:
            load = {
                Dataset.Kind.POPULATION: stats.load_population,
                Dataset.Kind.INDICATORS: load_indicators,
            }.get(item.dataset.kind, stats.load_events)
            report = load(
                store, staged, dataset=item.dataset.name, replace=item.replace, progress=progress
            )
            item.status = Upload.Status.DONE
            item.rows = report.rows
            item.message = (
                _("This file was already loaded; nothing changed.")
                if report.unchanged
                else ngettext("Loaded %(rows)s row.", "Loaded %(rows)s rows.", report.rows)
                % {"rows": f"{report.rows:,}"}
            )
        refresh_dataset(dataset=item.dataset)
        if item.dataset.kind == Dataset.Kind.INDICATORS and item.status == Upload.Status.DONE:
            new = sync_measures(dataset=item.dataset, actor=item.created_by)
            if new:
                item.message += " " + ngettext(
                    "%(n)s new published measure is in the catalog, internal until you publish it.",
                    "%(n)s new published measures are in the catalog, internal until you publish them.",
                    len(new),
                ) % {"n": len(new)}
    except stats.LoadError as error:
        item.status = Upload.Status.FAILED
        item.errors = [
            {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
            for e in error.errors
        ]
        item.total_errors = error.total
        item.message = _("The file was rejected; nothing was stored.")
    except stats.GeographyError as error:
        item.status = Upload.Status.FAILED
        item.message = _("The boundary file was rejected; nothing was stored. %(reason)s") % {
            "reason": str(error)[:1500]
        }
    except Exception as error:
        item.status = Upload.Status.FAILED
        item.message = _("The file could not be read: %(reason)s") % {"reason": str(error)[:500]}
    finally:
        staged.unlink(missing_ok=True)
    item.progress = 100
    item.finished = timezone.now()
    item.save()
    record(
        actor=item.created_by,
        event="dataset.upload_finished",
        target=item.dataset,
        changes={
            "file": item.filename,
            "status": item.status,
            "rows": item.rows,
            "errors": item.total_errors,
        },
    )
    return item


@task()
def load_upload(upload_id: int) -> str:
    """Validate and load one staged upload; returns its final status (a background task)."""
    return run_upload(upload_id=upload_id).status


def _load_boundaries(store: stats.Store, staged: Path, item: Upload, progress: Any) -> str:
    """Build a geography package from the staged boundary file and make it the store's."""
    from powershare.stats import boundaries

    options = item.options
    level = boundaries.LevelFile(
        options.get("level") or "tract",
        staged,
        options.get("code_field") or "GEOID",
        options.get("name_field") or None,
        options.get("layer") or None,
    )
    prefixes = [boundaries.PrefixLevel(lv, int(n)) for lv, n in options.get("prefixes", [])]
    progress("checking shapes")
    with tempfile.TemporaryDirectory(dir=_staging_dir()) as tmp:
        package = boundaries.build_package(
            [level],
            Path(tmp) / "package",
            prefixes,
            repair=bool(options.get("repair")),
            total=options.get("total", "county") or None,
        )
        progress("writing")
        before = store.geography_version()
        stats.load_geography(store, package.directory)
    portal.reset()
    counts = ", ".join(f"{n:,} {lv}" for lv, n in package.units.items())
    if store.geography_version() == before:
        return _("These boundaries were already loaded; nothing changed.")
    message = _("Loaded the boundaries: %(counts)s.") % {"counts": counts}
    if package.notes:
        message += " " + " ".join(f"{note}." for note in package.notes)
    item.rows = sum(package.units.values())
    return message


def clear_staging() -> None:
    """Remove staged files no upload is waiting for (after a crash)."""
    waiting = set(
        Upload.objects.exclude(status__in=[Upload.Status.DONE, Upload.Status.FAILED]).values_list(
            "path", flat=True
        )
    )
    for path in _staging_dir().iterdir():
        if str(path) not in waiting:
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
                missing_ok=True
            )
