"""The server's migrations: the laptop's synced tables exactly, the server's own tables, upgrades done safely."""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

import central_server.migrate as migrate
from central_server.db import make_engine, write_transaction
from central_server.migrate import DatabaseNotCurrent, check_current, current_revision, upgrade_database
from central_server.schema import counters, database_metadata
from central_server.schema import metadata as server_metadata
from consultant_app.store.models import PULLED_TABLES, SYNCED_TABLES, Company, Engagement, Sponsor
from consultant_app.store.queries import engagement_records, list_companies

SERVER_TABLES = {"users", "tokens", "login_failures", "assignments", "row_meta", "counters", "server_audit",
                 "op_receipts", "attachment_uploads"}
# PostgreSQL keeps a Float as double precision, and amounts in won as BIGINT where SQLite's INTEGER is 64-bit
# already: the same types as far as the app is concerned.
_SAME_TYPE = {"Double": "Float", "BigInteger": "Integer"}


@pytest.fixture
def engine(settings):
    engine = make_engine(settings)
    upgrade_database(engine, settings)
    yield engine
    engine.dispose()


def _type(column: dict) -> str:
    name = type(column["type"].as_generic()).__name__
    return _SAME_TYPE.get(name, name)


def _columns(inspector, table: str) -> list[tuple]:
    return [(c["name"], _type(c), c["nullable"]) for c in inspector.get_columns(table)]


def _indexes(inspector, table: str) -> set[tuple]:
    def partial(index: dict) -> bool:
        options = index.get("dialect_options", {})
        return bool(options.get("sqlite_where") is not None or options.get("postgresql_where"))
    return {(i["name"], tuple(i["column_names"]), bool(i["unique"]), partial(i)) for i in inspector.get_indexes(table)}


def _foreign_keys(inspector, table: str) -> set[tuple]:
    return {(tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]),
             bool(fk["options"].get("deferrable")), fk["options"].get("initially"))
            for fk in inspector.get_foreign_keys(table)}


def test_the_synced_tables_have_the_laptops_columns_indexes_and_keys(engine, store):
    laptop, server = inspect(store.engine), inspect(engine)
    for table in SYNCED_TABLES:
        assert _columns(server, table) == _columns(laptop, table), table
        assert _indexes(server, table) == _indexes(laptop, table), table
        assert _foreign_keys(server, table) == _foreign_keys(laptop, table), table
        assert server.get_pk_constraint(table)["constrained_columns"] == ["id"]
    assert any(partial for *_, partial in _indexes(server, "companies"))  # the live-unique index is partial


def test_amounts_in_won_past_32_bits_are_stored(engine):
    """2.1 billion won is not a large financial effect: on PostgreSQL the amounts are BIGINT."""
    money = {c["name"]: type(c["type"].as_generic()).__name__ for c in inspect(engine).get_columns("outcomes")
             if c["name"].endswith("_krw")}
    expected = "BigInteger" if engine.dialect.name == "postgresql" else "Integer"
    assert len(money) == 5 and set(money.values()) == {expected}


def test_the_migrated_database_matches_the_models_exactly(engine):
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), database_metadata()) == []
    tables = set(inspect(engine).get_table_names())
    assert set(database_metadata().tables) | {"alembic_version"} == tables
    assert set(PULLED_TABLES) | SERVER_TABLES <= tables  # the laptop's tables, what only the office writes too


def test_the_server_tables_stay_out_of_the_laptops_metadata():
    assert SERVER_TABLES <= set(server_metadata.tables)
    assert not set(server_metadata.tables) & set(SQLModel.metadata.tables)


def test_the_apps_orm_classes_and_queries_work_on_the_server_database(engine):
    with Session(engine) as session:
        sponsor = Sponsor(name="한빛자동차")
        company = Company(business_no="1234567891", name="(주)한빛정밀", sponsor_id=sponsor.id)
        session.add_all([sponsor, company, Engagement(company_id=company.id, year=1, phase=1)])
        session.commit()
        company_id = company.id
    with Session(engine) as session:
        assert [(r.business_no, r.sponsor, r.year) for r in engagement_records(session=session)] == [
            ("1234567891", "한빛자동차", 1)]
        assert [row.name for row in list_companies(session=session, search="123-45")] == ["(주)한빛정밀"]
        stored = session.get(Company, company_id)
        assert stored.created_at.tzinfo is not None and stored.deleted is False


def test_the_live_unique_index_ignores_tombstones(engine):
    table = Company.__table__
    now = datetime.now(UTC)

    def row(row_id: str, *, deleted: bool) -> dict:
        return {"id": row_id, "created_at": now, "updated_at": now, "version": 0, "deleted": deleted,
                "business_no": "1234567891", "name": "x"}
    with write_transaction(engine) as connection:
        connection.execute(insert(table), [row("a", deleted=True), row("b", deleted=True), row("c", deleted=False)])
    with pytest.raises(IntegrityError):
        with write_transaction(engine) as connection:
            connection.execute(insert(table), [row("d", deleted=False)])


def test_the_change_sequence_starts_at_zero(engine):
    with engine.connect() as connection:
        assert connection.execute(select(counters.c.name, counters.c.value)).all() == [("seq", 0)]


def test_upgrading_twice_or_at_the_same_time_is_harmless(settings):
    engines = [make_engine(settings) for _ in range(3)]
    errors: list[BaseException] = []

    def upgrade(engine) -> None:
        try:
            upgrade_database(engine, settings)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=upgrade, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    try:
        assert errors == []
        assert upgrade_database(engines[0], settings) is None
        assert current_revision(engines[0]) == migrate.head_revision()
        with engines[0].connect() as connection:
            assert connection.execute(select(counters.c.value)).all() == [(0,)]  # seeded once
    finally:
        for engine in engines:
            engine.dispose()


def test_a_database_not_at_head_is_refused_by_the_app_check(settings):
    engine = make_engine(settings)
    try:
        with pytest.raises(DatabaseNotCurrent) as raised:
            check_current(engine)
        assert migrate.head_revision() in raised.value.en and "none" in raised.value.en
    finally:
        engine.dispose()


NEXT_REVISION = '''"""test revision"""
from alembic import op
import sqlalchemy as sa

revision = "ctest"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("homepage", sa.String(), nullable=True))


def downgrade() -> None:
    pass
'''


def test_an_older_database_is_upgraded_keeping_its_rows_and_sqlite_is_backed_up_first(
        engine, settings, tmp_path, monkeypatch):
    with Session(engine) as session:
        session.add(Company(business_no="1234567891", name="한빛"))
        session.commit()
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (folder / "versions" / "ctest_test.py").write_text(NEXT_REVISION.replace("{head}", head), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    backup = upgrade_database(engine, settings)
    assert current_revision(engine) == "ctest"
    assert "homepage" in {c["name"] for c in inspect(engine).get_columns("companies")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM companies")).scalars().all() == ["한빛"]
        if engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1  # back on after the upgrade
    if engine.dialect.name == "sqlite":
        assert backup is not None and backup.is_file() and f"before-upgrade-{head}" in backup.name
    else:
        assert backup is None  # PostgreSQL backups are the database administrator's (pg_dump)
