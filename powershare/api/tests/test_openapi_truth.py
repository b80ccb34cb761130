"""The OpenAPI document tells the truth: the token is optional exactly where the public is
answered, ``servers`` is the deployment's address, and an independent validator (not Ninja,
not schemathesis) accepts the document and the answers it describes."""

from __future__ import annotations

import json
import re

import pytest

from powershare.api.tests.helpers import client_for
from powershare.testing import make_campaign


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_security_lists_no_credentials_exactly_where_anonymous_calls_are_answered(cast):
    anonymous = client_for(None)
    schema = anonymous.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    optional, required = [], []
    for path, method, operation in operations(schema):
        security = operation["security"]
        assert {"TokenAuth": []} in security, (method, path)
        url = re.sub(r"{[^}]+}", "1", path)
        call = getattr(anonymous, method)
        response = (
            call(url, "{}", content_type="application/json") if method != "get" else call(url)
        )
        if {} in security:
            optional.append((method, path))
            # Answered as the public: whatever the outcome (200, 404, 422), it isn't "sign in".
            assert response.status_code != 401, (method, path, response.content[:200])
        else:
            required.append((method, path))
            assert security == [{"TokenAuth": []}], (method, path)
            assert response.status_code == 401, (method, path)
    assert ("get", "/api/v1/organizations") in optional
    assert ("get", "/api/v1/statistics/query") in optional
    assert ("post", "/api/v1/asks") in required
    assert ("get", "/api/v1/webhooks") in required
    assert all(method == "get" for method, _ in optional)


def test_servers_is_the_site_url(cast, settings):
    settings.SITE_URL = "https://powershare.example.gov/"
    schema = client_for(None).get("/api/v1/openapi.json").json()
    assert [server["url"] for server in schema["servers"]] == ["https://powershare.example.gov"]
    # A client joins the server and a path: the deployment's address, not the Host it used.
    assert "/api/v1/organizations" in schema["paths"]


def test_an_independent_validator_accepts_the_document_and_its_answers(cast):
    validator = pytest.importorskip("openapi_spec_validator")
    schema_validator = pytest.importorskip("openapi_schema_validator")
    make_campaign(cast.org_a, visibility="public", title="Heat standard")
    client = client_for(cast.partner_a)
    schema = client.get("/api/v1/openapi.json").json()
    validator.validate(schema)

    def check(path, method, code, response):
        declared = schema["paths"][path][method]["responses"][str(code)]
        media = response["Content-Type"].split(";")[0]
        body_schema = {**declared["content"][media]["schema"], "components": {}}
        body_schema["components"] = schema["components"]
        schema_validator.validate(
            json.loads(response.content), body_schema, cls=schema_validator.OAS31Validator
        )

    check("/api/v1/campaigns", "get", 200, client.get("/api/v1/campaigns"))
    check("/api/v1/campaigns/{campaign_id}", "get", 404, client.get("/api/v1/campaigns/999999"))
    check("/api/v1/campaigns", "get", 422, client.get("/api/v1/campaigns?page=x"))
    refused = client.post(
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
    check("/api/v1/asks", "post", 400, refused)
    check("/api/v1/webhooks", "get", 401, client_for(None).get("/api/v1/webhooks"))
