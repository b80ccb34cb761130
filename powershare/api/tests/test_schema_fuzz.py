"""Schemathesis against the OpenAPI schema, in process through the WSGI app: for every operation,
generated requests (valid and not) never get a 500, and every answer matches the schema.
Bounded: a few dozen examples per operation, no shrinking, so it runs in well under a minute."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from powershare.api.models import Webhook
from powershare.api.tests.helpers import token_for
from powershare.testing import make_ask, make_campaign

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def keep_connection():
    # As Django's test client does: the WSGI handler must not close the test's connection.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(cast, settings, stats_root, keep_connection):
    settings.ALLOWED_HOSTS = ["*"]
    settings.API_RATE_LIMIT = 0
    settings.API_RATE_LIMIT_ANONYMOUS = 0
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # no DNS lookups of generated webhook hosts
    for visibility in ("private", "liaison", "department", "public"):
        make_campaign(cast.org_a, visibility=visibility)
    for visibility in ("liaison", "department", "public"):
        make_ask(cast.org_a, visibility=visibility)
    Webhook.objects.create(
        owner=cast.partner_a, url="https://hooks.example.org/a", events=["ask.status_changed"]
    )
    return cast


@pytest.mark.parametrize("role", ["partner_a", "admin"])
def test_every_operation_answers_within_its_schema(seeded, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {token_for(getattr(seeded, role))}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
