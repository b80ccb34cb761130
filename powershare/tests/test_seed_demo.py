"""The demo county: every role can sign in, and the same seed gives the same county."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from partners.models import Campaign, Partnership, PartnershipRating
from support.models import Ask


def _county() -> dict[str, object]:
    return {
        "campaigns": sorted(Campaign.objects.values_list("title", "visibility", "status")),
        "asks": sorted(Ask.objects.values_list("title", "kind", "status", "visibility")),
        "ratings": sorted(
            PartnershipRating.objects.values_list("partnership__cpbo__name", "side", "level")
        ),
    }


def test_demo_county_has_what_the_issue_promises(db):
    out = StringIO()
    call_command("seed_demo", seed=7, stdout=out)
    printed = out.getvalue()
    for email in ("admin@", "liaison@", "analyst@", "partner@", "board@", "reviewer@"):
        assert email in printed
    assert (
        Campaign.objects.filter(organization__kind="cpbo").values("organization").distinct().count()
        == 6
    )
    from powershare.demo_content import ASKS

    core_asks = Ask.objects.filter(title__in=[title for _kind, title, _text in ASKS])
    assert core_asks.count() == 30
    assert set(core_asks.values_list("kind", flat=True)) == set(Ask.Kind.values)
    assert set(core_asks.values_list("status", flat=True)) == set(Ask.Status.values)
    levels = set(PartnershipRating.objects.values_list("level", flat=True))
    assert len(levels) >= 3
    assert Partnership.objects.filter(meetings__isnull=False).distinct().count() == 6
    # Every ask's timeline starts at "new" and ends at its status.
    for ask in Ask.objects.prefetch_related("events"):
        events = list(ask.events.all())
        assert events[0].to_status == "new" and events[-1].to_status == ask.status

    client = Client()
    assert client.login(email="partner@demo.powershare.org", password="powershare-demo")
    assert "Healthy Housing Ordinance" in client.get("/").content.decode()

    # Grants and the board carry their later records too: a withdrawn application, report
    # reminders coming due and late, stipends paid by finance with the last month owed.
    from accountability.models import StipendPayment
    from grants.models import Application, ReportReminder

    assert Application.objects.filter(status="withdrawn").count() == 1
    assert set(ReportReminder.objects.values_list("kind", flat=True)) == {"due", "overdue"}
    assert StipendPayment.objects.exists()
    assert client.login(email="admin@demo.powershare.org", password="powershare-demo")
    assert "Progress reports due" in client.get("/grants/reports/due/").content.decode()


# --reset flushes the database, which PostgreSQL refuses inside a test's open transaction.
@pytest.mark.django_db(transaction=True)
def test_same_seed_same_county_and_no_duplicates():
    call_command("seed_demo", seed=3, stdout=StringIO())
    first = _county()
    call_command("seed_demo", seed=3, stdout=StringIO())  # already there: nothing added
    assert _county() == first
    call_command("seed_demo", seed=3, reset=True, stdout=StringIO())
    assert _county() == first
    assert User.objects.filter(email="admin@demo.powershare.org").count() == 1


@pytest.mark.django_db(transaction=True)
def test_reset_refuses_a_database_with_real_users():
    from django.core.management.base import CommandError

    from powershare.testing import make_user

    call_command("seed_demo", seed=3, stdout=StringIO())
    make_user("real.person@county.example.gov")
    try:
        call_command("seed_demo", seed=3, reset=True, stdout=StringIO())
    except CommandError as error:
        assert "users outside the demo county" in str(error)
    else:
        raise AssertionError("reset went ahead")
    assert User.objects.filter(email="real.person@county.example.gov").exists()
