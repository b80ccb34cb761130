"""The policy's pages: Alice proposes on the policy page, the change's page shows what it would
do to published tables, Bob approves with his password (or rejects), the policy page lists
the versions and downloads them as CSV. Other roles read or are refused, never a 500."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from data import policy_changes
from data.models import PolicyChange, PolicySetting
from powershare.testing import PASSWORD, make_user


@pytest.fixture
def bob(cast: Any) -> Any:
    return make_user("bob@health.example.gov", name="Bob Admin", department_role="admin")


def form_data(**changes: Any) -> dict[str, Any]:
    """The policy page's form as it stands, with ``changes``, as a browser would post it."""
    policy = PolicySetting.current()
    data: dict[str, Any] = {}
    for name in PolicySetting.ENGINE_FIELDS:
        value = changes.get(name, getattr(policy, name))
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value
    data["reason"] = changes.get("reason", "Tables for the housing campaign")
    return data


def test_an_admin_proposes_and_nothing_applies_yet(
    client: Any, cast: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.admin)
    page = client.get("/data/policy/").content.decode()
    assert "Propose a change" in page and "Why this change" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/data/policy/", form_data(min_count=5))
    change = PolicyChange.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert PolicySetting.current().min_count == 11
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Smallest count shown" in page and "Tables for the housing campaign" in page
    assert "Withdraw the change" in page and "Approve and apply" not in page
    assert "Compared 0 published tables" in page  # no published measure in this catalog
    # Every page now tells the admins that a change is waiting.
    assert "waiting for another administrator" in client.get("/").content.decode()
    client.force_login(bob)
    home = client.get("/").content.decode()
    assert "waiting for a second administrator" in home and change.get_absolute_url() in home


def test_a_second_proposal_is_refused_naming_the_pending_one(
    client: Any, cast: Any, bob: Any
) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    client.force_login(bob)
    page = client.get("/data/policy/").content.decode()
    assert "Propose this change" not in page and change.get_absolute_url() in page
    response = client.post("/data/policy/", form_data(year_block=3))
    assert response.status_code == 400
    assert f"Policy change {change.pk}, proposed by Alice Admin" in response.content.decode()
    assert PolicyChange.objects.count() == 1


def test_a_proposal_without_a_reason_or_with_bad_values_is_refused(client: Any, cast: Any) -> None:
    client.force_login(cast.admin)
    response = client.post("/data/policy/", form_data(min_count=5, reason=""))
    assert response.status_code == 400 and not PolicyChange.objects.exists()
    response = client.post("/data/policy/", form_data(perturbation_small=9))
    assert response.status_code == 400 and "perturbation_small" in response.content.decode()
    assert not PolicyChange.objects.exists()


def test_the_second_admin_approves_with_the_password(client: Any, cast: Any, bob: Any) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    client.force_login(bob)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Approve and apply" in page and "Reject" in page
    url = f"/data/policy/changes/{change.pk}/approve/"
    wrong = client.post(url, {"approve-password": "not it", "approve-note": "ok"})
    assert wrong.status_code == 400 and "That is not your password" in wrong.content.decode()
    assert PolicySetting.current().min_count == 11
    response = client.post(url, {"approve-password": PASSWORD, "approve-note": "Agreed"})
    assert response.status_code == 302 and response["Location"] == "/data/policy/"
    assert PolicySetting.current().min_count == 5
    page = client.get("/data/policy/").content.decode()
    assert "version 1 of the policy is in force" in page
    assert "Bob Admin" in page and "Alice Admin" in page and "11 → 5" in page
    assert "waiting for" not in page  # the banner is gone


def test_the_proposer_cannot_approve_from_the_page(client: Any, cast: Any, bob: Any) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    client.force_login(cast.admin)
    url = f"/data/policy/changes/{change.pk}/approve/"
    assert client.post(url, {"approve-password": PASSWORD}).status_code == 403
    assert PolicySetting.current().min_count == 11


def test_reject_and_withdraw_from_the_page(client: Any, cast: Any, bob: Any) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    client.force_login(bob)
    url = f"/data/policy/changes/{change.pk}/reject/"
    assert client.post(url, {"reject-note": ""}).status_code == 400
    assert client.post(url, {"reject-note": "Too small for Northgate"}).status_code == 302
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Rejected by Bob Admin" in page and "Too small for Northgate" in page
    again = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=6)
    client.force_login(cast.admin)
    response = client.post(f"/data/policy/changes/{again.pk}/withdraw/", {})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == PolicyChange.Status.WITHDRAWN
    listing = client.get("/data/policy/changes/").content.decode()
    assert "Withdrawn" in listing and "Rejected" in listing


@pytest.mark.parametrize("role", ["liaison", "analyst"])
def test_staff_read_the_change_but_cannot_decide(client: Any, cast: Any, role: str) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    client.force_login(getattr(cast, role))
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Smallest count shown" in page and "Approve and apply" not in page
    assert "other than the one who proposed it" in page
    assert "ps-policy-banner" not in page  # the banner is for admins
    for action in ("approve", "reject", "withdraw", "refresh"):
        url = f"/data/policy/changes/{change.pk}/{action}/"
        assert client.post(url, {"approve-password": PASSWORD}).status_code == 403
    assert client.post("/data/policy/", form_data(min_count=3)).status_code == 403


@pytest.mark.parametrize("role", ["partner_a", "board_member", "reviewer", "public"])
def test_outsiders_are_refused(client: Any, cast: Any, role: str) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    if role != "public":
        client.force_login(getattr(cast, role))
    urls = ["/data/policy/", "/data/policy/changes/", change.get_absolute_url()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if role == "public" else 403), url
    response = client.post(f"/data/policy/changes/{change.pk}/approve/", {})
    assert response.status_code == (302 if role == "public" else 403)
    if role == "public":
        assert "/accounts/login/" in response["Location"]


def test_the_preview_is_polled_as_a_fragment(client: Any, cast: Any) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="r", min_count=5)
    client.force_login(cast.admin)
    fragment = client.get(change.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="policy-preview"') and 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment


def test_the_versions_download_as_csv(client: Any, cast: Any, bob: Any) -> None:
    change = policy_changes.propose_policy_change(actor=cast.admin, reason="Why not", min_count=5)
    policy_changes.approve_policy_change(actor=bob, change=change)
    client.force_login(cast.liaison)
    response = client.get("/data/policy/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["Version"] == "1" and rows[0]["Proposed by"] == "Alice Admin"
    assert rows[0]["Approved by"] == "Bob Admin" and rows[0]["min_count"] == "5"
    assert rows[0]["What changed"] == "Smallest count shown: 11 → 5"
    assert "@" not in response.content.decode()


def test_the_policy_page_in_spanish(client: Any, cast: Any) -> None:
    client.force_login(cast.admin)
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    page = client.get("/data/policy/").content.decode()
    assert "Proponer un cambio" in page and "Versiones" in page
