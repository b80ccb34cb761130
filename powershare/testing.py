"""The small cast every test reuses, and factories for records. Tests only."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from accounts.models import Membership, User
from partners.models import Campaign, Organization, Partnership, Person
from support.models import Ask

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


def make_user(email: str, *, name: str = "", **fields: Any) -> User:
    return User.objects.create_user(email, PASSWORD, name=name or email.split("@")[0], **fields)


def make_org(name: str | None = None, *, kind: str = "cpbo", **fields: Any) -> Organization:
    return Organization.objects.create(
        name=name or f"Organization {next(_seq)}", kind=kind, **fields
    )


def make_campaign(
    organization: Organization, *, visibility: str = "private", **fields: Any
) -> Campaign:
    fields.setdefault("title", f"Campaign {next(_seq)}")
    fields.setdefault("issue_area", "housing")
    fields.setdefault("goal", "Healthy homes for every tenant")
    return Campaign.objects.create(organization=organization, visibility=visibility, **fields)


def make_ask(organization: Organization, *, visibility: str = "liaison", **fields: Any) -> Ask:
    fields.setdefault("title", f"Ask {next(_seq)}")
    fields.setdefault("kind", "data")
    fields.setdefault("description", "Asthma ED visit rates for our neighborhood")
    return Ask.objects.create(organization=organization, visibility=visibility, **fields)


def make_person(organization: Organization | None = None, **fields: Any) -> Person:
    fields.setdefault("name", f"Person {next(_seq)}")
    fields.setdefault("visibility", "department")
    return Person.objects.create(organization=organization, **fields)


@dataclass
class Cast:
    """A department admin, a liaison, an analyst, a partner of A and of B, a board
    member, a reviewer; organization A (with a partnership whose liaison is ``liaison``),
    organization B, and the department unit."""

    admin: User
    liaison: User
    analyst: User
    partner_a: User
    partner_b: User
    board_member: User
    reviewer: User
    org_a: Organization
    org_b: Organization
    unit: Organization
    partnership_a: Partnership

    def roles(self) -> dict[str, User | None]:
        """Every role by name; ``public`` is the signed-out visitor."""
        return {
            "admin": self.admin,
            "liaison": self.liaison,
            "analyst": self.analyst,
            "partner_a": self.partner_a,
            "partner_b": self.partner_b,
            "board_member": self.board_member,
            "reviewer": self.reviewer,
            "public": None,
        }


def make_cast() -> Cast:
    unit = make_org("Environmental Health Division", kind="unit", visibility="public")
    org_a = make_org("Eastside Tenants Union", visibility="public", mission="Healthy homes")
    org_b = make_org("Harbor Worker Center", visibility="public", mission="Safe jobs")
    admin = make_user("alice@health.example.gov", name="Alice Admin", department_role="admin")
    liaison = make_user("lee@health.example.gov", name="Lee Liaison", department_role="liaison")
    analyst = make_user("ana@health.example.gov", name="Ana Analyst", department_role="analyst")
    partner_a = make_user("pat@eastside.example.org", name="Pat Partner")
    partner_b = make_user("bo@harbor.example.org", name="Bo Partner")
    Membership.objects.create(user=partner_a, organization=org_a, role="admin")
    Membership.objects.create(user=partner_b, organization=org_b, role="admin")
    board_member = make_user("bea@example.net", name="Bea Board", is_board_member=True)
    reviewer = make_user("rey@example.net", name="Rey Reviewer", is_reviewer=True)
    partnership_a = Partnership.objects.create(unit=unit, cpbo=org_a, started=date(2024, 1, 15))
    partnership_a.liaisons.add(liaison)
    return Cast(
        admin=admin,
        liaison=liaison,
        analyst=analyst,
        partner_a=partner_a,
        partner_b=partner_b,
        board_member=board_member,
        reviewer=reviewer,
        org_a=org_a,
        org_b=org_b,
        unit=unit,
        partnership_a=partnership_a,
    )


# Real files for upload tests: uploads are decoded and rewritten, so a bare signature won't do.

GPS_LATITUDE = (40.0, 26.0, 46.0)
XMP_AUTHOR = "Maria Lopez, 12 Maple Court"


def pdf_bytes(**metadata: str) -> bytes:
    """A one-page PDF; ``metadata`` goes into its document information (``Author=...``) and,
    when given, also into an XMP packet naming the same author."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if metadata:
        writer.add_metadata({f"/{k}": v for k, v in metadata.items()})
        xmp = DecodedStreamObject()
        xmp.set_data(_xmp_packet(metadata.get("Author", XMP_AUTHOR)))
        xmp[NameObject("/Type")] = NameObject("/Metadata")
        xmp[NameObject("/Subtype")] = NameObject("/XML")
        writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _xmp_packet(author: str) -> bytes:
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq>'
        f"<rdf:li>{author}</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF>"
        '</x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def image_bytes(image_format: str = "PNG", *, size: tuple[int, int] = (32, 16)) -> bytes:
    """A small plain image, without metadata."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(out, image_format)
    return out.getvalue()


def jpeg_with_gps(*, orientation: int = 6, size: tuple[int, int] = (48, 24)) -> bytes:
    """A phone-like photo: EXIF with the camera, GPS position and orientation, an XMP packet
    and a comment, all naming where it was taken."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Pocket 12"  # Model
    exif[0x0112] = orientation  # Orientation: 6 is "turn 90° clockwise to view"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: GPS_LATITUDE, 3: "W", 4: (79.0, 58.0, 56.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 40)).save(
        out, "JPEG", exif=exif, xmp=_xmp_packet(XMP_AUTHOR), comment=XMP_AUTHOR.encode()
    )
    return out.getvalue()
