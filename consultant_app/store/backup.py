"""Consistent copies of the store file, taken with SQLite's online backup, and restoring one.

Whole backups (the file and every attachment in one archive) are ``archive.py``; this module keeps the file-level
copies migrations take before an upgrade, the names of both kinds and which one is the latest.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from consultant_app.errors import AppError, local_fault

AUTOMATIC_BACKUPS_KEPT = 20
BACKUP_SUFFIX = ".sqlite3"
MANUAL_PREFIX = "manual-"
ARCHIVE_PREFIX = "consultant-backup-"  # archives: consultant-backup-<stamp>.zip, automatic ones ...-auto-<reason>.zip
ARCHIVE_SUFFIX = ".zip"
AUTOMATIC_MARK = "-auto-"
DEVICE_ID_KEY = "device_id"  # the store's meta key (database.py reads it): which laptop changes come from
RESTORED_FROM_KEY = "restored_from"  # meta: the device id and backup a restored store came from


class StoreCorrupt(AppError):
    """The store file can't be read as a healthy database; it is left exactly as it is."""

    def __init__(self, path: Path, detail: str, backup: Path | None):
        manual = backup is not None and backup_kind(backup.name) == "manual"
        kind_ko, kind_en = ("직접", "manual") if manual else ("자동", "automatic")
        offer_ko = f" 최근 {kind_ko} 백업: {backup} (consultant-app restore 로 복원)" if backup else " 백업이 없습니다."
        offer_en = f" Latest {kind_en} backup: {backup} (restore it with consultant-app restore)" if backup \
            else " No backup exists."
        super().__init__(f"데이터 파일이 손상되었거나 읽을 수 없습니다: {path} ({detail}). 파일은 그대로 두었습니다.{offer_ko}",
                         f"The data file is corrupt or unreadable: {path} ({detail}). It was left untouched.{offer_en}")
        self.path = path
        self.backup = backup


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` and writes nothing beside it."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not Path(f"{path}-wal").exists():
        # Even read-only, SQLite creates -wal and -shm beside a WAL-mode file. With no -wal, no connection has
        # the file open and no commit waits in a log, so read it as immutable: it is left exactly as it is.
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


def integrity_problem(path: Path, *, full: bool = False) -> str | None:
    """Check a database file read-only; None when healthy, else what SQLite reported.

    A disk that refuses (full, read-only, gone) raises a LocalFault instead: that file is not damaged, and calling
    it so would send the user to restore a backup over healthy data.
    """
    try:
        connection = _read_only(path)
        try:
            rows = connection.execute("PRAGMA integrity_check" if full else "PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        fault = local_fault(exc, path.parent)
        if fault is not None:
            raise fault from exc
        return str(exc)
    result = "; ".join(str(r[0]) for r in rows[:5])
    return None if result == "ok" else result


def backup_file(source: Path, destination: Path) -> Path:
    """Copy ``source`` to ``destination`` with SQLite's backup API (safe while the store is open)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    src = _read_only(source)
    dst = sqlite3.connect(partial)
    try:
        try:
            src.backup(dst)
            dst.commit()
        finally:
            dst.close()
            src.close()
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave half a copy behind
        raise
    os.replace(partial, destination)
    return destination


def automatic_backup(source: Path, backups_dir: Path, reason: str) -> Path:
    """An automatic backup named by time and reason; the oldest beyond the kept number are removed."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    destination = backup_file(source, backups_dir / f"{source.stem}-{stamp}-{reason}{BACKUP_SUFFIX}")
    automatic = sorted(backups_dir.glob(f"{source.stem}-*{BACKUP_SUFFIX}"))
    for old in automatic[:-AUTOMATIC_BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return destination


def manual_backup_path(source: Path, folder: Path) -> Path:
    """A timestamped name, not yet taken, in ``folder`` for a backup the user asked for."""
    # Named apart from the automatic backups, so their rotation never deletes a backup the user asked for.
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    destination = folder / f"{MANUAL_PREFIX}{source.stem}-{stamp}{BACKUP_SUFFIX}"
    suffix = 1
    while destination.exists():
        suffix += 1
        destination = folder / f"{MANUAL_PREFIX}{source.stem}-{stamp}-{suffix}{BACKUP_SUFFIX}"
    return destination


def manual_backup(source: Path, folder: Path) -> Path:
    """Check ``source`` and copy it to a fresh manual backup name in ``folder``; a damaged file raises StoreCorrupt."""
    problem = integrity_problem(source)
    if problem:
        raise StoreCorrupt(source, problem, latest_backup(folder))
    return backup_file(source, manual_backup_path(source, folder))


@dataclass(frozen=True)
class BackupInfo:
    """A backup file as a list shows it."""

    path: Path
    modified: datetime
    size: int

    @property
    def kind(self) -> str:
        """``manual``, ``before-restore``, ``before-upgrade`` or ``automatic``, read from the file's name."""
        return backup_kind(self.path.name)

    @property
    def is_archive(self) -> bool:
        """A whole backup (database and attachments), not a copy of the database alone."""
        return self.path.suffix == ARCHIVE_SUFFIX

    @property
    def reason(self) -> str:
        """Why an automatic archive was made (``daily``, ``after-sync``, ``quit``), else ''."""
        name = self.path.stem
        return name.split(AUTOMATIC_MARK, 1)[1] if self.is_archive and AUTOMATIC_MARK in name else ""


def backup_kind(name: str) -> str:
    """``manual``, ``before-restore``, ``before-upgrade`` or ``automatic``, from a backup's file name."""
    if name.startswith(MANUAL_PREFIX):
        return "manual"
    for reason in ("before-restore", "before-upgrade"):
        if f"-{reason}" in name:
            return reason
    if name.startswith(ARCHIVE_PREFIX) and AUTOMATIC_MARK not in name:
        return "manual"
    return "automatic"


def _backup_files(backups_dir: Path) -> list[Path]:
    """Database copies and archives in ``backups_dir`` (partial ``.part`` files are neither)."""
    if not backups_dir.is_dir():
        return []
    return [*backups_dir.glob(f"*{BACKUP_SUFFIX}"), *backups_dir.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}")]


def list_backups(backups_dir: Path) -> list[BackupInfo]:
    """Every backup file (database copies and archives) in ``backups_dir``, newest first."""
    found = []
    for path in _backup_files(backups_dir):
        try:
            stat = path.stat()
        except OSError:  # removed meanwhile (rotation)
            continue
        if path.is_file():
            found.append(BackupInfo(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(found, key=lambda b: (b.modified, b.path.name), reverse=True)


def latest_backup(backups_dir: Path) -> Path | None:
    """The newest backup file (a database copy or an archive), if any."""
    backups = list_backups(backups_dir)
    return backups[0].path if backups else None


def is_other_database(path: Path) -> bool:
    """True for a readable SQLite file without our tables (damaged or missing files are left to restore_file)."""
    if not path.is_file():
        return False
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return "companies" not in tables


def device_id_of(path: Path) -> str | None:
    """The device id a store file holds, read-only; None when there is no file or it cannot be read."""
    if not path.is_file():
        return None
    try:
        connection = _read_only(path)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = ?", (DEVICE_ID_KEY,)).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def adopt_device_id(staged: Path, device_id: str | None, source: Path) -> str:
    """Give a restored file this data folder's device id (a fresh one for a new folder); returns the id."""
    # The id names the laptop the changes come from, not the data: a backup restored on a second laptop must not
    # push under the first one's id while that one still works. What it was is kept as restored_from.
    previous = device_id_of(staged)
    chosen = device_id or str(uuid.uuid4())
    note = json.dumps({"device_id": previous, "backup": source.name,
                       "at": datetime.now().isoformat(timespec="seconds")})
    connection = sqlite3.connect(staged)
    try:
        with connection:
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (DEVICE_ID_KEY, chosen))
            connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (RESTORED_FROM_KEY, note))
    finally:
        connection.close()
    return chosen


def swap_in(staged: Path, target: Path, backups_dir: Path) -> Path | None:
    """Put a checked ``staged`` file in place of ``target``, keeping the current one first; returns where."""
    safety = None
    if target.exists() and integrity_problem(target) is None:
        safety = automatic_backup(target, backups_dir, "before-restore")
    elif target.exists():
        # A damaged current file is kept aside byte for byte, never overwritten, with the log of its last commits.
        safety = target.with_name(f"{target.name}.damaged-{datetime.now():%Y%m%d-%H%M%S-%f}")
        os.replace(target, safety)
        if Path(f"{target}-wal").exists():
            os.replace(f"{target}-wal", f"{safety}-wal")
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staged, target)
    return safety


def restore_file(backup: Path, target: Path, backups_dir: Path) -> Path | None:
    """Replace ``target`` by ``backup`` after checking it; the current file is backed up first."""
    if not backup.is_file():
        raise AppError(f"백업 파일이 없습니다: {backup}", f"No such backup file: {backup}")
    problem = integrity_problem(backup, full=True)
    if problem:
        raise AppError(f"백업 파일이 손상되어 복원하지 않았습니다: {backup} ({problem})",
                       f"The backup file is damaged, nothing was restored: {backup} ({problem})")
    staged = target.with_name(target.name + ".restoring")
    try:
        backup_file(backup, staged)
        adopt_device_id(staged, device_id_of(target), backup)
    except BaseException:
        staged.unlink(missing_ok=True)  # nothing was replaced yet
        raise
    return swap_in(staged, target, backups_dir)
