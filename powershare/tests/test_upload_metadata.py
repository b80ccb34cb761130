"""Evidence that does not locate people: a photo uploaded with a complaint is served back without
its EXIF (GPS position, camera, time), XMP or comment, and a PDF without its author, title or
XMP, on every upload path. Read back with Pillow and pypdf, the libraries people's tools use."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from grants.tests.conftest import cycle, program  # noqa: F401 (fixtures)
from powershare.testing import XMP_AUTHOR, jpeg_with_gps, make_campaign, pdf_bytes
from powershare.tests.test_security_uploads_forms import _upload_paths
from powershare.tests.upload_corpus import stored_files as _files
from regulatory.models import Complaint
from regulatory.tests.factories import make_complaint

pytestmark = pytest.mark.django_db

# A real camera photo (Nikon D2H) whose EXIF holds a GPS position, from the test data of the
# Debian package golang-github-rwcarlsen-goexif-dev (installed by `make setup`).
CAMERA_PHOTO = Path("/usr/share/gocode/src/github.com/rwcarlsen/goexif/exif/sample1.jpg")
GPS_IFD = 0x8825


def _camera_photo() -> bytes:
    if not CAMERA_PHOTO.exists():
        pytest.fail(f"{CAMERA_PHOTO} is missing: run `make setup`")
    data = CAMERA_PHOTO.read_bytes()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD), "the sample lost its GPS"
    return data


def _assert_no_image_metadata(data: bytes, *words: str) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert not dict(exif), dict(exif)
    assert not exif.get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)
    for word in words:
        assert word.encode() not in data, word
    return image


def _file_complaint(client: Client, cast, name: str, content: bytes) -> Complaint:
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    response = client.post(
        "/regulatory/complaints/new/",
        {
            "organization": cast.org_a.pk,
            "campaign": campaign.pk,
            "category": "housing",
            "violation_type": "mold",
            "issue": "Mold in the bedroom.",
            "address": "12 Maple Court",
            "language": "Spanish",
            "photos": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Complaint.objects.get()


def _served(user, complaint: Complaint) -> bytes:
    client = Client()
    client.force_login(user)
    stored = complaint.files.get()
    response = client.get(f"/regulatory/complaints/{complaint.pk}/files/{stored.pk}/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_complaint_photo_is_served_without_its_gps_position(client, cast):
    complaint = _file_complaint(client, cast, "mold.jpg", jpeg_with_gps(orientation=6))
    for reader in (cast.partner_a, cast.admin, cast.liaison):
        data = _served(reader, complaint)
        image = _assert_no_image_metadata(data, "PhoneMaker", "Maple Court", "Pocket 12")
        # The orientation was applied before it was dropped: the photo still stands upright.
        assert image.format == "JPEG" and image.size == (24, 48)


def test_a_real_camera_photo_is_served_without_its_exif(client, cast):
    original = _camera_photo()
    complaint = _file_complaint(client, cast, "DSC_0001.jpg", original)
    data = _served(cast.admin, complaint)
    _assert_no_image_metadata(data, "NIKON", "Opanda")
    assert Image.open(io.BytesIO(data)).size == Image.open(io.BytesIO(original)).size


def test_a_large_photo_written_to_a_temporary_file_is_stripped_too(client, cast, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so the upload lands on disk before storage
    photo = jpeg_with_gps(orientation=1, size=(400, 300))
    assert len(photo) > 1024
    complaint = _file_complaint(client, cast, "mold.jpg", photo)
    _assert_no_image_metadata(_served(cast.admin, complaint), "PhoneMaker", "Maple Court")


def test_closing_evidence_pdf_is_served_without_author_title_or_xmp(client, cast):
    complaint = make_complaint(cast)
    client.force_login(cast.analyst)
    document = pdf_bytes(Author=XMP_AUTHOR, Title="Unit 4B, Maple Court")
    assert PdfReader(io.BytesIO(document)).xmp_metadata is not None
    response = client.post(
        f"/regulatory/complaints/{complaint.pk}/close/",
        {
            "resolution": "no_violation",
            "evidence": "Re-inspected.",
            "files": SimpleUploadedFile("report.pdf", document, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    data = _served(cast.admin, complaint)
    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata or {}
    assert "/Author" not in info and "/Title" not in info, dict(info)
    assert reader.xmp_metadata is None and len(reader.pages) == 1
    assert b"Maria Lopez" not in data and b"Maple Court" not in data


def test_an_image_or_pdf_that_cannot_be_read_is_refused(client, cast):
    campaign = make_campaign(cast.org_a)
    client.force_login(cast.partner_a)
    broken = b"\xff\xd8\xff\xe0" + b"not really a photo" * 10
    response = client.post(
        "/regulatory/complaints/new/",
        {
            "organization": cast.org_a.pk,
            "campaign": campaign.pk,
            "category": "housing",
            "violation_type": "mold",
            "issue": "Mold.",
            "address": "12 Maple Court",
            "photos": SimpleUploadedFile("mold.jpg", broken, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert "The image could not be read" in response.content.decode()
    assert not Complaint.objects.exists()


def test_every_upload_path_strips_metadata_before_storing(
    cast,
    cycle,  # noqa: F811 (fixture)
    settings,
    django_capture_on_commit_callbacks,
):
    paths, _documents = _upload_paths(cast, cycle)
    media = Path(settings.MEDIA_ROOT)
    for label, user, url, fields, field, _empty in paths:
        if label == "network import":
            continue  # takes CSV only
        if label == "complaint photos":
            name, content = "photo.jpg", jpeg_with_gps()
        else:
            name, content = "packet.pdf", pdf_bytes(Author=XMP_AUTHOR, Title="Maple Court")
        client = Client()
        client.force_login(user)
        before = set(_files(media)) if media.exists() else set()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {**fields, field: SimpleUploadedFile(name, content)})
        assert response.status_code == 302, (label, response.status_code)
        new = set(_files(media)) - before
        assert new, label
        for stored in new:
            data = (media / stored).read_bytes()
            assert b"Maria Lopez" not in data and b"Maple Court" not in data, (label, stored)
            assert b"PhoneMaker" not in data, (label, stored)
            if stored.endswith(".pdf"):
                assert PdfReader(io.BytesIO(data)).xmp_metadata is None, (label, stored)
            else:
                _assert_no_image_metadata(data)
