"""Reliability tests use the server tests' fixtures: a real uvicorn on SQLite and on PostgreSQL, a fresh database
per test (see tests/server/conftest.py for CONSULTANT_CENTRAL_TEST_PG_URL)."""

from __future__ import annotations

import pytest

from tests.reliability.helpers import PASSWORD
from tests.server.conftest import database_url, live, pg_admin, settings  # noqa: F401 (fixtures)


@pytest.fixture
def people(live):  # noqa: F811
    """The live server with two consultants and a supervisor."""
    live.add_user("kim", role="consultant", password=PASSWORD)
    live.add_user("lee", role="consultant", password=PASSWORD)
    live.add_user("office", role="supervisor", password=PASSWORD)
    return live
