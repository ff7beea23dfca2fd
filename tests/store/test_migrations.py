"""Migrations: new files reach head, the schema matches the models, upgrades back up first and are atomic."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import consultant_app.store.database as database
from consultant_app.store import Store
from consultant_app.store.models import Company, Engagement, metadata
from tests.store.rows import count, full_graph, journal_counts

REVISION_0003 = '''
"""test revision

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


def _sqlite(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _columns(path: Path, table: str) -> list[str]:
    return [row[1] for row in _sqlite(path, f"PRAGMA table_info({table})")]


def _tables(path: Path) -> set[str]:
    return {row[0] for row in _sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def _revision(path: Path) -> list[tuple]:
    return _sqlite(path, "SELECT version_num FROM alembic_version")


@pytest.fixture
def add_revision(tmp_path, monkeypatch):
    """Point the store at a copy of the migrations with an extra revision 0003 whose upgrade() is ``body``."""
    packaged = database.MIGRATIONS_DIR

    def add(body: str) -> Path:
        folder = tmp_path / "migrations"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(packaged, folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / "versions" / "0003_test.py").write_text(
            REVISION_0003.format(body=textwrap.indent(textwrap.dedent(body).strip(), "    ")), encoding="utf-8")
        monkeypatch.setattr(database, "MIGRATIONS_DIR", folder)
        return folder
    return add


@pytest.fixture
def store_at_head(isolated_data_dir):
    """A closed store at the packaged head (0002) holding a full graph of rows; returns its data folder."""
    with Store.open(isolated_data_dir, actor="tester") as store:
        with store.transaction() as db:
            db.add_all(full_graph())
    return isolated_data_dir


def _head() -> str:
    return ScriptDirectory.from_config(database.alembic_config()).get_current_head()


def test_new_store_is_migrated_to_head(store):
    assert _revision(store.path) == [(_head(),)]
    assert _head() == "0002"


def test_migrated_schema_matches_the_models(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_migrated_schema_has_every_table_of_the_models(store):
    assert set(metadata.tables) <= _tables(store.path)


def test_reopening_an_up_to_date_store_takes_no_backup(store):
    data_dir = store.data_dir
    store.close()
    with Store.open(data_dir, actor="tester"):
        pass
    assert not (data_dir / "backups").exists() or list((data_dir / "backups").iterdir()) == []


def test_new_store_takes_no_backup(store):
    assert not store.backups_dir.exists()


def test_store_at_an_older_revision_is_backed_up_then_upgraded_keeping_its_data(store_at_head, add_revision):
    add_revision("""
        with op.batch_alter_table("companies") as batch:
            batch.add_column(sa.Column("homepage", sa.String(), nullable=True))
    """)
    with Store.open(store_at_head, actor="tester") as store:
        assert _revision(store.path) == [("0003",)]
        assert "homepage" in _columns(store.path, "companies")
        with store.session() as db:
            assert count(db, Company) == 1 and count(db, Engagement) == 1
            assert journal_counts(db) == (8, 8)
        with store.transaction() as db:  # the app still writes to the upgraded file
            db.add(Company(business_no="2208112342", name="한빛금속"))
    backups = list((store_at_head / "backups").glob("*.sqlite3"))
    assert len(backups) == 1 and "before-upgrade-0002" in backups[0].name
    assert _revision(backups[0]) == [("0002",)]
    assert "homepage" not in _columns(backups[0], "companies")
    assert _sqlite(backups[0], "SELECT count(*) FROM companies") == [(1,)]


def test_failed_upgrade_leaves_the_store_exactly_at_its_old_revision(store_at_head, add_revision):
    add_revision("""
        with op.batch_alter_table("companies") as batch:
            batch.add_column(sa.Column("homepage", sa.String(), nullable=True))
        op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))
        raise RuntimeError("migration bug")
    """)
    path = store_at_head / "consultant.sqlite3"
    tables_before, columns_before = _tables(path), _columns(path, "companies")
    with pytest.raises(RuntimeError, match="migration bug"):
        Store.open(store_at_head, actor="tester")
    assert _revision(path) == [("0002",)]
    assert _tables(path) == tables_before
    assert _columns(path, "companies") == columns_before
    assert list((store_at_head / "backups").glob("*before-upgrade-0002*"))


def test_upgrade_can_be_retried_after_a_failed_one(store_at_head, add_revision):
    add_revision("""
        op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))
        raise RuntimeError("migration bug")
    """)
    with pytest.raises(RuntimeError):
        Store.open(store_at_head, actor="tester")
    add_revision("""
        op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))
    """)
    with Store.open(store_at_head, actor="tester") as store:
        assert _revision(store.path) == [("0003",)] and "scratch" in _tables(store.path)


def test_upgrade_that_rebuilds_a_referenced_table_keeps_rows_and_keys(store_at_head, add_revision):
    # SQLite can barely ALTER: batch mode copies the table, drops the old one and renames the copy. Companies
    # are referenced by engagements, so this must work with foreign keys enforced on every connection.
    add_revision("""
        with op.batch_alter_table("companies", recreate="always") as batch:
            batch.add_column(sa.Column("homepage", sa.String(), nullable=True))
    """)
    with Store.open(store_at_head, actor="tester") as store:
        path = store.path
        assert _revision(path) == [("0003",)]
        assert "homepage" in _columns(path, "companies")
        assert not any(name.startswith("_alembic_tmp") for name in _tables(path))
        assert _sqlite(path, "PRAGMA foreign_key_check") == []
        with store.session() as db:
            assert count(db, Company) == 1 and count(db, Engagement) == 1
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on afterwards


def test_upgrade_that_would_break_a_foreign_key_is_refused_and_rolled_back(store_at_head, add_revision):
    add_revision("""
        op.execute("DELETE FROM companies")
    """)
    path = store_at_head / "consultant.sqlite3"
    with pytest.raises(database.MigrationBrokeForeignKeys) as raised:
        Store.open(store_at_head, actor="tester")
    assert str(path) in raised.value.message("ko") and str(path) in raised.value.message("en")
    assert "engagements" in raised.value.message("en")
    assert _revision(path) == [("0002",)]
    assert _sqlite(path, "SELECT count(*) FROM companies") == [(1,)]


def test_the_quick_head_lookup_agrees_with_alembic(add_revision):
    from alembic.script import ScriptDirectory

    from consultant_app.store import database

    assert database.head_revision() == _head() == "0002"
    folder = add_revision("op.add_column('companies', sa.Column('homepage', sa.String(), nullable=True))")
    config = database.alembic_config()
    assert database.head_revision(folder) == ScriptDirectory.from_config(config).get_current_head() == "0003"


def test_opening_an_up_to_date_store_does_not_import_alembic(store, isolated_data_dir):
    import subprocess
    import sys

    store.close()
    probe = ("import sys; from consultant_app.store import Store; "
             f"Store.open(__import__('pathlib').Path({str(isolated_data_dir)!r})).close(); "
             "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
