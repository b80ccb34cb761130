"""Actions check the files they store themselves: a program that calls them without a form
(the API, an import, the demo) gets the same refusal as the pages, and nothing is kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from data import actions as data_actions
from data.models import DataAgreement, EvidenceItem
from grants import actions as grants_actions
from grants.models import Award
from grants.tests.conftest import cycle, program  # noqa: F401 (fixtures)
from grants.tests.factories import make_application
from partners import actions as partners_actions
from partners.models import Agreement
from powershare.testing import pdf_bytes

PDF = pdf_bytes()


def bad_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("agreement.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)


def _stored(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_partnership_agreement_is_checked_by_the_action(cast, settings):
    with pytest.raises(ValidationError, match="do not match"):
        partners_actions.add_agreement(
            actor=cast.admin,
            partnership=cast.partnership_a,
            kind="mou",
            title="MOU",
            start=date(2025, 1, 1),
            file=bad_file(),
        )
    assert not Agreement.objects.exists() and not _stored(settings)


def test_data_agreements_and_evidence_are_checked_by_their_actions(cast, settings):
    dataset = data_actions.create_dataset(
        actor=cast.analyst, name="ed_visits", title="ED visits", kind="events", description="ED"
    )
    with pytest.raises(ValidationError, match="do not match"):
        data_actions.create_agreement(
            actor=cast.admin,
            datasets=[dataset],
            organization=cast.org_a,
            title="Data agreement",
            parties="Department and Eastside",
            purpose="Campaign research",
            start=date(2025, 1, 1),
            expires=date(2026, 1, 1),
            file=bad_file(),
        )
    with pytest.raises(ValidationError, match="do not match"):
        data_actions.add_evidence(
            actor=cast.partner_a,
            organization=cast.org_a,
            title="Mold survey",
            kind="report",
            issue_area="housing",
            summary="What tenants found",
            visibility="private",
            file=bad_file(),
        )
    item = data_actions.add_evidence(
        actor=cast.partner_a,
        organization=cast.org_a,
        title="Mold survey",
        kind="report",
        issue_area="housing",
        summary="What tenants found",
        visibility="private",
        file=SimpleUploadedFile("survey.pdf", PDF),
    )
    kept = item.file.read()  # (stored rewritten, without metadata)
    with pytest.raises(ValidationError, match="do not match"):
        data_actions.update_evidence(actor=cast.partner_a, item=item, file=bad_file())
    item.refresh_from_db()
    assert item.file.name.endswith(".pdf") and item.file.read() == kept
    assert not DataAgreement.objects.exists() and EvidenceItem.objects.count() == 1
    assert _stored(settings) == [item.file.name]


def test_a_replaced_award_agreement_is_removed_only_once_the_new_one_is_saved(
    cast,
    cycle,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    application = make_application(cycle, cast.partner_a, cast.org_a)
    award = Award.objects.create(application=application, amount=25_000)
    with django_capture_on_commit_callbacks(execute=True):
        grants_actions.update_award(
            actor=cast.admin, award=award, agreement=SimpleUploadedFile("first.pdf", PDF)
        )
    first = award.agreement.name
    with pytest.raises(ValidationError):
        with django_capture_on_commit_callbacks(execute=True):
            # A good file, but an amount the award can't have: nothing is saved.
            grants_actions.update_award(
                actor=cast.admin,
                award=award,
                agreement=SimpleUploadedFile("second.pdf", PDF),
                amount=0,
            )
    award.refresh_from_db()
    assert award.agreement.name == first and award.agreement.storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        grants_actions.update_award(
            actor=cast.admin, award=award, agreement=SimpleUploadedFile("third.pdf", PDF)
        )
    award.refresh_from_db()
    assert award.agreement.name != first and not award.agreement.storage.exists(first)
