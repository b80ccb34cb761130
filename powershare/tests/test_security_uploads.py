"""Bad files against partners' agreements, files delivered for an ask and the statistics
engine's loader: each gets a clear error and leaves the database and the file store as they
were. Exports neutralize cells a spreadsheet would run as formulas. The data portal's uploads
are in test_security_uploads_data.py, every other form that takes a file in
test_security_uploads_forms.py."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partners.models import Agreement
from powershare.stats import LoadError, Store, load_events
from powershare.testing import make_ask, make_campaign
from powershare.tests.upload_corpus import document_corpus, stored_files, zip_bomb
from support.models import AskEvent, AskFile

EVENT_HEADER = "date,geo,age,sex,race,cause\n"


def test_bad_agreement_files_are_refused_and_nothing_is_kept(cast, settings, small_limit):
    client = Client()
    client.force_login(cast.admin)
    url = f"/partners/partnerships/{cast.partnership_a.pk}/agreements/new/"
    before = stored_files(Path(settings.MEDIA_ROOT)) if Path(settings.MEDIA_ROOT).exists() else []
    for name, content, words in document_corpus(small_limit):
        response = client.post(
            url,
            {
                "kind": "mou",
                "title": "MOU",
                "start": "2025-01-01",
                "file": SimpleUploadedFile(name, content),
            },
        )
        assert response.status_code == 200, (name, response.status_code)
        assert words in response.content.decode(), (name, words)
    assert Agreement.objects.count() == 0
    after = stored_files(Path(settings.MEDIA_ROOT)) if Path(settings.MEDIA_ROOT).exists() else []
    assert after == before


def test_bad_delivered_files_leave_the_ask_open_and_store_nothing(cast, settings, small_limit):
    ask = make_ask(cast.org_a, visibility="liaison", status="acknowledged")
    client = Client()
    client.force_login(cast.liaison)
    for name, content, words in document_corpus(small_limit):
        response = client.post(
            f"/support/asks/{ask.pk}/deliver/",
            {"summary": "The table", "files": [SimpleUploadedFile(name, content)]},
        )
        assert response.status_code in (200, 400), (name, response.status_code)
        assert words in response.content.decode(), (name, words)
    ask.refresh_from_db()
    assert ask.status == "acknowledged" and ask.delivered_summary == ""
    assert AskFile.objects.count() == 0 and AskEvent.objects.filter(ask=ask).count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or stored_files(media) == []


def engine_corpus(directory: Path) -> dict[str, tuple[Path, str]]:
    """(file, words the error must contain) for the statistics loader."""
    good = "2022-03-01,{geo},30,F,hispanic,J45.909\n"

    def write(name: str, data: bytes) -> Path:
        path = directory / name
        path.write_bytes(data)
        return path

    huge = directory / "one_line.csv"
    with open(huge, "wb") as fh:  # 64 MB of a single line, made here, never committed
        fh.write(EVENT_HEADER.encode())
        fh.write(b"2022-03-01," + b"9" * (64 << 20))
    return {
        "latin-1": (
            write(
                "latin1.csv",
                (EVENT_HEADER + "2022-03-01,Peñas,30,F,hispanic,J45\n").encode("latin-1"),
            ),
            "not UTF-8",
        ),
        "semicolons": (
            write("semi.csv", (EVENT_HEADER + good).replace(",", ";").encode()),
            "column",
        ),
        "header only": (write("header.csv", EVENT_HEADER.encode()), "no data rows"),
        "huge line": (huge, "line"),
        "formula": (
            write(
                "formula.csv",
                (
                    EVENT_HEADER + '2022-03-01,"=HYPERLINK(""http://x"",""y"")",30,F,hispanic,J45\n'
                ).encode(),
            ),
            "geo",
        ),
        "types": (
            write("types.csv", (EVENT_HEADER + good.replace(",30,", ",old,")).encode()),
            "age",
        ),
        "zip": (write("events.zip", zip_bomb()), "only CSV and Parquet"),
    }


@pytest.fixture(scope="module")
def engine_store(tmp_path_factory):
    from powershare.stats.synth import generate_county

    root = tmp_path_factory.mktemp("engine") / "store"
    generate_county(root, seed=3, scale=2_000)
    return root


CORPUS = ["latin-1", "semicolons", "header only", "huge line", "formula", "types", "zip"]


@pytest.mark.parametrize("label", CORPUS)
def test_the_statistics_loader_refuses_bad_files_whole(label, engine_store, tmp_path):
    root = engine_store
    store = Store(root)
    manifest = (root / "manifest.json").read_bytes()
    files = stored_files(root)
    path, words = engine_corpus(tmp_path)[label]
    with pytest.raises((LoadError, ValueError)) as error:
        load_events(store, path, dataset="ed_visits")
    message = str(error.value)
    assert message and words.lower() in message.lower(), (label, message[:300])
    assert len(message) < 5000, label  # names the problem, doesn't echo the file
    assert (root / "manifest.json").read_bytes() == manifest, label
    assert stored_files(root) == files, label


def test_csv_exports_neutralize_formula_cells(cast):
    for title in ('=HYPERLINK("http://x","y")', "+1 555", "-2+3", "@SUM(A1)"):
        make_campaign(cast.org_a, visibility="public", title=title, goal=title)
        make_ask(cast.org_a, visibility="public", title=title, description=title)
    cast.org_b.mission = "=cmd|' /C calc'!A0"
    cast.org_b.save()
    client = Client()
    for url in (
        "/partners/campaigns/export.csv",
        "/support/asks/export.csv",
        "/partners/organizations/export.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        cells = [cell for row in rows[1:] for cell in row]
        assert cells, url
        dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@")]
        assert not dangerous, (url, dangerous)
        assert any(c.startswith("'=") or c.startswith("'+") for c in cells), url
