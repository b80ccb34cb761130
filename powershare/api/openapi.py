"""The OpenAPI document as the API behaves, not as Ninja guesses: finishing touches on the schema
Ninja generates.

- ``servers``: the deployment's address, ``SITE_URL`` (the paths carry ``/api/v1/``).
- ``security``: the token, and ``{}`` (no credentials) beside it where a caller without a token
  is answered, as ``TokenAuth.allows_anonymous`` decides for the operation's method: the
  public's reads. Writes and the webhooks declare the token alone.
- Errors: every 4xx response is ``application/problem+json`` (RFC 9457), a 401 with its
  ``WWW-Authenticate`` challenge, a 429 with its ``Retry-After``; the 405 of a method a path
  lacks, which belongs to no operation, is a reusable response in ``components``.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from powershare.api.problems import MEDIA_TYPE
from powershare.site import site_url

TOKEN = "TokenAuth"
HEADERS = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to authenticate with: `Bearer`.",
            "schema": {"type": "string"},
        }
    },
    405: {
        "Allow": {
            "description": "The methods the path accepts.",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds until the rate limit's window ends.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}
DESCRIPTIONS = {
    400: "The input was refused; `errors` names each field.",
    401: "No valid token (or a call that needs one made without).",
    403: "You may see the record but may not do this, or the token is read-only.",
    404: "Not found, or not yours to see (the two can't be told apart).",
    405: "The path does not accept this method; `Allow` lists the ones it does.",
    422: "Malformed parameters or body; `errors` gives each `field` and `message`.",
    429: "Past the rate limit; retry after `Retry-After` seconds.",
}


def anonymous_operations(api: NinjaAPI) -> set[tuple[str, str]]:
    """``(operationId, method)`` of every operation a caller without a token may make."""
    found = set()
    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            for operation in path_view.operations:
                op_id = operation.operation_id or api.get_openapi_operation_id(operation)
                for method in operation.methods:
                    if any(
                        getattr(auth, "allows_anonymous", lambda m: False)(method)
                        for auth in operation.auth_callbacks or ()
                    ):
                        found.add((op_id, method.lower()))
    return found


def _problem_response(code: int, response: dict[str, Any]) -> dict[str, Any]:
    content = response.get("content", {})
    schema = next(iter(content.values()), {}).get("schema")
    out = {"description": DESCRIPTIONS.get(code, response.get("description", ""))}
    if schema is not None:
        out["content"] = {MEDIA_TYPE: {"schema": schema}}
    if code in HEADERS:
        out["headers"] = HEADERS[code]
    return out


def finish(api: NinjaAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (Ninja's) with its servers, security and error responses made true."""
    schema["servers"] = [{"url": site_url(), "description": "This deployment (SITE_URL)."}]
    anonymous = anonymous_operations(api)
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            if "security" in operation:
                optional = (operation.get("operationId"), method) in anonymous
                operation["security"] = [{TOKEN: []}] + ([{}] if optional else [])
            operation["responses"] = {
                code: _problem_response(int(code), response) if int(code) >= 400 else response
                for code, response in operation.get("responses", {}).items()
            }
    problem_ref = {"$ref": "#/components/schemas/Problem"}
    components = schema.setdefault("components", {})
    components.setdefault("responses", {})["MethodNotAllowed"] = {
        "description": DESCRIPTIONS[405],
        "headers": HEADERS[405],
        "content": {MEDIA_TYPE: {"schema": problem_ref}},
    }
    return schema
