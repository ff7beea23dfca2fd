"""Whole backups: the database and every attachment in one zip with a manifest of SHA-256s, written atomically.

The zip (ZIP64) holds ``consultant.sqlite3`` (a consistent copy taken with SQLite's backup API, deflated), each
attachment as ``attachments/ab/<sha256>`` (stored: photos and PDFs don't compress), the office's public keys
(``office-keys/*.pem``) and ``manifest.json``. It is written to ``<name>.part``, fsynced, then renamed: a reader
never finds half an archive under the name.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from consultant_app import __version__
from consultant_app.errors import AppError
from consultant_app.paths import OFFICE_KEYS_DIR, STORE_FILE_NAME
from consultant_app.store.backup import (
    ARCHIVE_PREFIX,
    ARCHIVE_SUFFIX,
    AUTOMATIC_MARK,
    DEVICE_ID_KEY,
    StoreCorrupt,
    backup_file,
    integrity_problem,
    latest_backup,
)

FORMAT = "consultant-app-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATABASE_MEMBER = STORE_FILE_NAME
ATTACHMENTS_FOLDER = "attachments"
BACKUPS_FOLDER = "backups"
STATE_FILE = "backup-state.json"  # in <data>/backups/: the last archive (any folder) and the last automatic one
AUTOMATIC_ARCHIVES_KEPT = 10
DATABASE_LEVEL = 1  # deflate level for the database: most of the saving of level 6 at a third of the time
BLOB_NAME = re.compile(r"^[0-9a-f]{64}$")
KEY_NAME = re.compile(r"^[\w.-]{1,100}\.pem$")
_CHUNK = 1024 * 1024

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ArchiveCancelled(AppError):
    """The user stopped a backup; the partial file was removed."""

    def __init__(self) -> None:
        super().__init__("백업을 취소했습니다. 만들던 파일은 지웠습니다.", "The backup was cancelled; the partial file was removed.")


@dataclass(frozen=True)
class ArchiveResult:
    """An archive written: where, what it holds, and what it could not hold."""

    path: Path
    files: int  # attachment files and office keys besides the database
    bytes: int  # everything it holds, uncompressed
    size: int  # the archive's own size
    missing: tuple[str, ...]  # attachments the records name whose file this laptop lacks (not yet downloaded)
    damaged: tuple[str, ...]  # files whose content no longer matches their digest name (kept, flagged)
    seconds: float


@dataclass(frozen=True)
class _DatabaseFacts:
    revision: str | None
    device_id: str | None
    referenced: frozenset[str]


def archive_name(when: datetime, reason: str | None = None, number: int = 1) -> str:
    """``consultant-backup-YYYYMMDD-HHMMSS.zip``; automatic ones end ``-auto-<reason>.zip``."""
    stamp = when.strftime("%Y%m%d-%H%M%S") + (f"-{number}" if number > 1 else "")
    return f"{ARCHIVE_PREFIX}{stamp}{AUTOMATIC_MARK + reason if reason else ''}{ARCHIVE_SUFFIX}"


def free_archive_path(folder: Path, reason: str | None = None, when: datetime | None = None) -> Path:
    """A name not yet taken in ``folder``."""
    when = when or datetime.now()
    number = 1
    while (candidate := folder / archive_name(when, reason, number)).exists() or \
            candidate.with_name(candidate.name + ".part").exists():
        number += 1
    return candidate


def _database_facts(snapshot: Path) -> _DatabaseFacts:
    # Immutable: no one else has the copy, and read-only WAL access would leave -wal and -shm beside it.
    connection = sqlite3.connect(f"{snapshot.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        device = connection.execute("SELECT value FROM meta WHERE key = ?", (DEVICE_ID_KEY,)).fetchone()
        referenced = {row[0] for row in connection.execute("SELECT sha256 FROM attachments WHERE deleted = 0")}
    finally:
        connection.close()
    return _DatabaseFacts(revision[0] if revision else None, device[0] if device else None, frozenset(referenced))


def _files_to_keep(data_dir: Path) -> list[tuple[str, Path]]:
    """(member name, file) for every attachment under its digest and every office key; temporary files skipped."""
    found: list[tuple[str, Path]] = []
    attachments = data_dir / ATTACHMENTS_FOLDER
    if attachments.is_dir():
        for folder in sorted(p for p in attachments.iterdir() if p.is_dir() and len(p.name) == 2):
            for blob in sorted(folder.iterdir()):
                # Only finished files: a copy in progress or a partial download has another name.
                if BLOB_NAME.match(blob.name) and blob.name[:2] == folder.name and blob.is_file():
                    found.append((f"{ATTACHMENTS_FOLDER}/{folder.name}/{blob.name}", blob))
    keys = data_dir / OFFICE_KEYS_DIR
    if keys.is_dir():
        found += [(f"{OFFICE_KEYS_DIR}/{key.name}", key) for key in sorted(keys.iterdir())
                  if KEY_NAME.match(key.name) and key.is_file()]
    return found


def _add_member(archive: zipfile.ZipFile, name: str, source: Path, when: datetime, *, deflate: bool,
                cancelled: Cancelled | None) -> tuple[str, int]:
    """Stream ``source`` into the archive as ``name``, hashing as it goes; returns (sha256, size)."""
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    info._compresslevel = DATABASE_LEVEL if deflate else None  # no public way to set it per member before 3.13
    info.external_attr = 0o600 << 16
    digest, size = hashlib.sha256(), 0
    large = source.stat().st_size > zipfile.ZIP64_LIMIT // 2  # grows while copied? keep room
    with source.open("rb") as src, archive.open(info, "w", force_zip64=large) as out:
        while chunk := src.read(_CHUNK):
            if cancelled is not None and cancelled():
                raise ArchiveCancelled()
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX; Windows has no folder handles).
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _named(error: OSError, path: Path) -> OSError:
    """The same error naming the file written (a write to a full disk says no file name)."""
    if error.filename or error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, str(path))


def write_archive(data_dir: Path, destination: Path, *, reason: str | None = None, progress: Progress | None = None,
                  cancelled: Cancelled | None = None) -> ArchiveResult:
    """Write a whole backup of ``data_dir`` to ``destination`` (refused if it exists); ``reason`` marks it automatic."""
    started = time.perf_counter()
    data_dir, destination = Path(data_dir), Path(destination)
    store_path = data_dir / STORE_FILE_NAME
    if not store_path.is_file():
        raise AppError(f"데이터 파일이 없습니다: {store_path}", f"There is no data file: {store_path}")
    problem = integrity_problem(store_path)
    if problem:
        raise StoreCorrupt(store_path, problem, latest_backup(data_dir / BACKUPS_FOLDER))
    if destination.exists():
        raise AppError(f"이미 있는 파일이라 덮어쓰지 않았습니다: {destination}",
                       f"The file already exists and was not overwritten: {destination}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    snapshot = destination.with_name(destination.name + ".db.part")  # beside the archive: that disk must be writable
    when = datetime.now()
    try:
        backup_file(store_path, snapshot)
        facts = _database_facts(snapshot)
        files = _files_to_keep(data_dir)
        entries, damaged, total = [], [], 0
        with partial.open("wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
                sha256, size = _add_member(archive, DATABASE_MEMBER, snapshot, when, deflate=True, cancelled=cancelled)
                entries.append({"path": DATABASE_MEMBER, "sha256": sha256, "size": size})
                total += size
                if progress:
                    progress(1, len(files) + 1)
                for done, (name, path) in enumerate(files, start=2):
                    is_blob = name.startswith(ATTACHMENTS_FOLDER + "/")
                    sha256, size = _add_member(archive, name, path, when, deflate=not is_blob, cancelled=cancelled)
                    entry = {"path": name, "sha256": sha256, "size": size}
                    if is_blob and sha256 != path.name:
                        entry["damaged"] = True  # already damaged on this laptop: kept as it is, never restored
                        damaged.append(name)
                    entries.append(entry)
                    total += size
                    if progress:
                        progress(done, len(files) + 1)
                present = {Path(name).name for name, _path in files}
                missing = sorted(facts.referenced - present)
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": __version__,
                    "created_at": when.astimezone(UTC).isoformat(timespec="seconds"),
                    "kind": "automatic" if reason else "manual", "reason": reason or "manual",
                    "schema_revision": facts.revision, "device_id": facts.device_id,
                    "database": DATABASE_MEMBER, "files": entries, "missing_attachments": missing,
                }
                archive.writestr(zipfile.ZipInfo(MANIFEST_NAME, date_time=when.timetuple()[:6]),
                                 json.dumps(manifest, ensure_ascii=False, indent=1), zipfile.ZIP_DEFLATED)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, destination)
        _fsync_folder(destination.parent)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _named(exc, partial) from exc
    except BaseException:
        partial.unlink(missing_ok=True)  # never leave half an archive behind
        raise
    finally:
        snapshot.unlink(missing_ok=True)
    result = ArchiveResult(destination, len(files), total, destination.stat().st_size, tuple(missing),
                           tuple(damaged), time.perf_counter() - started)
    _record(data_dir, result, reason)
    return result


# -- automatic archives and what the status bar shows ----------------------------------------------------------

def _state(data_dir: Path) -> dict:
    try:
        state = json.loads((data_dir / BACKUPS_FOLDER / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _save_state(data_dir: Path, state: dict) -> None:
    path = data_dir / BACKUPS_FOLDER / STATE_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own: a manual and an automatic backup may finish at the same moment.
        partial = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.part")
        partial.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a note for the status bar; a backup to a stick from a read-only data folder is still a backup


def _record(data_dir: Path, result: ArchiveResult, reason: str | None) -> None:
    state = _state(data_dir)
    state["last"] = {"path": str(result.path), "at": datetime.now().isoformat(timespec="seconds"),
                     "kind": "automatic" if reason else "manual", "reason": reason or "manual"}
    _save_state(data_dir, state)


@dataclass(frozen=True)
class LastBackup:
    """The latest backup this data folder knows of, wherever it went."""

    path: Path
    at: datetime
    kind: str  # "manual" or "automatic" (a database copy's own kind otherwise)
    reason: str


def last_backup(data_dir: Path) -> LastBackup | None:
    """The last archive written (the note in backups/), else the newest file in backups/."""
    from consultant_app.store.backup import list_backups

    noted = _state(data_dir).get("last")
    newest = next(iter(list_backups(data_dir / BACKUPS_FOLDER)), None)
    found = None
    if isinstance(noted, dict):
        try:
            found = LastBackup(Path(noted["path"]), datetime.fromisoformat(noted["at"]), str(noted["kind"]),
                               str(noted.get("reason", "")))
        except (KeyError, TypeError, ValueError):
            found = None
    if newest is not None and (found is None or newest.modified > found.at + timedelta(seconds=1)):
        found = LastBackup(newest.path, newest.modified, newest.kind, newest.reason)
    return found


def _fingerprint(store_path: Path) -> list[int]:
    """Sizes and modification times of the data file and its log: any commit changes one of them."""
    values = []
    for path in (store_path, Path(f"{store_path}-wal")):
        try:
            stat = path.stat()
            values += [stat.st_size, stat.st_mtime_ns]
        except OSError:
            values += [0, 0]
    return values


def automatic_archive(data_dir: Path, folder: Path | None = None, *, reason: str, only_if_changed: bool = True,
                      progress: Progress | None = None, cancelled: Cancelled | None = None) -> ArchiveResult | None:
    """An automatic archive into ``folder`` (default <data>/backups/), then rotation; None when nothing changed."""
    data_dir = Path(data_dir)
    folder = Path(folder) if folder is not None else data_dir / BACKUPS_FOLDER
    store_path = data_dir / STORE_FILE_NAME
    fingerprint = _fingerprint(store_path)  # before the copy: a commit during it makes the next one differ
    previous = _state(data_dir).get("automatic") or {}
    if only_if_changed and previous.get("fingerprint") == fingerprint and Path(previous.get("path", "")).is_file():
        return None  # the newest automatic archive already holds exactly this
    result = write_archive(data_dir, free_archive_path(folder, reason), reason=reason, progress=progress,
                           cancelled=cancelled)
    state = _state(data_dir)
    state["automatic"] = {"path": str(result.path), "fingerprint": fingerprint}
    _save_state(data_dir, state)
    rotate_automatic(folder)
    return result


def rotate_automatic(folder: Path, keep: int = AUTOMATIC_ARCHIVES_KEPT) -> list[Path]:
    """Remove automatic archives beyond the newest ``keep``; manual ones are never touched. Returns those removed."""
    automatic = []
    for path in folder.glob(f"{ARCHIVE_PREFIX}*{AUTOMATIC_MARK}*{ARCHIVE_SUFFIX}"):
        try:
            automatic.append((path.stat().st_mtime, path.name, path))
        except OSError:
            continue
    automatic.sort()
    removed = [path for _m, _n, path in automatic[:-keep]] if keep > 0 else [p for _m, _n, p in automatic]
    for path in removed:
        path.unlink(missing_ok=True)
    # A .part left by a killed backup is never finished; after a day no backup can still be writing it.
    for stale in folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}*.part"):
        try:
            if time.time() - stale.stat().st_mtime > 86_400:
                stale.unlink(missing_ok=True)
        except OSError:
            continue
    return removed


def daily_due(data_dir: Path, now: datetime | None = None) -> bool:
    """True when no archive was made in the last day (the start-up backup)."""
    last = last_backup(Path(data_dir))
    if last is None or not str(last.path).endswith(ARCHIVE_SUFFIX):
        return True
    return (now or datetime.now()) - last.at >= timedelta(days=1)
