"""A change to the suppression policy takes two department admins: Alice proposes a smaller
smallest count, sees what it would do to the published tables, Bob approves it with his
password, and the policy page shows the new version to both."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from data import actions, portal
from data.demo import DATASETS, DEMO_POLICY, MEASURES
from powershare import stats
from powershare.stats.synth import generate_county
from powershare.testing import PASSWORD, make_user
from tests.browser.helpers import axe_violations, describe_violations, login

pytestmark = pytest.mark.browser

# Comparing and approving protect the new policy's release cubes, a few seconds each.
SLOW = 90_000


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("county")
    generate_county(root, seed=5, scale=100_000)
    return root


@pytest.fixture
def catalog(cast: Any, county: Path) -> Any:
    """The demo's datasets and policy, with two of its published measures."""
    shutil.copytree(county, Path(settings.DATA_ROOT), dirs_exist_ok=True)
    portal.reset()
    actions.update_policy(actor=cast.admin, **DEMO_POLICY)
    datasets = {}
    for name, title, kind, description, source, caveats in DATASETS:
        datasets[name] = actions.create_dataset(
            actor=cast.analyst, name=name, title=title, kind=kind, description=description,
            source=source, caveats=caveats,
        )  # fmt: skip
    for name in ("asthma_ed_children", "heat_illness"):
        status, unit, subject, label_es, subject_es = MEASURES[name]
        m = stats.DEFAULT_MEASURES[name]
        actions.create_measure(
            actor=cast.analyst, name=name, label=m.label, short_label=subject, label_es=label_es,
            short_label_es=subject_es, dataset=datasets[m.dataset], kind=m.kind,
            causes=", ".join(m.causes), age_min=m.age_min, age_max=m.age_max, sex=m.sex or "",
            conditions="", numerator_conditions="", per=m.per, unit=unit, standard=m.standard,
            description=m.description, status=status,
        )  # fmt: skip
    yield datasets
    portal.reset()


def test_alice_proposes_bob_approves_and_the_policy_has_a_new_version(
    new_context: Any, cast: Any, catalog: Any
) -> None:
    bob = make_user("bob@health.example.gov", name="Bob Admin", department_role="admin")

    alice: Page = new_context().new_page()
    login(alice, cast.admin)
    alice.goto("/data/policy/")
    expect(alice.get_by_role("heading", name="Propose a change")).to_be_visible()
    alice.get_by_label("Smallest count shown").fill("5")
    alice.get_by_label("Why this change").fill("Smaller counts for the housing campaign")
    alice.get_by_role("button", name="Propose this change").click()

    expect(alice.get_by_role("heading", level=1)).to_have_text(re.compile(r"Policy change \d+"))
    changes = alice.locator("table").first
    expect(changes).to_contain_text("Smallest count shown")
    preview = alice.locator("#policy-preview")
    expect(preview).to_contain_text("numbers newly shown", timeout=SLOW)
    expect(preview).to_contain_text("Asthma ED visits, children 0-17, neighborhoods")
    expect(alice.get_by_role("button", name="Approve and apply")).to_have_count(0)
    expect(alice.get_by_role("button", name="Withdraw the change")).to_be_visible()
    violations = axe_violations(alice)
    assert not violations, describe_violations("policy change page", violations)

    bob_page: Page = new_context().new_page()
    login(bob_page, bob)
    banner = bob_page.locator(".ps-policy-banner")
    expect(banner).to_contain_text("waiting for a second administrator")
    banner.get_by_role("link", name="Review it").click()
    expect(bob_page.locator("#policy-preview")).to_contain_text("numbers newly shown")
    bob_page.get_by_label("Note on the decision").fill("Agreed with the advisory board")
    bob_page.get_by_label("Your password, to confirm").fill(PASSWORD)
    bob_page.get_by_role("button", name="Approve and apply").click()

    expect(bob_page).to_have_url(re.compile(r"/data/policy/$"), timeout=SLOW)
    expect(bob_page.get_by_role("status").first).to_contain_text(
        "version 2 of the policy is in force"
    )
    newest = bob_page.locator("#versions ~ table tbody tr").first
    expect(newest).to_contain_text("Alice Admin")
    expect(newest).to_contain_text("Bob Admin")
    expect(newest).to_contain_text("Smallest count shown: 11 → 5")
    expect(bob_page.locator(".ps-policy-banner")).to_have_count(0)

    alice.goto("/data/policy/")
    expect(alice.locator("#versions ~ table tbody tr").first).to_contain_text("11 → 5")
    expect(alice.get_by_label("Smallest count shown")).to_have_value("5")
    violations = axe_violations(alice)
    assert not violations, describe_violations("policy page", violations)
