"""Import, export and backup for the GUI's background tasks: each opens its own store (no Qt here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from consultant_app.io import ImportResult, export_path, import_path
from consultant_app.store import Store
from consultant_app.store.backup import manual_backup
from consultant_app.store.models import SYNCED_TABLES

# Tables a summary of the data shows, in the order people think of them.
SUMMARY_TABLES = ("companies", "engagements", "kpi_measurements", "visits", "attachments", "survey_responses")


def import_in_own_store(data_dir: Path, source: Path, *, actor: str, keep_good_rows: bool = False,
                        progress: Callable[[int, int], None] | None = None,
                        cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Import ``source`` through a store opened here, so no connection crosses threads."""
    with Store.open(data_dir, actor=actor) as store:
        return import_path(store, source, keep_good_rows=keep_good_rows, progress=progress, cancelled=cancelled)


def export_from_own_store(data_dir: Path, target: Path, *, actor: str, form: str = "office") -> dict[str, int]:
    """Export the live rows to ``target`` (``.xlsx`` or a CSV folder) in ``form`` through a store opened here."""
    with Store.open(data_dir, actor=actor) as store:
        return export_path(store, target, form=form)


def back_up_now(store_path: Path, backups_dir: Path) -> Path:
    """A manual backup of the store file (the CLI's naming); reads the file only, so no store is opened."""
    return manual_backup(store_path, backups_dir)


def live_row_counts(*, session: Session, tables: tuple[str, ...] = SUMMARY_TABLES) -> dict[str, int]:
    """Rows not deleted, per table."""
    counts = {}
    for name in tables:
        model = SYNCED_TABLES[name]
        counts[name] = session.exec(
            select(func.count()).select_from(model).where(model.deleted == False)  # noqa: E712 - SQL expression
        ).one()
    return counts
