"""Opening the local store: pragmas on every connection, an integrity check, migrations with a backup first."""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from consultant_app.errors import AppError
from consultant_app.paths import STORE_FILE_NAME
from consultant_app.store import journal
from consultant_app.store.backup import (
    DEVICE_ID_KEY,
    StoreCorrupt,
    automatic_backup,
    integrity_problem,
    latest_backup,
)
from consultant_app.store.models import Meta, OfficeCatalogue, new_id

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreSession(Session):
    """A session whose flushes are journalled (audit + outbox) in the same transaction."""


journal.install(StoreSession)


def _set_pragmas(dbapi_connection, _record) -> None:
    # pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so DDL (migrations) and the reads before a
    # unit of work's first write ran outside any transaction. Turn that off; _begin() emits BEGIN instead.
    dbapi_connection.isolation_level = None
    # Per connection: SQLite forgets these, and foreign keys are off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


BEGIN_OPTION = "sqlite_begin"


def _begin(connection) -> None:
    # "IMMEDIATE" (Store.transaction) takes the write lock at the start, waiting for another writer, so a unit
    # of work that reads then writes never fails because someone else committed in between.
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file with the store's pragmas on every connection and real transactions."""
    # URL.create, not f"sqlite:///{path}": a parsed URL would decode "%20" and cut at "?" in a folder name,
    # and the engine would open another file than the one checked and backed up.
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def alembic_config() -> Config:
    """Alembic's configuration pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?([\w-]+|None)['\"]?", re.MULTILINE)


def head_revision(migrations_dir: Path | None = None) -> str | None:
    """The newest revision in the migrations folder: the one no other revision follows."""
    revisions, parents = set(), set()
    for script in (migrations_dir or MIGRATIONS_DIR).joinpath("versions").glob("*.py"):
        for is_parent, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (parents if is_parent else revisions).add(value)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError:  # a new, empty file has no version table yet
            return None


def migrate(engine: Engine, path: Path, backups_dir: Path) -> Path | None:
    """Upgrade the schema to the newest revision; a file with data is backed up first."""
    current = _current_revision(engine)
    # Alembic takes a noticeable share of start-up to import: skip it when the file is already up to date.
    if current is not None and current == head_revision():
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    if current == ScriptDirectory.from_config(config).get_current_head():
        return None
    backup = None
    if current is not None:
        backup = automatic_backup(path, backups_dir, f"before-upgrade-{current}")
    with engine.connect() as connection:
        # SQLite's way to change a schema: foreign keys off (outside any transaction, or the pragma is ignored),
        # every step in one transaction, then foreign_key_check before the commit. Batch migrations rebuild a
        # table by copy, drop and rename, which with keys on fails when other tables reference it.
        driver = connection.connection.driver_connection
        driver.execute("PRAGMA foreign_keys=OFF")
        try:
            # The write lock from the start: a second app opening the same old file waits, then finds it at head.
            with connection.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise MigrationBrokeForeignKeys(path, broken)
        finally:
            driver.execute("PRAGMA foreign_keys=ON")
    return backup


class MigrationBrokeForeignKeys(AppError):
    """An upgrade left rows pointing nowhere; it was rolled back."""

    def __init__(self, path: Path, broken: list):
        tables = ", ".join(sorted({str(row[0]) for row in broken}))
        super().__init__(f"데이터 파일 업그레이드가 외래 키(foreign key)를 깨뜨려 취소했습니다: {path} ({tables})",
                         f"Upgrading the data file would break foreign keys, so it was rolled back: {path} ({tables})")


class Store:
    """The consultant's local database file and the folders beside it."""

    def __init__(self, data_dir: Path, engine: Engine, *, actor: str):
        self.data_dir = data_dir
        self.engine = engine
        self.actor = actor
        self.device_id = ""
        self.device_id = self._device_id()

    @property
    def path(self) -> Path:
        return self.data_dir / STORE_FILE_NAME

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @classmethod
    def open(cls, data_dir: Path, *, actor: str | None = None) -> Store:
        """Open (or create) the store in ``data_dir``; a damaged file raises StoreCorrupt and is not touched."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        path = data_dir / STORE_FILE_NAME
        backups_dir = data_dir / "backups"
        if path.exists():
            problem = integrity_problem(path)
            if problem:
                raise StoreCorrupt(path, problem, latest_backup(backups_dir))
        engine = make_engine(path)
        try:
            migrate(engine, path, backups_dir)
        except Exception:
            engine.dispose()
            raise
        store = cls(data_dir, engine, actor=actor or _login_name())
        store.install_office_catalogue()
        return store

    def close(self) -> None:
        """Release every connection (checkpointing the WAL)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def session(self) -> StoreSession:
        """A journalled session acting as this store's user and device."""
        session = StoreSession(self.engine, expire_on_commit=False)
        session.info.update(actor=self.actor, device_id=self.device_id)
        return session

    @contextmanager
    def transaction(self) -> Iterator[StoreSession]:
        """A session that commits on success and rolls back (writing nothing) on any error.

        It holds the write lock from its start (BEGIN IMMEDIATE): use it for every unit of work that writes.
        """
        with self.session() as session:
            with session.begin():
                session.connection(execution_options={BEGIN_OPTION: "IMMEDIATE"})
                yield session

    def _device_id(self) -> str:
        with self.transaction() as session:
            meta = session.get(Meta, DEVICE_ID_KEY)
            if meta is None:
                meta = Meta(key=DEVICE_ID_KEY, value=new_id())
                session.add(meta)
            return meta.value

    def install_office_catalogue(self) -> int | None:
        """Put the newest KPI catalogue the office published in force; returns its version (None: bundled)."""
        from consultant_app.domain.kpi import CatalogueError, KpiCatalogue, install_catalogue

        with self.session() as session:
            row = session.exec(select(OfficeCatalogue).order_by(OfficeCatalogue.version.desc())).first()
        try:
            install_catalogue(KpiCatalogue.from_csv_text(row.csv, source=f"office catalogue v{row.version}")
                              if row else None)
        except CatalogueError:
            install_catalogue(None)  # the office checked it before publishing; a damaged copy falls back
            return None
        return row.version if row else None

    def meta(self, key: str) -> str | None:
        """A value from the store's meta table."""
        with self.session() as session:
            row = session.exec(select(Meta).where(Meta.key == key)).first()
            return row.value if row else None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some service environments
        return "unknown"
