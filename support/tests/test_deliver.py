"""Staff deliver what was asked: text, links and files."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from support import actions
from support.models import AskFile
from support.tests.conftest import pdf


def test_delivery_keeps_text_links_and_files(cast, ask_a):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    actions.deliver(
        actor=cast.liaison,
        ask=ask_a,
        summary="Rates by tract with confidence intervals.",
        links="https://data.example.gov/asthma\n\nhttps://example.org/brief",
        files=[pdf("rates.pdf"), pdf("brief.pdf")],
        comment="Happy to present them.",
    )
    ask_a.refresh_from_db()
    assert ask_a.status == "delivered"
    assert ask_a.delivered_summary == "Rates by tract with confidence intervals."
    assert ask_a.delivered_links.splitlines() == [
        "https://data.example.gov/asthma",
        "https://example.org/brief",
    ]
    files = AskFile.objects.filter(ask=ask_a).order_by("name")
    assert [f.name for f in files] == ["brief.pdf", "rates.pdf"]
    assert all(f.uploaded_by == cast.liaison for f in files)
    # Stored under a random directory, never at a guessable address.
    assert files[0].file.name.startswith(f"asks/{ask_a.pk}/")
    assert files[0].file.name.count("/") == 3


@pytest.mark.parametrize(
    "bad",
    [
        {"summary": "  "},
        {"summary": "ok", "links": "javascript:alert(1)"},
        {"summary": "ok", "links": "not a link"},
        {"summary": "ok", "files": [SimpleUploadedFile("x.exe", b"MZ...")]},
        {"summary": "ok", "files": [SimpleUploadedFile("fake.pdf", b"<html>")]},
    ],
)
def test_a_bad_delivery_writes_nothing(cast, ask_a, bad):
    actions.acknowledge(actor=cast.liaison, ask=ask_a)
    with pytest.raises(ValidationError):
        actions.deliver(actor=cast.liaison, ask=ask_a, **bad)
    ask_a.refresh_from_db()
    assert ask_a.status == "acknowledged"
    assert ask_a.delivered_summary == ""
    assert not AskFile.objects.exists()
