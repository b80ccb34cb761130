"""Sync clients pass ``updated_since``; odd but valid ISO offsets never break the query."""

from django.test import Client

from accounts.actions import create_api_token


def test_updated_since_with_an_extreme_offset_answers(cast):
    secret = create_api_token(actor=cast.admin, name="sync", scope="read")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    for since in ("0217-11-05T04:46:39+21:08", "0001-01-01T00:00:00+23:00", "2025-01-01T00:00"):
        response = client.get("/api/v1/organizations", {"updated_since": since})
        assert response.status_code == 200, (since, response.content[:200])
