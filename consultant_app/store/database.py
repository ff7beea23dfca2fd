"""Opening the local store: pragmas on every connection, an integrity check, migrations with a backup first."""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session, select

from consultant_app.paths import STORE_FILE_NAME
from consultant_app.store import journal
from consultant_app.store.backup import StoreCorrupt, automatic_backup, integrity_problem, latest_backup
from consultant_app.store.models import Meta, new_id

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEVICE_ID_KEY = "device_id"


class StoreSession(Session):
    """A session whose flushes are journalled (audit + outbox) in the same transaction."""


journal.install(StoreSession)


def _set_pragmas(dbapi_connection, _record) -> None:
    # Per connection: SQLite forgets these, and foreign keys are off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(path: Path) -> Engine:
    """An engine on the SQLite file with the store's pragmas on every connection."""
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _set_pragmas)
    return engine


def alembic_config() -> Config:
    """Alembic's configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine, path: Path, backups_dir: Path) -> Path | None:
    """Upgrade the schema to the newest revision; a file with data is backed up first."""
    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    current = _current_revision(engine)
    if current == head:
        return None
    backup = None
    if current is not None:
        backup = automatic_backup(path, backups_dir, f"before-upgrade-{current}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


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
        return cls(data_dir, engine, actor=actor or _login_name())

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
        """A session that commits on success and rolls back (writing nothing) on any error."""
        with self.session() as session:
            with session.begin():
                yield session

    def _device_id(self) -> str:
        with self.session() as session, session.begin():
            meta = session.get(Meta, DEVICE_ID_KEY)
            if meta is None:
                meta = Meta(key=DEVICE_ID_KEY, value=new_id())
                session.add(meta)
            return meta.value

    def meta(self, key: str) -> str | None:
        """A value from the store's meta table."""
        with self.session() as session:
            row = session.exec(select(Meta).where(Meta.key == key)).first()
            return row.value if row else None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service environments
        return "unknown"
