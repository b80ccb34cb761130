"""A program that reads an error gets RFC 9457 problem details, whatever went wrong: a record it
may not see, a path or id that names nothing, a method the path lacks, refused or malformed
input, a missing or read-only token, the rate limit. Never Django's HTML pages."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from powershare.api.tests.helpers import client_for
from powershare.testing import make_ask

PROBLEM = "application/problem+json"


def problem_of(response, status):
    """The problem a response carries, after checking its status and media type."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == PROBLEM
    body = json.loads(response.content)
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"] and isinstance(body["title"], str)
    assert body["detail"] and isinstance(body["detail"], str)
    return body


def test_a_record_you_may_not_see_is_a_404_problem(cast):
    hidden = make_ask(cast.org_b, visibility="liaison")
    for path in ("/api/v1/asks/999999", f"/api/v1/asks/{hidden.pk}"):
        body = problem_of(client_for(cast.partner_a).get(path), 404)
        assert body == {
            "type": "about:blank",
            "title": "Not Found",
            "status": 404,
            "detail": "Not found.",
        }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations/abc",  # a malformed id: no URL matches it
        "/api/v1/no-such-resource",
        "/api/v1/organizations/",  # a trailing slash names nothing either
        "/api/v1/",  # the API's root
    ],
)
def test_a_path_that_names_nothing_is_a_404_problem_not_a_page(cast, path):
    for client in (client_for(None), client_for(cast.partner_a)):
        body = problem_of(client.get(path), 404)
        assert "<html" not in json.dumps(body).lower()


def test_a_method_the_path_lacks_is_a_405_problem_with_allow(cast):
    response = client_for(cast.admin).delete("/api/v1/organizations")
    body = problem_of(response, 405)
    assert response["Allow"] == "GET"
    assert body["title"] == "Method Not Allowed"
    assert "DELETE" in body["detail"] and "GET" in body["detail"]
    put = client_for(cast.admin).put("/api/v1/asks", "{}", content_type="application/json")
    assert sorted(problem_of(put, 405) and put["Allow"].split(", ")) == ["GET", "POST"]


def test_malformed_parameters_are_a_422_problem_naming_each_one(cast):
    body = problem_of(client_for(None).get("/api/v1/campaigns?page=zero&page_size=0"), 422)
    assert {e["field"] for e in body["errors"]} == {"query.page", "query.page_size"}
    assert "query.page" in body["detail"]
    for path in ("/api/v1/asks/0", "/api/v1/asks/12x/timeline"):
        body = problem_of(client_for(None).get(path), 422)
        assert body["errors"][0]["field"] == "path.ask_id"


def test_refused_input_is_a_400_problem(cast):
    partner = client_for(cast.partner_a)
    response = partner.post(
        "/api/v1/asks",
        {
            "organization": cast.org_a.pk,
            "kind": "data",
            "title": "x",
            "description": "y",
            "visibility": "private",
        },
        content_type="application/json",
    )
    body = problem_of(response, 400)
    assert body["title"] == "Bad Request"
    assert [e["field"] for e in body["errors"]] == ["body.visibility"]
    not_json = partner.post("/api/v1/asks", "{", content_type="application/json")
    assert not_json["Content-Type"] == PROBLEM and not_json.status_code in (400, 422)


def test_token_problems_are_401_with_a_challenge_and_403(cast):
    anonymous = client_for(None)
    write = anonymous.post("/api/v1/asks", {}, content_type="application/json")
    assert problem_of(write, 401)["title"] == "Unauthorized"
    assert write["WWW-Authenticate"] == 'Bearer realm="powershare"'
    webhooks = anonymous.get("/api/v1/webhooks")
    assert "token" in problem_of(webhooks, 401)["detail"]
    wrong = anonymous.get("/api/v1/asks", HTTP_AUTHORIZATION="Bearer nonsense")
    problem_of(wrong, 401)
    reader = client_for(cast.partner_a, scope="read")
    refused = reader.post("/api/v1/asks", {}, content_type="application/json")
    assert "read-only" in problem_of(refused, 403)["detail"]


def test_the_rate_limit_is_a_429_problem_with_retry_after(cast, settings):
    settings.API_RATE_LIMIT_ANONYMOUS = 1
    cache.clear()
    client = client_for(None)
    assert client.get("/api/v1/organizations").status_code == 200
    limited = client.get("/api/v1/organizations")
    body = problem_of(limited, 429)
    assert body["title"] == "Too Many Requests"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Rate limit" in body["detail"]
    cache.clear()


def test_the_schema_documents_every_error_as_a_problem(cast):
    schema = client_for(None).get("/api/v1/openapi.json").json()
    problems = schema["components"]["schemas"]
    assert set(problems["Problem"]["required"]) >= {"title", "status", "detail"}
    assert "errors" in problems["InvalidProblem"]["properties"]
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"401", "404", "422", "429"} <= codes, (method, path)
            for code, response in operation["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == [PROBLEM], (method, path, code)
            limited = operation["responses"]["429"]
            assert "Retry-After" in limited["headers"], (method, path)
    not_allowed = schema["components"]["responses"]["MethodNotAllowed"]
    assert list(not_allowed["content"]) == [PROBLEM] and "Allow" in not_allowed["headers"]
