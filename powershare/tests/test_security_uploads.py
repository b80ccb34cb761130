"""A corpus of bad files against every upload path: partners' agreements, files delivered for an
ask, the statistics engine's loader, the data portal, and every other form that takes a file
(evidence and data agreements, new and edited; answers to data requests; the network import;
complaint photos and close-out evidence; grant documents and signed award agreements; board
meeting materials). Each gets a clear error and leaves the database and the file store as they
were. Exports neutralize cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from partners.models import Agreement
from powershare.stats import LoadError, Store, load_events
from powershare.testing import image_bytes, make_ask, make_campaign, pdf_bytes
from support.models import AskEvent, AskFile

EVENT_HEADER = "date,geo,age,sex,race,cause\n"


def zip_bomb() -> bytes:
    """A small .docx-shaped zip whose member expands to 200 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(chunk)
    return buffer.getvalue()


def document_corpus(limit: int) -> list[tuple[str, bytes, str]]:
    """(file name, content, words the error must contain)."""
    return [
        ("agreement.csv", "name,value\nJosé,1\n".encode("latin-1"), "UTF-8"),
        ("empty.pdf", b"", "empty"),
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "do not match"),
        ("table.xlsx", b"name;value\n=1+1;2\n", "do not match"),
        ("script.exe", b"MZ\x90\0", "not accepted"),
        ("huge.csv", b"a" * (limit + 1), "limit"),
        ("archive.zip", zip_bomb(), "not accepted"),
    ]


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def small_limit(settings):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    return settings.UPLOAD_MAX_BYTES


def test_bad_agreement_files_are_refused_and_nothing_is_kept(cast, settings, small_limit):
    client = Client()
    client.force_login(cast.admin)
    url = f"/partners/partnerships/{cast.partnership_a.pk}/agreements/new/"
    before = _files(Path(settings.MEDIA_ROOT)) if Path(settings.MEDIA_ROOT).exists() else []
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
    after = _files(Path(settings.MEDIA_ROOT)) if Path(settings.MEDIA_ROOT).exists() else []
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
    assert not media.exists() or _files(media) == []


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
    files = _files(root)
    path, words = engine_corpus(tmp_path)[label]
    with pytest.raises((LoadError, ValueError)) as error:
        load_events(store, path, dataset="ed_visits")
    message = str(error.value)
    assert message and words.lower() in message.lower(), (label, message[:300])
    assert len(message) < 5000, label  # names the problem, doesn't echo the file
    assert (root / "manifest.json").read_bytes() == manifest, label
    assert _files(root) == files, label


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


# -- the data portal: an analyst's upload, validated and loaded by a background task ---------

from data.tests.conftest import catalog, county_files, store_root  # noqa: E402, F401

DATA_HEADER = "year,geo,age,sex,race,cause\n"


def data_corpus(limit: int) -> dict[str, tuple[str, bytes, str]]:
    """(file name, content, words the page must show) for the data portal's upload."""
    good = "2024,{tract},30,F,hispanic,J45.909\n"
    return {
        "latin-1": (
            "ed.csv",
            (DATA_HEADER + "2024,Peñas,30,F,hispanic,J45\n").encode("latin-1"),
            "not UTF-8",
        ),
        # (a file wholly in semicolons is sniffed and loads correctly; a mixed one can't)
        "semicolons": ("ed.csv", (DATA_HEADER + good.replace(",", ";")).encode(), "column"),
        "header only": ("ed.csv", DATA_HEADER.encode(), "no data rows"),
        "empty": ("ed.csv", b"", "empty"),
        "over the limit": ("ed.csv", DATA_HEADER.encode() + b"9" * (limit + 1), "limit"),
        # one line of 4 MB: longer than the reader accepts, without writing a gigabyte
        "huge line": ("ed.csv", DATA_HEADER.encode() + b"2024," + b"9" * (4 << 20), "line"),
        "formula": (
            "ed.csv",
            (DATA_HEADER + '2024,"=HYPERLINK(""http://x"",""y"")",30,F,hispanic,J45\n').encode(),
            "geo",
        ),
        "types": ("ed.csv", (DATA_HEADER + good.replace(",30,", ",old,")).encode(), "age"),
        "zip": ("ed.zip", zip_bomb(), "Upload a .csv or .parquet file"),
        "zip named csv": ("ed.csv", zip_bomb(), "UTF-8"),
        "parquet that is not": ("ed.parquet", b"name,value\n1,2\n", "not Parquet"),
    }


