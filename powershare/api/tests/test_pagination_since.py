"""Sync clients pass ``updated_since``: an ISO 8601 date-time, and nothing else. Odd but valid
offsets never break the query; a number, a date alone or a word is a 422 problem that names
the parameter and the form it expects, not a Unix time read in silence."""

import pytest
from django.test import Client

from accounts.actions import create_api_token
from powershare.testing import make_campaign


@pytest.fixture
def sync(cast):
    secret = create_api_token(actor=cast.admin, name="sync", scope="read")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_updated_since_with_an_extreme_offset_answers(sync):
    for since in (
        "0217-11-05T04:46:39+21:08",
        "0001-01-01T00:00:00+23:00",
        "2025-01-01T00:00",
        "2025-01-01T00:00:00.123456Z",
        "2025-01-01 00:00:00+02:00",
    ):
        response = sync.get("/api/v1/organizations", {"updated_since": since})
        assert response.status_code == 200, (since, response.content[:200])


def test_a_time_after_everything_lists_nothing(cast, sync):
    make_campaign(cast.org_a, visibility="public")
    for since in ("9999-12-31T23:59:59-23:00", "9999-12-31T23:59:59Z"):
        response = sync.get("/api/v1/campaigns", {"updated_since": since})
        assert response.status_code == 200 and response.json()["count"] == 0, since
    assert sync.get("/api/v1/campaigns", {"updated_since": "2000-01-01T00:00Z"}).json()["count"]


@pytest.mark.parametrize(
    "since", ["0.5", "1700000000", "2025-03-01", "yesterday", "", "2025-13-01T00:00:00Z"]
)
def test_anything_but_an_iso_date_time_is_a_problem_naming_the_parameter(sync, since):
    response = sync.get("/api/v1/campaigns", {"updated_since": since})
    assert response.status_code == 422, response.content[:200]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["field"] == "query.updated_since"
    assert "query.updated_since" in problem["detail"]
    if since != "2025-13-01T00:00:00Z":  # a well-formed impossible date: pydantic says why
        assert "ISO 8601 date-time such as 2025-03-01T17:00:00Z" in problem["detail"]
