"""The database engine (SQLite pragmas on every connection, or PostgreSQL through psycopg 3) and sessions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from central_server.config import Settings
from central_server.files import private_dir, private_file, tighten
from consultant_app.errors import AppError

BEGIN_OPTION = "sqlite_begin"
SQLITE_BUSY_MS = 15_000  # several workers share one file: wait for the writer rather than fail


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The laptop store's settings (consultant_app/store/database.py), with a longer wait for the write lock.
    # pysqlite would open transactions only before writes, so reads and DDL ran outside any: _sqlite_begin
    # emits BEGIN itself instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # IMMEDIATE (write_transaction) takes the write lock first: a read-then-write unit of work then waits for
    # another writer instead of failing at its first write because its snapshot went stale.
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(settings: Settings) -> Engine:
    """An engine on the configured database: SQLite with WAL, FULL sync and foreign keys, or PostgreSQL."""
    url = settings.url()
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = settings.sqlite_path
        if path is not None:
            # Made here as the server's user's only: SQLite gives its -wal and -shm files the database's mode.
            private_dir(path.parent)
            private_file(path)
            for made in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                tighten(made)  # left readable by an older version
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if backend == "postgresql":
        if url.get_driver_name() != "psycopg":
            raise AppError("PostgreSQL은 psycopg 3 URL로 지정하세요: postgresql+psycopg://사용자:암호@호스트:5432/DB",
                           "Give PostgreSQL as a psycopg 3 URL: postgresql+psycopg://user:pass@host:5432/db")
        # pool_pre_ping: a connection the database server dropped (restart, idle timeout) is replaced, not failed.
        return create_engine(url, pool_pre_ping=True)
    raise AppError(f"지원하지 않는 데이터베이스입니다: {backend} (sqlite 또는 postgresql+psycopg)",
                   f"Unsupported database: {backend} (use sqlite or postgresql+psycopg)")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction for a unit of work that writes; on SQLite it holds the write lock from its start."""
    with engine.connect() as connection:
        with connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).begin():
            yield connection


def serialize_writers(connection: Connection) -> None:
    """Wait for every other writing transaction to end (PostgreSQL; SQLite's BEGIN IMMEDIATE already does).

    A push reads receipts before it writes: without this, a retried push running beside the first attempt would
    not see that attempt's receipts, apply the same ops again and fail on them. Every write takes this row lock
    at its first change anyway (the change sequence), so taking it first costs nothing in concurrency.
    """
    from central_server.schema import SEQ_COUNTER, counters

    if connection.dialect.name == "postgresql":
        connection.execute(select(counters.c.value).where(counters.c.name == SEQ_COUNTER).with_for_update())


def read_server_id(engine: Engine) -> str:
    """The id this database was made with: the server's identity, whatever address it is reached at."""
    from central_server.schema import server_identity

    with engine.connect() as connection:
        return connection.execute(select(server_identity.c.id).order_by(server_identity.c.created_at)
                                  .limit(1)).scalar_one()


def get_session(request: Request) -> Iterator[Session]:
    """A session on the app's engine for one request, closed after it."""
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
