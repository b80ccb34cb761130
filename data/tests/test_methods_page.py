"""The query builder's statistical methods, as a partner sees them on the page."""

from __future__ import annotations

from typing import Any

from data.models import PolicySetting
from data.tests.conftest import story_query


def test_the_builder_offers_the_methods_and_shows_what_they_give(
    client: Any, catalog: dict
) -> None:
    page = client.get(f"/data/query/?{story_query()}").content.decode()
    for label in ("Confidence level", "Rate ratio limits", "Standardized ratio (SMR)"):
        assert label in page
    assert "Rate difference" in page
    page = client.get(f"/data/query/?{story_query()}&smr=on&conf=95%2B99.8").content.decode()
    assert '<th scope="col">Standardized ratio (SMR)</th>' in page


def test_the_trend_has_its_annual_percent_change(client: Any, catalog: dict) -> None:
    page = client.get(f"/data/query/?{story_query()}").content.decode()
    if "Over the years" in page:  # a trend over several blocks of years
        # two blocks of years: the later period against the earlier, with its CI
        assert "Annual percent change" in page
        assert "a year (" in page or "the earlier period&#x27;s rate (" in page


def test_the_policy_chooses_what_to_do_with_empty_age_groups(client: Any, catalog: dict) -> None:
    policy = PolicySetting.current()
    assert policy.engine_fields()["empty_age_groups"] == "refuse"
    policy.empty_age_groups = "renormalize"
    policy.save()
    data = client.get(f"/data/query.json?{story_query()}").json()
    assert data["meta"]["methods"]["empty_age_groups"] == "renormalize"
    assert data["meta"]["policy"]["empty_age_groups"] == "renormalize"


def test_another_confidence_level_is_named_wherever_limits_are(client: Any, catalog: dict) -> None:
    import io

    import pandas as pd

    content = client.get(f"/data/query.csv?{story_query()}&conf=90").content
    header = list(pd.read_csv(io.BytesIO(content)).columns)
    assert "Rate, lower 90% limit" in header and not [h for h in header if "95%" in h]
    page = client.get(f"/data/query/?{story_query()}&conf=90").content.decode()
    assert "at the 90% confidence level" in page
