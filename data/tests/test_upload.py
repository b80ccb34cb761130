"""An analyst uploads a file: row-level errors when it is bad and nothing stored; a progress
page and a loaded dataset when it is good; a huge file refused before it is read."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from data import portal
from data.models import Upload
from data.tests.on_commit import tasks_run

GOOD = "year,geo,age,sex,race,cause\n2024,{tract},7,F,nh_black,J45.909\n2024,{tract},34,M,hispanic,S52.5\n"
BAD = "year,geo,age,sex,race,cause\n2024,{tract},7,F,nh_black,J45.909\n2024,NOWHERE,300,X,martian,J45\n"


def upload(client: Any, dataset: Any, text: str, name: str = "ed.csv") -> Any:
    """Post a file; the load, queued after the commit, runs (TASKS_IMMEDIATE) as it ends."""
    tract = portal.units("tract")[0][0]
    body = text.format(tract=tract).encode()
    with tasks_run():
        return client.post(
            f"/data/datasets/{dataset.pk}/upload/",
            {"file": SimpleUploadedFile(name, body, "text/csv")},
        )


def test_a_bad_file_shows_row_errors_and_stores_nothing(
    client: Any, cast: Any, catalog: dict
) -> None:
    dataset = catalog["datasets"]["ed_visits"]
    rows_before = portal.store().dataset("ed_visits").rows
    client.force_login(cast.analyst)
    response = upload(client, dataset, BAD)
    item = Upload.objects.get()
    assert response["Location"] == f"/data/uploads/{item.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "The file was rejected; nothing was stored" in page
    assert "<td>2</td><td>geo</td><td>NOWHERE</td>" in page
    assert item.total_errors >= 4
    assert portal.store().dataset("ed_visits").rows == rows_before


def test_a_good_file_loads_with_progress(client: Any, cast: Any, catalog: dict) -> None:
    dataset = catalog["datasets"]["ed_visits"]
    rows_before = portal.store().dataset("ed_visits").rows
    client.force_login(cast.analyst)
    response = upload(client, dataset, GOOD)
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="upload-progress"' in page and 'value="100"' in page
    assert "Loaded 2 rows." in page
    dataset.refresh_from_db()
    assert dataset.rows == rows_before + 2
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="upload-status"') and "hx-trigger" not in fragment


def test_a_2_gb_upload_is_refused_before_it_is_read(client: Any, cast: Any, catalog: dict) -> None:
    dataset = catalog["datasets"]["ed_visits"]
    client.force_login(cast.analyst)
    response = client.post(
        f"/data/datasets/{dataset.pk}/upload/",
        {"file": SimpleUploadedFile("huge.csv", b"year\n")},
        CONTENT_LENGTH=str(2 * 1024**3),
    )
    assert response.status_code == 413
    assert "This file is too large" in response.content.decode()
    assert not Upload.objects.exists()


def test_a_non_utf8_file_is_refused_with_a_message(client: Any, cast: Any, catalog: dict) -> None:
    dataset = catalog["datasets"]["ed_visits"]
    client.force_login(cast.analyst)
    response = client.post(
        f"/data/datasets/{dataset.pk}/upload/",
        {"file": SimpleUploadedFile("ed.csv", "año,geo\n1,ñ\n".encode("latin-1"))},
    )
    assert "not UTF-8" in response.content.decode()
    assert not Upload.objects.exists()


def test_partners_cannot_upload(client: Any, cast: Any, catalog: dict) -> None:
    client.force_login(cast.partner_a)
    assert upload(client, catalog["datasets"]["ed_visits"], GOOD).status_code == 403
