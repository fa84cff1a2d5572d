"""The OpenAPI schema is the API's contract: schemathesis generates requests from it (valid
and invalid) and every answer must be a documented status with a body matching the schema,
and never a server error; anonymous and with a token.

The operations are driven with hypothesis directly (schemathesis's pytest plugin does not
load under pytest 9), one `@given` run per operation inside each test.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from questions.models.interviews import INTERVIEWER_GROUP
from quizsite.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = settings(
    max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)


@pytest.fixture
def api(loaded, screening, monkeypatch):
    # Thousands of generated requests in a minute: test the endpoints, not the throttle.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "dicom_inspect": None}
    )
    # Requests go straight to the WSGI app, whose end-of-request signal would close the
    # test's database connection (and its transaction) on PostgreSQL; Django's own test
    # client disconnects it the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _exercise_every_operation(api, headers: dict) -> list[str]:
    tested = []
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @EXAMPLES
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        tested.append(operation.label)
    return tested


def test_the_api_keeps_its_contract_for_anonymous_clients(api):
    assert len(_exercise_every_operation(api, {})) >= 25


def test_the_api_keeps_its_contract_with_a_token(api, alice):
    alice.groups.add(Group.objects.get_or_create(name=INTERVIEWER_GROUP)[0])
    token = Token.objects.get_or_create(user=alice)[0].key
    assert len(_exercise_every_operation(api, {"Authorization": f"Token {token}"})) >= 25
