"""Server tests run on SQLite and on PostgreSQL, against a real uvicorn server over real HTTP.

PostgreSQL comes from ``CONSULTANT_CENTRAL_TEST_PG_URL`` (a role allowed to create databases; .ci/run sets it
up). Each test gets a database of its own. Without the variable the PostgreSQL runs are skipped on a
developer's machine, but fail in CI (``CI`` set), so CI cannot silently lose them.
"""

from __future__ import annotations

import io
import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from central_server.cli import main
from central_server.config import Settings
from tests.server.live import LiveServer, start_server

PG_URL_ENV = "CONSULTANT_CENTRAL_TEST_PG_URL"


def _pg_base_url() -> URL:
    value = os.environ.get(PG_URL_ENV, "").strip()
    if not value:
        message = f"{PG_URL_ENV} is not set: the PostgreSQL runs of the server tests need it"
        if os.environ.get("CI"):
            pytest.fail(message + " (in CI it must be set: see .ci/run)", pytrace=False)
        pytest.skip(message)
    return make_url(value)


@pytest.fixture(scope="session")
def pg_admin():
    """An engine on the PostgreSQL test database, used to create and drop each test's own database."""
    base = _pg_base_url()
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    yield base, engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file in the test's folder, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield URL.create("sqlite", database=str(tmp_path / "central-test.sqlite3")).render_as_string()
        return
    base, admin = request.getfixturevalue("pg_admin")
    name = f"central_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)


def _drop_database(admin, name: str) -> None:
    # FORCE ends connections the test left behind, but refuses when an autovacuum worker is in the database
    # (not ours to terminate); a plain DROP stops autovacuum itself. So: one, else the other, a few times.
    for attempt in range(20):
        force = " WITH (FORCE)" if attempt % 2 == 0 else ""
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"{force}'))
            return
        except DBAPIError:
            if attempt == 19:
                raise
            time.sleep(0.25)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "central-data", database_url=database_url)


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveServer]:
    """The server running on a fresh database."""
    server = start_server(settings)
    yield server
    server.stop()


@pytest.fixture
def start(request) -> Iterator:
    """Start servers with particular settings; each is stopped after the test."""
    started: list[LiveServer] = []

    def run(settings: Settings, **options) -> LiveServer:
        server = start_server(settings, **options)
        started.append(server)
        return server
    yield run
    for server in started:
        server.stop()


@pytest.fixture
def cli(settings, monkeypatch, capsys):
    """Run ``consultant-central --data-dir ... --database-url ... ARGS`` in this process: (code, out, err)."""
    def run(*args: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(["--data-dir", str(settings.data_dir), "--database-url", settings.database_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run
