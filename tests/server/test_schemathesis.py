"""Schemathesis against the server's OpenAPI document, over real HTTP on SQLite and PostgreSQL: no input,
well-formed or not, with a token or without, makes the server fail (5xx).

The operations are driven with plain Hypothesis (``APIOperation.as_strategy``) rather than schemathesis' pytest
plugin, whose fixture mode reaches into pytest's private attributes and broke with pytest 9.2.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from central_server.app import create_app

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def api_schema(live):
    """The OpenAPI document the app builds (it is not served: tests read it from the app itself)."""
    app = create_app(live.settings)
    document = app.openapi()
    app.state.engine.dispose()
    return schemathesis.openapi.from_dict(document)


def test_no_request_makes_the_server_fail(api_schema, live):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10  # the whole API, not an empty document
    live.add_user("office", role="supervisor")
    # A token per operation, all taken before any request: a fuzzed POST /auth/logout ends its own token, and
    # fuzzed logins soon reach the address's login limit.
    with live.client() as client:
        tokens = {operation.label: live.token(client, "office") for operation in operations}
    authenticated: list[int] = []

    for operation in operations:
        token = tokens[operation.label]
        for mode in GenerationMode:
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
            def no_server_error(case):
                for headers in (token, {}):  # noqa: B023 - called at once, below
                    response = case.call(base_url=live.base_url, headers=headers)
                    case.validate_response(response, checks=[not_a_server_error])
                    if headers:
                        authenticated.append(response.status_code)

            try:
                no_server_error()
            except Unsatisfiable:
                # No input breaks this operation's schema (no parameters, or free-text ones only): nothing
                # negative to send; its positive cases ran.
                if mode is not GenerationMode.NEGATIVE:
                    raise
            except Exception as exc:
                exc.add_note(f"{operation.label} ({mode.value})")
                raise

    # The requests with a token went past authentication (a token ended early would make every answer 401).
    assert sum(status != 401 for status in authenticated) > len(authenticated) // 2
