"""Bad files against the data portal: an analyst's upload, validated and loaded by a background
task, is refused whole and leaves the store unchanged; its Excel export neutralizes formula
cells."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from data.tests.conftest import catalog, county_files, store_root  # noqa: F401
from powershare.tests.upload_corpus import stored_files, zip_bomb

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
    files = stored_files(root)
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
        assert stored_files(root) == files, label
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
