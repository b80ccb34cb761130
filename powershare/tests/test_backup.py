"""`make backup` / `make restore`: a restored copy holds the same records and files."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from partners.models import Campaign
from powershare.backup import backup, record_counts, restore
from powershare.testing import make_ask, make_campaign
from support.models import Ask, AskFile


@pytest.mark.django_db(transaction=True)
def test_a_restored_copy_holds_the_same_records_and_files(tmp_path, settings):
    from powershare.testing import make_cast

    cast = make_cast()
    make_campaign(cast.org_a, visibility="private", title="Rent strike")
    ask = make_ask(cast.org_a, title="Lead data")
    AskFile(ask=ask, name="table.csv").file.save("table.csv", ContentFile(b"a,b\n1,2\n"))
    data = Path(settings.DATA_ROOT)
    data.mkdir(parents=True, exist_ok=True)
    (data / "manifest.json").write_text('{"datasets": {}}')
    before = record_counts()

    archive = backup(tmp_path / "backups")
    assert archive.name.startswith("powershare-") and archive.name.endswith(".tar.gz")
    assert not list((tmp_path / "backups").glob(".*partial"))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("media/asks/") for n in names)

    # Disaster: records and files gone.
    Ask.objects.all().delete()
    Campaign.objects.all().delete()
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    (data / "manifest.json").unlink()

    assert restore(archive) == before
    assert Campaign.objects.get(title="Rent strike").visibility == "private"
    restored = AskFile.objects.get()
    assert restored.file.read() == b"a,b\n1,2\n"
    assert (data / "manifest.json").read_text() == '{"datasets": {}}'