def test_bad_data_files_are_refused_and_the_store_is_unchanged(
    cast,
    catalog,  # noqa: F811 (fixture)
    settings,
    django_capture_on_commit_callbacks,
):
    from data import portal
    from data.models import Dataset, Upload

    settings.DATA_UPLOAD_MAX_BYTES = 8 << 20
    dataset = catalog["datasets"]["ed_visits"]
    tract = portal.units("tract")[0][0]
    root = Path(settings.DATA_ROOT)
    manifest = (root / "manifest.json").read_bytes()
    files = _files(root)
    datasets = list(Dataset.objects.order_by("pk").values())
    client = Client()
    client.force_login(cast.analyst)
    for label, (name, content, words) in data_corpus(settings.DATA_UPLOAD_MAX_BYTES).items():
        body = content.replace(b"{tract}", tract.encode())
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/data/datasets/{dataset.pk}/upload/",
                {"file": SimpleUploadedFile(name, body, "text/csv")},
            )
        if response.status_code == 302:  # staged; the task ran and refused it
            item = Upload.objects.latest("pk")
            assert item.status == Upload.Status.FAILED, (label, item.status, item.message)
            assert response["Location"] == f"/data/uploads/{item.pk}/", label
            page = client.get(response["Location"]).content.decode()
            assert "nothing was stored" in page or "could not be read" in page, label
        else:
            assert response.status_code == 200, (label, response.status_code)
            page = response.content.decode()
        assert words.lower() in page.lower(), (label, words)
        assert len(page) < 200_000, label  # names the problem, doesn't echo the file
        portal.reset()
        assert (root / "manifest.json").read_bytes() == manifest, label
        assert _files(root) == files, label
    assert list(Dataset.objects.order_by("pk").values()) == datasets
    assert not Upload.objects.exclude(status=Upload.Status.FAILED).exists()


def test_data_excel_export_neutralizes_formula_cells(client, catalog):  # noqa: F811
    from openpyxl import load_workbook

    from data.tests.conftest import story_query

    dataset = catalog["datasets"]["ed_visits"]
    dataset.source = "@SUM(A1)"
    dataset.save()
    for measure in catalog["measures"].values():
        measure.label = '=HYPERLINK("http://x","y")'
        measure.unit = "+1 per 1,000"
        measure.save()
    response = client.get(f"/data/query.xlsx?{story_query()}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    dangerous = [c.value for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert not formulas and not dangerous, (formulas, dangerous)
    values = [c.value for c in cells]
    assert "'@SUM(A1)" in values
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)


# -- every other upload path: the same document corpus, the same refusal ---------------------

from grants.tests.conftest import cycle, program  # noqa: E402, F401

PDF = pdf_bytes()
PNG = image_bytes("PNG")


def _upload_paths(cast, cycle) -> tuple[list, object]:  # noqa: F811 (fixture)
    """(label, user, url, other fields, file field, querysets whose counts must not change)."""
    from accountability.models import Material
    from accountability.tests.factories import make_board
    from data import actions as data_actions
    from data.models import DataAgreement, EvidenceItem
    from grants import actions as grants_actions
    from grants.models import Application, Award
    from grants.tests.factories import make_application
    from network.models import Relationship
    from regulatory.models import Complaint, ComplaintEvent, ComplaintFile
    from regulatory.tests.factories import make_complaint
    from support.models import Ask

    campaign = make_campaign(cast.org_a)
    dataset = data_actions.create_dataset(
        actor=cast.analyst, name="ed_visits", title="ED visits", kind="events", description="ED"
    )
    application = make_application(cycle, cast.partner_a, cast.org_a, submit=False)
    # Records that already hold a good file, which a bad replacement must not disturb.
    evidence = data_actions.add_evidence(
        actor=cast.partner_a,
        organization=cast.org_a,
        title="Testimony",
        kind="testimony",
        issue_area="housing",
        summary="Mold",
        visibility="private",
        file=SimpleUploadedFile("testimony.pdf", PDF),
    )
    data_agreement = data_actions.create_agreement(
        actor=cast.admin,
        datasets=[dataset],
        organization=cast.org_a,
        title="ED data",
        parties="Dept",
        purpose="Campaign",
        start=date(2025, 1, 1),
        expires=date(2026, 1, 1),
        file=SimpleUploadedFile("signed.pdf", PDF),
    )
    # (the approval chain that makes awards is the grants module's story)
    funded = make_application(cycle, cast.partner_b, cast.org_b, title="Safe jobs organizing")
    award = grants_actions.update_award(
        actor=cast.admin,
        award=Award.objects.create(application=funded, amount=25_000),
        agreement=SimpleUploadedFile("signed.pdf", PDF),
    )
    complaint = make_complaint(cast)
    data_request = make_ask(cast.org_a, kind="data", visibility="department")  # status "new"
    meeting = make_board(cast).held
    return [
        (
            "data evidence",
            cast.partner_a,
            "/data/evidence/new/",
            {
                "title": "Testimony",
                "kind": "testimony",
                "issue_area": "housing",
                "summary": "Mold",
                "visibility": "private",
            },
            "file",
            [EvidenceItem.objects],
        ),
        (
            "data evidence edit",
            cast.partner_a,
            f"/data/evidence/{evidence.pk}/edit/",
            {
                "title": "Testimony, revised",
                "kind": "testimony",
                "issue_area": "housing",
                "summary": "Mold",
                "visibility": "private",
            },
            "file",
            [
                EvidenceItem.objects.filter(title="Testimony, revised"),
                EvidenceItem.objects.filter(file=evidence.file.name),
            ],
        ),
        (
            "data agreement",
            cast.admin,
            "/data/agreements/new/",
            {
                "organization": cast.org_a.pk,
                "title": "ED data",
                "parties": "Dept",
                "datasets": [dataset.pk],
                "purpose": "Campaign",
                "start": "2025-01-01",
                "expires": "2026-01-01",
            },
            "file",
            [DataAgreement.objects],
        ),
        (
            "data agreement edit",
            cast.admin,
            f"/data/agreements/{data_agreement.pk}/edit/",
            {
                "organization": cast.org_a.pk,
                "title": "ED data, renewed",
                "parties": "Dept",
                "datasets": [dataset.pk],
                "purpose": "Campaign",
                "start": "2026-01-01",
                "expires": "2027-01-01",
            },
            "file",
            [
                DataAgreement.objects.filter(title="ED data, renewed"),
                DataAgreement.objects.filter(file=data_agreement.file.name),
            ],
        ),
        (
            "network import",
            cast.partner_a,
            "/network/import/",
            {"visibility": "private"},
            "file",
            [Relationship.objects],
        ),
        (
            "complaint photos",
            cast.partner_a,
            "/regulatory/complaints/new/",
            {
                "organization": cast.org_a.pk,
                "campaign": campaign.pk,
                "category": "housing",
                "violation_type": "mold",
                "issue": "Mold in three units.",
                "address": "12 Maple Court",
                "language": "Spanish",
            },
            "photos",
            [Complaint.objects, ComplaintFile.objects],
        ),
        (
            "grant document",
            cast.partner_a,
            f"/grants/applications/{application.pk}/documents/",
            {"requirement": cycle.required_documents.first().pk},
            "file",
            [Application.objects, application.documents],
        ),
        (
            "award agreement",
            cast.admin,
            f"/grants/awards/{award.pk}/edit/",
            {"agreement_signed_on": "2026-02-01", "start": "2026-03-01", "end": "2027-02-28"},
            "agreement_file",
            [
                Award.objects.filter(agreement=award.agreement.name),
                Award.objects.filter(start__isnull=False),
            ],
        ),
        (
            "complaint evidence",
            cast.analyst,
            f"/regulatory/complaints/{complaint.pk}/close/",
            {"resolution": "no_violation", "evidence": "Re-inspected; no mold found."},
            "files",
            [
                Complaint.objects.filter(pk=complaint.pk, status=Complaint.Status.CLOSED),
                ComplaintFile.objects,
                ComplaintEvent.objects,
            ],
        ),
        (
            "data request answer",
            cast.analyst,
            f"/data/requests/{data_request.pk}/answer/",
            {"explanation": "The table you asked for.", "confirm_policy": "on"},
            "file",
            [
                Ask.objects.filter(pk=data_request.pk, status="new"),
                AskFile.objects,
                AskEvent.objects,
            ],
        ),
        (
            "board material",
            cast.admin,
            f"/board/meetings/{meeting.pk}/materials/new/",
            {"title": "Board packet", "is_public": "on"},
            "file",
            [Material.objects],
        ),
    ], application.documents


