"""Schemathesis against the server's OpenAPI document, over real HTTP on SQLite and PostgreSQL: no input,
well-formed or not, with a token or without, makes the server fail (5xx)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from central_server.app import create_app


@pytest.fixture
def api_schema(live):
    """The OpenAPI document the app builds (it is not served: tests read it from the app itself)."""
    app = create_app(live.settings)
    document = app.openapi()
    app.state.engine.dispose()
    return schemathesis.openapi.from_dict(document)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(live):
    live.add_user("office", role="supervisor")
    with live.client() as client:
        return live.token(client, "office")


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_request_makes_the_server_fail(case, live, token):
    for headers in (token, {}):
        response = case.call(base_url=live.base_url, headers=headers)
        case.validate_response(response, checks=[not_a_server_error])
