"""The API's documentation page: every operation, its parameters and responses, rendered on the
server from the OpenAPI schema (no script, nothing from other sites, as the CSP requires)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from powershare.api.main import api


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return str(schema.get("format") or schema.get("type") or "any")


def operations() -> list[dict[str, Any]]:
    """Every operation of the schema, in order, with what a reader needs."""
    schema = api.get_openapi_schema(path_prefix=reverse("api:api-root"))
    found = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": _type(p.get("schema", {})),
                            "description": p.get("description")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": _type(body.get("schema", {})) if body else "",
                    "responses": [
                        {"code": code, "description": r.get("description", "")}
                        for code, r in op.get("responses", {}).items()
                    ],
                }
            )
    return found


def docs(request: HttpRequest) -> HttpResponse:
    context = {
        "operations": operations(),
        "schema_url": reverse("api:openapi-json"),
        "base_url": request.build_absolute_uri(reverse("api:api-root")),
    }
    return render(request, "api/docs.html", context)
