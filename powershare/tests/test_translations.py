"""Every page ships in English and Spanish: the Spanish catalog is complete and current."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
IGNORE = [
    ".venv",
    ".tools",
    "node_modules",
    "var",
    ".bench-data",
    "tests",
    "*/tests",
    "powershare/stats/*",
    "powershare/testing.py",
    "conftest.py",
]


@pytest.fixture
def fresh_catalog(tmp_path, settings, monkeypatch):
    """Extract the messages of today's code into a copy of the catalog.

    makemessages writes to the catalog of the tree it walks, so it walks a tree of links to
    the project's code beside the copy of the catalog: the project's own stays untouched.
    """
    tree = tmp_path / "tree"
    tree.mkdir()
    for entry in ROOT.iterdir():
        if entry.name not in {"locale", ".git", *IGNORE}:
            (tree / entry.name).symlink_to(entry)
    locale = tree / "locale"
    shutil.copytree(ROOT / "locale", locale)
    before = (ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po").read_bytes()
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(tree)
    call_command(
        "makemessages",
        locale=["es"],
        ignore_patterns=IGNORE,
        no_obsolete=True,
        symlinks=True,
        verbosity=0,
    )
    assert (ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po").read_bytes() == before
    return polib.pofile(str(locale / "es" / "LC_MESSAGES" / "django.po"))


def test_spanish_catalog_covers_every_string(fresh_catalog):
    untranslated = [e.msgid for e in fresh_catalog.untranslated_entries()]
    fuzzy = [e.msgid for e in fresh_catalog.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} strings lack Spanish: {untranslated[:15]}"
    assert not fuzzy, f"{len(fuzzy)} Spanish strings are marked fuzzy: {fuzzy[:15]}"


@pytest.mark.django_db
def test_pages_switch_to_spanish():
    client = Client()
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get("/partners/campaigns/").content.decode()
    assert 'lang="es"' in page
    assert "Campañas" in page
