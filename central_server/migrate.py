"""Bringing the central database to the newest schema (every command does before use), and checking it is there."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from central_server.config import Settings
from central_server.db import BEGIN_OPTION
from consultant_app.errors import AppError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed number: the PostgreSQL advisory lock that lets one process at a time upgrade the schema.
MIGRATION_LOCK = 0x1A_C0_01
LOCKED_RETRIES = 5


def alembic_config() -> Config:
    """Alembic's configuration pointing at the server's migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest revision of the server's migrations."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The database's revision, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


class DatabaseNotCurrent(AppError):
    """The database is not at this program's schema: upgrade it first, or it belongs to a newer version."""

    def __init__(self, current: str | None, head: str):
        super().__init__(
            f"데이터베이스 스키마가 이 프로그램과 맞지 않습니다 (현재 {current or '없음'}, 필요 {head}). "
            "consultant-central serve 또는 다른 명령을 한 번 실행하면 업그레이드됩니다.",
            f"The database schema does not match this program (at {current or 'none'}, needs {head}). "
            "Running consultant-central serve or any other command once upgrades it.")


def check_current(engine: Engine) -> None:
    """Raise DatabaseNotCurrent unless the database is at the newest revision."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise DatabaseNotCurrent(current, head)


def upgrade_database(engine: Engine, settings: Settings) -> Path | None:
    """Upgrade the schema to the newest revision in one transaction; returns a backup made first, if any."""
    from sqlalchemy.exc import OperationalError

    for attempt in range(LOCKED_RETRIES):
        try:
            return _upgrade(engine, settings)
        except OperationalError as exc:
            # Several processes upgrading a new SQLite file at once: one may find it locked (switching it to
            # WAL, or a snapshot gone stale) without waiting; the upgrade is one transaction, so try again.
            if "locked" not in str(exc) or attempt == LOCKED_RETRIES - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    raise AssertionError("unreachable")


def _upgrade(engine: Engine, settings: Settings) -> Path | None:
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    current = current_revision(engine)
    if current == script.get_current_head():
        return None
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise AppError(f"데이터베이스가 이 프로그램보다 새 버전입니다 (리비전 {current}). 서버를 업데이트하세요.",
                       f"The database is from a newer version of the server (revision {current}). "
                       "Update the server.")
    backup = _backup_sqlite(settings, current)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # SQLite changes a schema by rebuilding tables (batch mode), which fails with foreign keys on while
            # other tables reference them: keys off outside the transaction, checked before the commit.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).begin():
                if not sqlite:
                    # Workers or servers starting together: one upgrades, the others wait, then find it at head.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall():
                    raise AppError("스키마 업그레이드가 외래 키를 깨뜨려 취소했습니다.",
                                   "The schema upgrade would break foreign keys, so it was rolled back.")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
    return backup


def _backup_sqlite(settings: Settings, current: str | None) -> Path | None:
    """A copy of a SQLite database that holds a schema, taken before upgrading it (PostgreSQL: the DBA's job)."""
    path = settings.sqlite_path
    if current is None or path is None or not path.is_file():
        return None
    from central_server.files import private_dir, tighten
    from consultant_app.store.backup import automatic_backup

    # The folder first, the server's user's only: the copy (password and token hashes) is never reachable by
    # others, even before its own mode is set.
    backups = private_dir(settings.data_dir / "backups")
    backup = automatic_backup(path, backups, f"before-upgrade-{current}")
    tighten(backup)
    return backup
