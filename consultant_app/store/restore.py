"""Restoring a backup: an archive is checked whole (every digest, the database's integrity) before anything in the
data folder changes; then its attachments join the folder's, and its database replaces the current one, which is
kept in backups/ first. An old ``.sqlite3`` copy restores through ``backup.restore_file`` as before."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from consultant_app.errors import AppError, LocalFault
from consultant_app.paths import OFFICE_KEYS_DIR, STORE_FILE_NAME
from consultant_app.store.archive import (
    ATTACHMENTS_FOLDER,
    BACKUPS_FOLDER,
    BLOB_NAME,
    DATABASE_MEMBER,
    FORMAT,
    FORMAT_VERSION,
    KEY_NAME,
    MANIFEST_NAME,
    Cancelled,
    Progress,
)
from consultant_app.store.backup import (
    ARCHIVE_SUFFIX,
    adopt_device_id,
    device_id_of,
    integrity_problem,
    is_other_database,
    restore_file,
    swap_in,
)

_CHUNK = 1024 * 1024
_SPACE_MARGIN = 16 * 1024 * 1024  # room for the database's log and the copy kept before the swap


class ArchiveRefused(AppError):
    """A backup archive that cannot be restored as it is; nothing was changed."""

    def __init__(self, archive: Path, ko: str, en: str):
        super().__init__(f"백업을 복원하지 않았습니다 (아무것도 바꾸지 않음): {archive}: {ko}",
                         f"The backup was not restored (nothing was changed): {archive}: {en}")
        self.archive = archive
        self.problem = en


class RestoreCancelled(AppError):
    """Stopped while checking the archive, before anything was changed."""

    def __init__(self) -> None:
        super().__init__("복원을 취소했습니다. 아무것도 바꾸지 않았습니다.", "The restore was cancelled; nothing was changed.")


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    backup: Path
    safety: Path | None  # the data file replaced, kept (None: there was none)
    files: int  # attachment files and keys put in place
    device_id: str  # the id the restored store now has
    kept_device_id: bool  # True: this data folder's own id; False: a fresh one (a folder that had no store)
    manifest: dict | None  # None for a database copy
    damaged: tuple[str, ...] = ()  # files flagged damaged when they were backed up: not restored
    missing: tuple[str, ...] = ()  # attachments the records name that the archive never had


def _known_revisions() -> set[str]:
    from consultant_app.store.database import _REVISION, MIGRATIONS_DIR

    revisions = set()
    for script in MIGRATIONS_DIR.joinpath("versions").glob("*.py"):
        revisions |= {value for is_parent, value in _REVISION.findall(script.read_text(encoding="utf-8"))
                      if not is_parent}
    return revisions


def _allowed(name: str) -> bool:
    """Only names this app writes: nothing can land outside the data folder or under a wrong digest."""
    parts = name.split("/")
    if name == DATABASE_MEMBER:
        return True
    if len(parts) == 3 and parts[0] == ATTACHMENTS_FOLDER:
        return bool(BLOB_NAME.match(parts[2])) and parts[1] == parts[2][:2]
    return len(parts) == 2 and parts[0] == OFFICE_KEYS_DIR and bool(KEY_NAME.match(parts[1]))


def read_manifest(archive: Path, opened: zipfile.ZipFile) -> dict:
    """The archive's manifest, checked against the archive's members; ArchiveRefused naming what is wrong."""
    def refuse(ko: str, en: str) -> ArchiveRefused:
        return ArchiveRefused(archive, ko, en)

    names = opened.namelist()
    if MANIFEST_NAME not in names:
        raise refuse(f"목록({MANIFEST_NAME})이 없습니다", f"it has no {MANIFEST_NAME}")
    try:
        manifest = json.loads(opened.read(MANIFEST_NAME))
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise refuse(f"목록({MANIFEST_NAME})을 읽을 수 없습니다 ({exc})", f"its {MANIFEST_NAME} cannot be read ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse("이 앱의 백업이 아닙니다", "it is not a backup of this app")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise refuse(f"이 앱보다 새 버전이 만든 백업입니다 (형식 {version}); 앱을 업데이트하세요",
                     f"a newer version of the app made it (format {version}); update the app")
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
            isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("size"), int)
            and isinstance(f.get("sha256"), str) and BLOB_NAME.match(f["sha256"]) for f in files):
        raise refuse("목록의 파일 항목이 잘못되었습니다", "its list of files is malformed")
    listed = [f["path"] for f in files]
    for name in listed:
        if not _allowed(name):
            raise refuse(f"허용되지 않는 파일 이름: {name}", f"a file name that is not allowed: {name}")
    if len(set(listed)) != len(listed):
        raise refuse("목록에 같은 파일이 두 번 있습니다", "its list names a file twice")
    if DATABASE_MEMBER not in listed:
        raise refuse(f"목록에 데이터 파일({DATABASE_MEMBER})이 없습니다", f"its list has no {DATABASE_MEMBER}")
    members = set(names) - {MANIFEST_NAME}
    absent = [name for name in listed if name not in members]
    if absent:
        raise refuse(f"목록에 있는 파일이 백업에 없습니다: {', '.join(absent[:3])}",
                     f"files on its list are missing from it: {', '.join(absent[:3])}")
    extra = sorted(members - set(listed))
    if extra:
        raise refuse(f"목록에 없는 파일이 들어 있습니다: {', '.join(extra[:3])}",
                     f"it holds files its list does not name: {', '.join(extra[:3])}")
    return manifest


def open_archive(archive: Path) -> tuple[zipfile.ZipFile, dict]:
    """The opened zip and its checked manifest (digests are checked as members are read)."""
    if not archive.is_file():
        raise AppError(f"백업 파일이 없습니다: {archive}", f"No such backup file: {archive}")
    try:
        opened = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise ArchiveRefused(archive, f"zip 파일이 아니거나 잘렸습니다 ({exc})",
                             f"it is not a zip file, or it was cut short ({exc})") from exc
    try:
        return opened, read_manifest(archive, opened)
    except BaseException:
        opened.close()
        raise


def _extract(archive: Path, opened: zipfile.ZipFile, entry: dict, target: Path, cancelled: Cancelled | None) -> None:
    """Copy one member to ``target``, checking its size and SHA-256 against the manifest (and the zip's CRC)."""
    name = entry["path"]
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with opened.open(name) as source, target.open("wb") as out:
            while chunk := source.read(_CHUNK):
                if cancelled is not None and cancelled():
                    raise RestoreCancelled()
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a CRC that fails, data cut short
        crc = "CRC" in str(exc)
        raise ArchiveRefused(archive, f"{name}이(가) 손상되었습니다 ({'CRC-32가 맞지 않음' if crc else exc})",
                             f"{name} is damaged ({'its CRC-32 does not match' if crc else exc})") from exc
    if size != entry["size"]:
        raise ArchiveRefused(archive, f"{name}의 크기가 목록과 다릅니다 ({size:,} ≠ {entry['size']:,} 바이트)",
                             f"{name} is not the size its list says ({size:,} ≠ {entry['size']:,} bytes)")
    if digest.hexdigest() != entry["sha256"]:
        raise ArchiveRefused(archive, f"{name}의 SHA-256이 목록과 다릅니다", f"{name} does not match its SHA-256 on the list")
    if name.startswith(ATTACHMENTS_FOLDER + "/") and not entry.get("damaged") and entry["sha256"] != Path(name).name:
        raise ArchiveRefused(archive, f"{name}의 내용이 이름(SHA-256)과 다릅니다",
                             f"the content of {name} does not match its name (its SHA-256)")


def _check_database(archive: Path, staged: Path, manifest: dict) -> None:
    problem = integrity_problem(staged, full=True)
    if problem:
        raise ArchiveRefused(archive, f"데이터 파일이 손상되었습니다 ({problem})", f"its data file is damaged ({problem})")
    if is_other_database(staged):
        raise ArchiveRefused(archive, "이 앱의 데이터 파일이 아닙니다", "its data file is not one of this app")
    import sqlite3

    connection = sqlite3.connect(f"{staged.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        connection.close()
    revision = row[0] if row else None
    if revision != manifest.get("schema_revision"):
        raise ArchiveRefused(archive, f"목록의 스키마 판({manifest.get('schema_revision')})이 데이터 파일({revision})과 다릅니다",
                             f"its list's schema revision ({manifest.get('schema_revision')}) is not its data "
                             f"file's ({revision})")
    if revision not in _known_revisions():
        raise ArchiveRefused(archive, f"이 앱보다 새 버전이 만든 백업입니다 (스키마 {revision}); 앱을 업데이트하세요",
                             f"a newer version of the app made it (schema {revision}); update the app")


def _check_space(archive: Path, data_dir: Path, needed: int) -> None:
    free = shutil.disk_usage(data_dir).free
    if free < needed + _SPACE_MARGIN:
        raise LocalFault("disk-full", f"복원할 공간이 모자랍니다: {data_dir} ({(needed + _SPACE_MARGIN) / 1e6:,.0f}MB 필요, "
                                      f"{free / 1e6:,.0f}MB 남음). 공간을 비운 뒤 다시 하세요. 아무것도 바꾸지 않았습니다.",
                         f"Not enough space to restore into {data_dir} ({(needed + _SPACE_MARGIN) / 1e6:,.0f} MB "
                         f"needed, {free / 1e6:,.0f} MB free). Free some space and try again; nothing was changed.",
                         str(data_dir))


def _same_file(path: Path, sha256: str) -> bool:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return False
    return digest.hexdigest() == sha256


def restore_archive(archive: Path, data_dir: Path, *, progress: Progress | None = None,
                    cancelled: Cancelled | None = None) -> RestoreResult:
    """Check ``archive`` whole, then restore it into ``data_dir`` (the store must be closed)."""
    archive, data_dir = Path(archive).resolve(), Path(data_dir)
    created = not data_dir.exists()
    opened, manifest = open_archive(archive)
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = data_dir / f".restore-{datetime.now():%Y%m%d-%H%M%S-%f}"  # same disk: moving in is a rename
    try:
        with opened:
            entries = manifest["files"]
            _check_space(archive, data_dir, sum(e["size"] for e in entries))
            for done, entry in enumerate(entries, start=1):
                _extract(archive, opened, entry, staging / entry["path"], cancelled)
                if progress:
                    progress(done, len(entries) + 1)
        staged_db = staging / DATABASE_MEMBER
        _check_database(archive, staged_db, manifest)
        if cancelled is not None and cancelled():
            raise RestoreCancelled()
        # -- from here on the data folder changes; everything it will hold has been checked -------------------
        target = data_dir / STORE_FILE_NAME
        own_id = device_id_of(target)
        device_id = adopt_device_id(staged_db, own_id, archive)
        placed, damaged = 0, []
        for entry in entries:
            name = entry["path"]
            if name == DATABASE_MEMBER:
                continue
            if entry.get("damaged"):
                damaged.append(name)
                continue
            final = data_dir / name
            # Attachments are named by content and never removed: the current records' files stay, so the data
            # file kept before the swap still finds every file it names.
            if final.is_file() and name.startswith(ATTACHMENTS_FOLDER + "/") and _same_file(final, entry["sha256"]):
                continue
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, final)
            placed += 1
        safety = swap_in(staged_db, target, data_dir / BACKUPS_FOLDER)
        if progress:
            progress(len(entries) + 1, len(entries) + 1)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(data_dir, ignore_errors=True)  # a fresh folder that got nothing: as it was
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(archive, safety, placed, device_id, own_id is not None, manifest, tuple(damaged),
                         tuple(manifest.get("missing_attachments") or ()))


def is_archive(path: Path) -> bool:
    """A backup archive (by its name, or a zip by its content), not a database copy."""
    return Path(path).suffix.lower() == ARCHIVE_SUFFIX or zipfile.is_zipfile(path)


def restore_backup(backup: Path, data_dir: Path, *, progress: Progress | None = None,
                   cancelled: Cancelled | None = None) -> RestoreResult:
    """Restore an archive or a ``.sqlite3`` database copy into ``data_dir`` (the store must be closed)."""
    backup, data_dir = Path(backup).resolve(), Path(data_dir)
    if backup.is_file() and is_archive(backup):
        return restore_archive(backup, data_dir, progress=progress, cancelled=cancelled)
    if is_other_database(backup):
        raise AppError(f"이 앱의 데이터 파일이 아니라서 복원하지 않았습니다: {backup}",
                       f"Not a data file of this app, nothing was restored: {backup}")
    target = data_dir / STORE_FILE_NAME
    own_id = device_id_of(target)
    if backup.is_file():  # else restore_file says there is no such backup, and no folder is made for nothing
        data_dir.mkdir(parents=True, exist_ok=True)
    safety = restore_file(backup, target, data_dir / BACKUPS_FOLDER)
    return RestoreResult(backup, safety, 0, device_id_of(target) or "", own_id is not None, None)
