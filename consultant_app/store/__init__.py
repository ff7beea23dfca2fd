"""The local SQLite store: tables, migrations, the change journal, backups and queries."""

from consultant_app.store.backup import StoreCorrupt
from consultant_app.store.database import Store, StoreSession

__all__ = ["Store", "StoreCorrupt", "StoreSession"]
