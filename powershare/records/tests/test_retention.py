"""The retention schedule with a frozen clock: a record one day past its date goes, one day
before stays, open and held records and other kinds are untouched, and a dry run changes
nothing; each run writes one audit entry with counts, never the content."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from data.models import DataAgreement
from partners import actions as partner_actions
from partners.models import RelationalMeeting
from powershare.audit.models import AuditEvent
from powershare.records import actions
from powershare.records.models import RetentionRun
from powershare.records.retention import months_before
from powershare.testing import make_ask
from regulatory.models import Complaint, ComplaintEvent
from regulatory.tests.factories import make_complaint
from support.models import Ask

NOW = datetime(2030, 6, 15, 12, 0, tzinfo=UTC)


def meeting(cast, on: date, purpose: str) -> RelationalMeeting:
    return partner_actions.record_meeting(
        actor=cast.liaison,
        partnership=cast.partnership_a,
        staff=[cast.liaison],
        people=[],
        date=on,
        purpose=purpose,
        follow_ups=f"Follow up on {purpose}",
    )


def closed_complaint(cast, closed_at: datetime) -> Complaint:
    complaint = make_complaint(cast)
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", resolution="fixed", closed_at=closed_at
    )
    return complaint


def set_rule(cast, kind: str, **fields) -> None:
    from powershare.records.retention import rules

    rule = rules()[kind]
    current = {f: getattr(rule, f) for f in actions.RULE_FIELDS}
    actions.update_retention_rule(actor=cast.admin, kind=kind, **{**current, **fields})


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.django_db
def test_a_record_one_day_past_its_date_goes_and_one_day_before_stays(cast, frozen):
    # One-to-one notes: 3 years from the meeting date; delete them, to see them go.
    set_rule(cast, "meetings", amount=3, unit="years", runs_from="date", action="delete")
    old = meeting(cast, date(2027, 6, 14), "past its date")
    young = meeting(cast, date(2027, 6, 16), "one day before")
    # Complaints: 5 years from closing, anonymized.
    old_complaint = closed_complaint(cast, NOW - timedelta(days=5 * 365 + 2))  # 2025-06-14
    young_complaint = closed_complaint(cast, datetime(2025, 6, 16, 12, tzinfo=UTC))
    still_open = make_complaint(cast)
    Complaint.objects.filter(pk=still_open.pk).update(created=datetime(2001, 1, 1, tzinfo=UTC))
    # Other kinds, old but outside their own rules or still open.
    agreement = DataAgreement.objects.create(
        organization=cast.org_a,
        title="Hospital data",
        parties="County\nUnion",
        purpose="Asthma campaign",
        start=date(2029, 1, 1),
        expires=date(2031, 1, 1),
    )
    ask = make_ask(cast.org_a, kind="data", title="Asthma by tract")
    Ask.objects.filter(pk=ask.pk).update(created=datetime(2001, 1, 1, tzinfo=UTC))
    audit_before = AuditEvent.objects.count()

    run = actions.apply_retention(trigger="command")

    assert not RelationalMeeting.objects.filter(pk=old.pk).exists()
    assert RelationalMeeting.objects.get(pk=young.pk).purpose == "one day before"
    gone = Complaint.objects.get(pk=old_complaint.pk)
    assert gone.complainant_name == "" and gone.complainant_phone == ""
    assert gone.issue == "[removed]" and gone.address == "[removed]"
    assert gone.neighborhood == "Eastside" and gone.violation_type == "mold"  # kept for counts
    assert not ComplaintEvent.objects.filter(complaint=gone).exclude(message="").exists()
    kept = Complaint.objects.get(pk=young_complaint.pk)
    assert kept.complainant_name == "Maria Lopez"
    assert Complaint.objects.get(pk=still_open.pk).complainant_name == "Maria Lopez"
    assert DataAgreement.objects.get(pk=agreement.pk).title == "Hospital data"
    assert Ask.objects.get(pk=ask.pk).title == "Asthma by tract"  # open: never touched
    assert run.report["meetings"] == {"action": "delete", "count": 1, "held": 0}
    assert run.report["complaints"] == {"action": "anonymize", "count": 1, "held": 0}
    assert run.report["data_agreements"]["count"] == 0
    assert run.report["audit"]["count"] == 0
    # One audit entry for the run, with counts and no content.
    entries = AuditEvent.objects.filter(event="retention.applied")
    assert entries.count() == 1 and AuditEvent.objects.count() == audit_before + 1
    entry = entries.get()
    assert entry.changes["meetings"]["count"] == 1
    assert "past its date" not in str(entry.changes) and "Maria" not in str(entry.changes)


@pytest.mark.django_db
def test_a_dry_run_changes_nothing(cast, frozen):
    set_rule(cast, "meetings", amount=30, unit="days", runs_from="date", action="delete")
    meeting(cast, date(2030, 5, 1), "old")
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "One-to-one notes: 1 would be deleted" in out.getvalue()
    assert RelationalMeeting.objects.count() == 1
    assert AuditEvent.objects.count() == events and not RetentionRun.objects.exists()
    call_command("apply_retention", stdout=StringIO())
    assert RelationalMeeting.objects.count() == 0
    assert RetentionRun.objects.count() == 1


@pytest.mark.django_db
def test_a_legal_hold_and_an_unapplied_rule_keep_records(cast, frozen):
    set_rule(cast, "meetings", amount=1, unit="days", runs_from="date", action="delete")
    held = meeting(cast, date(2020, 1, 1), "held")
    free = meeting(cast, date(2020, 1, 1), "free")
    actions.place_hold(actor=cast.admin, kind="meetings", record_id=held.pk, reason="Lawsuit")
    run = actions.apply_retention()
    assert list(RelationalMeeting.objects.values_list("pk", flat=True)) == [held.pk]
    assert run.report["meetings"] == {"action": "delete", "count": 1, "held": 1}
    assert not RelationalMeeting.objects.filter(pk=free.pk).exists()
    set_rule(cast, "meetings", active=False)
    hold = held.pk
    from powershare.records.models import LegalHold

    actions.release_hold(actor=cast.admin, hold=LegalHold.objects.get(record_id=hold))
    assert actions.apply_retention().report["meetings"]["action"] == "off"
    assert RelationalMeeting.objects.filter(pk=hold).exists()


@pytest.mark.django_db
def test_old_audit_entries_go_and_the_run_is_recorded(cast, frozen):
    set_rule(cast, "audit", amount=1, unit="years", runs_from="at", action="delete")
    AuditEvent.objects.update(at=NOW - timedelta(days=400))
    old = AuditEvent.objects.count()
    assert old > 0
    run = actions.apply_retention()
    assert run.report["audit"]["count"] == old
    # The rule change above is old too, and went; the run's own entry stays.
    assert list(AuditEvent.objects.values_list("event", flat=True)) == ["retention.applied"]


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert months_before(datetime(2030, 3, 31, tzinfo=UTC), 1) == datetime(2030, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2030, 1, 15, tzinfo=UTC), 13) == datetime(
        2028, 12, 15, tzinfo=UTC
    )


@pytest.mark.django_db
def test_the_admin_previews_runs_and_reads_the_last_report(cast, frozen):
    set_rule(cast, "meetings", amount=30, unit="days", runs_from="date", action="anonymize")
    meeting(cast, date(2030, 1, 1), "Tenant safety walk")
    client = Client()
    client.force_login(cast.admin)
    preview = client.get(reverse("records:retention_preview")).content.decode()
    assert "1 record would be anonymized" in preview and "Tenant safety walk" in preview
    assert RelationalMeeting.objects.get().purpose == "Tenant safety walk"
    response = client.post(reverse("records:retention_run"), follow=True)
    page = response.content.decode()
    assert "1 anonymized" in page
    assert RelationalMeeting.objects.get().purpose == "[removed]"
    assert AuditEvent.objects.filter(event="retention.applied", actor=cast.admin).exists()


@pytest.mark.django_db
def test_the_admin_changes_a_rule_and_bad_values_are_form_errors(cast):
    client = Client()
    client.force_login(cast.admin)
    url = reverse("records:rule_edit", args=["complaints"])
    assert client.get(url).status_code == 200
    for bad in (
        {
            "amount": "99999999999999999999999",
            "unit": "years",
            "runs_from": "created",
            "action": "delete",
        },
        {"amount": "200", "unit": "years", "runs_from": "created", "action": "delete"},
        {"amount": "2", "unit": "years", "runs_from": "expires", "action": "delete"},
        {"amount": "2", "unit": "decades", "runs_from": "created", "action": "delete"},
    ):
        assert client.post(url, bad).status_code == 400, bad
    response = client.post(
        url,
        {
            "amount": "2",
            "unit": "years",
            "runs_from": "created",
            "action": "delete",
            "active": "on",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(event="retention.rule_updated")
    assert event.changes["amount"] == [5, 2] and event.changes["action"] == ["anonymize", "delete"]
    assert client.get(reverse("records:rule_edit", args=["nonsense"])).status_code == 404


@pytest.mark.django_db
def test_only_department_admins_reach_the_schedule(cast):
    for user in (cast.liaison, cast.analyst, cast.partner_a, cast.board_member):
        client = Client()
        client.force_login(user)
        assert client.get(reverse("records:retention")).status_code == 403
        assert client.post(reverse("records:retention_run")).status_code == 403
    assert Client().get(reverse("records:retention")).status_code == 302
    assert not RetentionRun.objects.exists()


@pytest.mark.django_db
def test_the_task_runs_the_schedule_on_the_queue(cast, frozen):
    from powershare.records.tasks import apply_retention

    set_rule(cast, "meetings", amount=30, unit="days", runs_from="date", action="delete")
    meeting(cast, date(2030, 1, 1), "old")
    out = StringIO()
    call_command("apply_retention", "--queue", stdout=out)  # the tests run tasks at once
    assert "Queued retention run" in out.getvalue()
    assert RelationalMeeting.objects.count() == 0
    assert RetentionRun.objects.get().trigger == "task"
    assert apply_retention.enqueue().return_value["meetings"]["count"] == 0


@pytest.mark.django_db
def test_the_schedule_reads_in_spanish(cast):
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(cast.admin)
    page = client.get(reverse("records:retention")).content.decode()
    assert "Calendario de conservación" in page and "Notas de reuniones individuales" in page
    page = client.get(reverse("records:request_new")).content.decode()
    assert "Responder a una solicitud de registros públicos" in page
