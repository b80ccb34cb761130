"""Evidence that does not locate people: uploaded images and PDFs lose their metadata.

A phone photo carries where it was taken (EXIF GPS), when, and the device; a PDF carries its
author and title in its document information and XMP. :func:`scrub_upload` rewrites an
upload in place before any byte of it reaches storage: images are re-encoded by Pillow from
their pixels alone (EXIF orientation applied first, colors brought to sRGB), PDFs are
rewritten by pypdf without their document information, XMP streams or application data.
The original is never kept. A file that can't be decoded is refused.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
# Modes whose pixels Pillow writes as they are; anything else is converted first.
KEPT_MODES = {"JPEG": {"L", "RGB", "CMYK"}, "PNG": {"1", "L", "LA", "RGB", "RGBA", "I;16"}}
# PDF keys that hold metadata or application data rather than content.
PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo")
SCRUBBED = "_powershare_scrubbed"


def scrub_upload(upload: UploadedFile) -> None:
    """Strip the metadata of an uploaded image or PDF, rewriting the upload in place.

    Other kinds of file are left alone. Raises ValidationError when an image or PDF can't be
    read. Safe to call twice: an upload is rewritten once.
    """
    if getattr(upload, SCRUBBED, False):
        return
    suffix = Path(upload.name or "").suffix.lower()
    if suffix in IMAGE_FORMATS:
        clean = scrub_image(_read(upload), IMAGE_FORMATS[suffix])
    elif suffix == ".pdf":
        clean = scrub_pdf(_read(upload))
    else:
        return
    _replace(upload, clean)
    setattr(upload, SCRUBBED, True)


def scrub_image(data: bytes, image_format: str) -> bytes:
    """The image re-encoded from its pixels alone: no EXIF, GPS, XMP, ICC, comments or text."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as opened:
                opened.seek(0)  # the first frame only: later ones carry their own EXIF
                opened.load()
                image = ImageOps.exif_transpose(opened) or opened
                image = _to_srgb(image)
                pixels = _writable(image, image_format)
                # A new image from the raw pixels: nothing from the file's headers rides along.
                clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has too many pixels to accept.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("The image could not be read; upload a JPEG or PNG photo.")
        ) from None
    out = io.BytesIO()
    if image_format == "JPEG":
        clean.save(out, "JPEG", quality=90)
    else:
        clean.save(out, "PNG", optimize=True)
    return out.getvalue()


def _to_srgb(image: Any) -> Any:
    """Colors converted to sRGB where the image carries a profile, so dropping it is harmless."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are


def _writable(image: Any, image_format: str) -> Any:
    if image.mode in KEPT_MODES[image_format]:
        return image
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image_format == "PNG" and has_alpha:
        return image.convert("RGBA")
    if image.mode in ("I", "F", "I;16", "I;16B", "I;16L"):
        return image.convert("L")
    return image.convert("RGB")


def scrub_pdf(data: bytes) -> bytes:
    """The PDF rewritten without its document information, XMP or application data."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(_("Password-protected PDFs are not accepted."))
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        _drop_pdf_metadata(writer.root_object, set())
        # What no longer has a reference (the old XMP streams) would still be written out.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ValidationError(_("The PDF could not be read.")) from None
    return out.getvalue()


def _drop_pdf_metadata(node: Any, seen: set[int]) -> None:
    """Remove metadata keys from every dictionary reachable from ``node`` (pages, images,
    fonts, forms), each indirect object visited once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    if isinstance(node, IndirectObject):
        key = node.idnum
        if key in seen:
            return
        seen.add(key)
        node = node.get_object()
    if isinstance(node, DictionaryObject):
        for name in PDF_METADATA_KEYS:
            node.pop(name, None)
        for name, value in list(node.items()):
            if name != "/Parent":
                _drop_pdf_metadata(value, seen)
    elif isinstance(node, ArrayObject):
        for value in node:
            _drop_pdf_metadata(value, seen)


def _read(upload: UploadedFile) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _replace(upload: UploadedFile, data: bytes) -> None:
    """Write ``data`` over the upload's own file (a temporary file on disk for large uploads,
    which storage moves into place as it is), so the original bytes are gone."""
    handle = upload.file
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(data)
        handle.flush()
        handle.seek(0)
    except (AttributeError, OSError, io.UnsupportedOperation):
        if hasattr(upload, "temporary_file_path"):
            raise
        upload.file = io.BytesIO(data)
    upload.size = len(data)
