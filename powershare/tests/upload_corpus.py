"""The bad files every upload path is tried with (the upload security tests share them): a zip
bomb, a corpus of documents that must be refused, and the file store's listing. The small
upload limit they run under is the fixture ``small_limit`` (conftest.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


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


def stored_files(root: Path) -> list[str]:
    """Every file under ``root``, as paths relative to it, sorted."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
