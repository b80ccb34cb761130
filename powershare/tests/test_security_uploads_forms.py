"""Bad files against every other form that takes a file (evidence and data agreements, new and
edited; answers to data requests; the network import; complaint photos and close-out
evidence; grant documents and signed award agreements; board meeting materials): each gets a
clear error and leaves the database and the file store as they were, and takes a good file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grants.tests.conftest import cycle, program  # noqa: F401
from powershare.testing import image_bytes, make_ask, make_campaign, pdf_bytes
from powershare.tests.upload_corpus import document_corpus, stored_files
from support.models import AskEvent, AskFile

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
    before = stored_files(media) if media.exists() else []
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
    after = stored_files(media) if media.exists() else []
    assert after == before
    # The same forms take a good file, so the refusals above were the files' doing.
    for label, user, url, fields, field, _empty in paths:
        if label == "network import":
            continue  # its good file is a CSV of relationships: network's own tests
        good = ("photo.png", PNG) if label == "complaint photos" else ("packet.pdf", PDF)
        client = Client()
        client.force_login(user)
        stored = set(stored_files(media)) if media.exists() else set()
        response = client.post(url, {**fields, field: SimpleUploadedFile(*good)})
        assert response.status_code == 302, (label, response.status_code)
        assert set(stored_files(media)) - stored, label