def test_bad_files_are_refused_on_every_other_upload_path(
    cast,
    cycle,  # noqa: F811 (fixture)
    settings,
    small_limit,
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from powershare.audit.models import AuditEvent

    paths, documents = _upload_paths(cast, cycle)
    media = Path(settings.MEDIA_ROOT)
    before = _files(media) if media.exists() else []
    counts = {label: [q.count() for q in qs] for label, _u, _p, _f, _n, qs in paths}
    assert documents.count() == counts["grant document"][1]
    assert counts["complaint evidence"][0] == 0 and counts["data request answer"][0] == 1
    assert counts["award agreement"] == [1, 0] and counts["data evidence edit"] == [0, 1]
    audit = AuditEvent.objects.count()
    mail.outbox.clear()
    for label, user, url, fields, field, empty in paths:
        client = Client()
        client.force_login(user)
        for name, content, words in document_corpus(small_limit):
            # Run what a commit would run: a refused save must not send anything either.
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(url, {**fields, field: SimpleUploadedFile(name, content)})
            assert response.status_code in (200, 400), (label, name, response.status_code)
            page = response.content.decode()
            if label == "network import" and content and not name.endswith(".csv"):
                words = "Upload a .csv file."  # the import takes CSV only
            if label == "complaint photos" and content and not name.endswith(".png"):
                words = "Photos must be JPEG or PNG images."
            assert words in page, (label, name, words)
        assert [q.count() for q in empty] == counts[label], label
    assert AuditEvent.objects.count() == audit
    assert mail.outbox == []
    after = _files(media) if media.exists() else []
    assert after == before
    # The same forms take a good file, so the refusals above were the files' doing.
    for label, user, url, fields, field, _empty in paths:
        if label == "network import":
            continue  # its good file is a CSV of relationships: network's own tests
        good = ("photo.png", PNG) if label == "complaint photos" else ("packet.pdf", PDF)
        client = Client()
        client.force_login(user)
        stored = set(_files(media)) if media.exists() else set()
        response = client.post(url, {**fields, field: SimpleUploadedFile(*good)})
        assert response.status_code == 302, (label, response.status_code)
        assert set(_files(media)) - stored, label
