"""The audit log: department admins read it; private records stay unnamed."""

from django.urls import reverse

from partners import actions
from powershare.testing import make_campaign


def test_admin_filters_the_log_and_private_records_are_redacted(cast, client):
    secret = make_campaign(cast.org_a, visibility="private", title="Secret strategy")
    actions.update_campaign(actor=cast.partner_a, campaign=secret, goal="New goal")
    shared = make_campaign(cast.org_a, visibility="department", title="Shared plan")
    actions.update_campaign(actor=cast.partner_a, campaign=shared, goal="Shared goal")
    client.force_login(cast.admin)
    page = client.get(reverse("audit:log")).content.decode()
    assert "Secret strategy" not in page and "New goal" not in page
    assert "(private record)" in page
    assert "Shared plan" in page and "Shared goal" in page
    export = client.get(reverse("audit:export")).content.decode()
    assert "Secret strategy" not in export and "Shared plan" in export
    filtered = client.get(
        reverse("audit:log"), {"record_id": shared.pk, "record_type": "partners.campaign"}
    )
    assert filtered.content.decode().count("campaign.updated") == 1


def test_bad_filters_are_refused_by_name(cast, client):
    client.force_login(cast.admin)
    for name in ("audit:log", "audit:export"):
        response = client.get(
            reverse(name), {"since": "yesterday", "until": "2025-02-30", "user": "9" * 23}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter a valid date." in page
        assert all(f"<code>{field}</code>" in page for field in ("since", "until", "user"))


def test_only_admins_read_the_log(cast, client):
    client.force_login(cast.liaison)
    assert client.get(reverse("audit:log")).status_code == 403
