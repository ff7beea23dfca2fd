"""The engine: SQLite pragmas on every pooled connection, and transactions that really are transactions."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import ExitStack

import pytest
from sqlalchemy import text

from consultant_app.store import Store
from consultant_app.store.models import Company
from tests.store.rows import count


def test_every_pooled_connection_has_wal_full_sync_and_foreign_keys(store):
    with ExitStack() as stack:
        connections = [stack.enter_context(store.engine.connect()) for _ in range(4)]
        drivers = {id(c.connection.driver_connection) for c in connections}
        assert len(drivers) == 4  # four distinct SQLite connections, not one reused
        for connection in connections:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_sessions_get_the_pragmas_too(store):
    with store.transaction() as db:
        assert db.connection().execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.connection().execute(text("PRAGMA synchronous")).scalar() == 2


def test_file_header_is_in_wal_mode(store):
    header = store.path.read_bytes()[:20]
    assert header[:16] == b"SQLite format 3\x00"
    assert (header[18], header[19]) == (2, 2)  # read and write versions 2 = WAL


def test_a_session_reads_one_snapshot_until_it_ends(store):
    # With pysqlite's default nothing opens a transaction before the first INSERT, so two reads of one
    # session could see another connection's commit in between (and a migration's DDL was not atomic).
    with store.session() as db:
        before = count(db, Company)
        other = sqlite3.connect(store.path)
        other.execute("INSERT INTO companies (id, created_at, updated_at, version, deleted, business_no, name) "
                      "VALUES ('x', '2026-01-01', '2026-01-01', 0, 0, '1248100998', 'other')")
        other.commit()
        other.close()
        assert count(db, Company) == before
    with store.session() as db:
        assert count(db, Company) == before + 1


def test_another_writer_waits_for_a_store_transaction_instead_of_interleaving(store):
    with store.transaction() as db:
        count(db, Company)
        other = sqlite3.connect(store.path, timeout=0.05)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("INSERT INTO companies (id, created_at, updated_at, version, deleted, business_no, name) "
                          "VALUES ('x', '2026-01-01', '2026-01-01', 0, 0, '1248100998', 'other')")
        other.close()
        db.add(Company(business_no="2208112342", name="ours"))
    with store.session() as db:
        assert count(db, Company) == 1


def test_two_units_of_work_that_read_then_write_at_the_same_time_both_commit(store):
    # Each reads, then writes. With a plain BEGIN the second writer's snapshot would be stale and SQLite would
    # refuse it at once ("database is locked"); Store.transaction takes the write lock first and waits instead.
    other = Store.open(store.data_dir, actor="other")
    started, errors = threading.Event(), []

    def slow_writer() -> None:
        try:
            with store.transaction() as db:
                count(db, Company)
                started.set()
                time.sleep(0.3)
                db.add(Company(business_no="1248100998", name="느린 쪽"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            started.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert started.wait(10)
        with other.transaction() as db:
            count(db, Company)
            db.add(Company(business_no="2208112342", name="빠른 쪽"))
    finally:
        thread.join(10)
        other.close()
    assert errors == []
    with store.session() as db:
        assert count(db, Company) == 2
