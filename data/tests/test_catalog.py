"""The catalog, measures defined in the UI, the policy page and record-level previews."""

from __future__ import annotations

from typing import Any

from data.models import Measure, PolicyChange, PolicySetting
from powershare.testing import PASSWORD, make_user


def test_the_catalog_lists_datasets_with_years_levels_and_measures(
    client: Any, catalog: dict
) -> None:
    html = client.get("/data/").content.decode()
    assert "Emergency department visits" in html and "2015–2024" in html
    assert "neighborhood" in html
    assert "Asthma ED visits, children 0-17" in html
    assert "Injury ED visits" not in html  # internal: not for the public


def test_an_analyst_defines_and_publishes_a_measure(client: Any, cast: Any, catalog: dict) -> None:
    client.force_login(cast.analyst)
    data = {
        "name": "asthma_adults",
        "label": "Asthma ED visits, adults",
        "short_label": "Asthma emergency visits among adults",
        "dataset": catalog["datasets"]["ed_visits"].pk,
        "kind": "rate",
        "causes": "J45-J46",
        "age_min": 18,
        "age_max": 120,
        "per": 10000,
        "unit": "visits per 10,000 adults",
        "standard": "us2000_19",
        "status": "published",
    }
    response = client.post("/data/measures/new/", data)
    measure = Measure.objects.get(name="asthma_adults")
    assert response["Location"] == f"/data/measures/{measure.pk}/"
    client.logout()
    assert (
        client.get(
            "/data/query.json?measure=asthma_adults&years=2020-2024&level=neighborhood"
        ).status_code
        == 200
    )


def test_a_bad_condition_names_the_field(client: Any, cast: Any, catalog: dict) -> None:
    client.force_login(cast.analyst)
    response = client.post(
        "/data/measures/new/",
        {
            "name": "x",
            "label": "X",
            "short_label": "x",
            "dataset": catalog["datasets"]["ed_visits"].pk,
            "kind": "rate",
            "age_min": 0,
            "age_max": 120,
            "per": 10000,
            "unit": "u",
            "standard": "us2000_19",
            "status": "internal",
            "conditions": "bll is high",
        },
    )
    assert "is not a condition like" in response.content.decode()
    assert not Measure.objects.filter(name="x").exists()


def test_admins_set_the_policy_and_queries_follow_it(client: Any, cast: Any, catalog: dict) -> None:
    client.force_login(cast.admin)
    fields = PolicySetting.current().engine_fields()
    fields.update(min_count=25, suppress_zero="on" if fields["suppress_zero"] else "")
    fields["complementary"] = "on"
    fields["reason"] = "Fewer, steadier numbers"
    fields = {k: v for k, v in fields.items() if v != ""}
    client.post("/data/policy/", fields)
    assert PolicySetting.current().min_count == 11  # proposed, not applied
    # A second department admin approves it, with her password.
    second = make_user("bea@health.example.gov", name="Bea Admin", department_role="admin")
    client.force_login(second)
    change = PolicyChange.objects.get()
    client.post(f"/data/policy/changes/{change.pk}/approve/", {"approve-password": PASSWORD})
    assert PolicySetting.current().min_count == 25
    data = client.get(
        "/data/query.json?measure=asthma_ed_children&years=2020-2024&level=neighborhood"
    ).json()
    assert data["meta"]["policy"]["min_count"] == 25


def test_analysts_read_the_policy_but_cannot_change_it(
    client: Any, cast: Any, catalog: dict
) -> None:
    client.force_login(cast.analyst)
    assert "Only department administrators" in client.get("/data/policy/").content.decode()
    assert client.post("/data/policy/", {"min_count": 1}).status_code == 403


def test_record_level_data_is_for_analysts_only(client: Any, cast: Any, catalog: dict) -> None:
    dataset = catalog["datasets"]["ed_visits"]
    client.force_login(cast.analyst)
    assert (
        "for analysts only" in client.get(f"/data/datasets/{dataset.pk}/records/").content.decode()
    )
    for user in (cast.liaison, cast.partner_a):
        client.force_login(user)
        assert client.get(f"/data/datasets/{dataset.pk}/records/").status_code == 403
