"""Errors a user can act on, worded in Korean and English; local disk faults translated once for every caller."""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class AppError(Exception):
    """An error shown to the user as one sentence in their language."""

    def __init__(self, ko: str, en: str):
        super().__init__(en)
        self.ko = ko
        self.en = en

    def message(self, lang: str = "ko") -> str:
        return self.en if lang == "en" else self.ko


class LocalFault(AppError):
    """The laptop's own disk refused: a read-only or forbidden folder, a full disk, an unreadable device."""

    def __init__(self, kind: str, ko: str, en: str, where: str = ""):
        super().__init__(ko, en)
        self.kind = kind  # "read-only", "disk-full", "cannot-open" or "io-error"
        self.where = where


# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_PERM, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 3, 8, 10, 13, 14
_SQLITE_IOERR_SHORT_READ = 522  # a file shorter than its header says: damage, not a disk fault
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES}
_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NEARLY_FULL_BYTES = 1024 * 1024


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error a SQLAlchemy error wraps (``.orig``), and what it was raised from."""
    seen: set[int] = set()
    pending = [error]
    while pending and len(seen) < 8:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for inner in (getattr(current, "orig", None), current.__cause__, current.__context__):
            if isinstance(inner, BaseException):
                pending.append(inner)


def _folder_state(folder: Path | None) -> str | None:
    """``read-only`` or ``full`` when the folder (or its nearest existing parent) is so, else None."""
    if folder is None:
        return None
    existing = Path(folder)
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if os.statvfs(existing).f_flag & os.ST_RDONLY or not os.access(existing, os.W_OK):
            return "read-only"
        if shutil.disk_usage(existing).free < _NEARLY_FULL_BYTES:
            return "full"
    except (OSError, AttributeError):  # no statvfs on Windows: the error's own words decide there
        return None
    return None


def _sqlite_kind(error: Any) -> str | None:
    code = getattr(error, "sqlite_errorcode", None)
    text = str(error).lower()
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or "database or disk is full" in text:
        return "disk-full"
    if primary in (_SQLITE_READONLY, _SQLITE_PERM) or "readonly database" in text:
        return "read-only"
    if primary == _SQLITE_CANTOPEN or "unable to open database file" in text:
        return "cannot-open"
    if (primary == _SQLITE_IOERR and code != _SQLITE_IOERR_SHORT_READ) or text == "disk i/o error":
        return "io-error"
    return None


def local_fault(error: BaseException, folder: Path | None = None) -> LocalFault | None:
    """The error as a LocalFault when the disk refused (read-only, full, cannot open), else None.

    ``folder`` (the data folder, when the caller knows it) sharpens SQLite's vaguer reports: a file it cannot
    open in a read-only folder is a read-only folder; a disk I/O error on a full disk is a full disk.
    """
    if isinstance(error, LocalFault):
        return error
    sqlite3 = sys.modules.get("sqlite3")  # no sqlite3 error exists unless it was imported: this module stays light
    for cause in _causes(error):
        kind, where = None, ""
        if isinstance(cause, OSError) and cause.errno in _READ_ONLY_ERRNOS | _FULL_ERRNOS:
            kind = "disk-full" if cause.errno in _FULL_ERRNOS else "read-only"
            where = str(cause.filename or "")  # the file it names; the data folder may be another disk
        elif sqlite3 is not None and isinstance(cause, sqlite3.Error):
            kind, where = _sqlite_kind(cause), str(folder or "")
        if kind is None:
            continue
        state = _folder_state(folder)
        if kind in ("cannot-open", "io-error") and state is not None:
            kind = "read-only" if state == "read-only" else "disk-full"
        return _fault(kind, where)
    return None


def _fault(kind: str, where: str) -> LocalFault:
    at_ko, at_en = (f": {where}", f": {where}") if where else ("", "")
    if kind == "disk-full":
        return LocalFault(kind, f"디스크에 빈 공간이 없어 쓰지 못했습니다{at_ko}. 쓰던 내용은 저장되지 않았습니다. "
                                f"공간을 비운 뒤 다시 하세요.",
                          f"The disk is full{at_en}. What was being written was not saved; free some space and try "
                          f"again.", where)
    if kind == "read-only":
        return LocalFault(kind, f"쓸 수 없는 폴더입니다 (읽기 전용이거나 권한이 없음){at_ko}. 쓸 수 있는 폴더를 고르거나 "
                                f"권한을 확인한 뒤 다시 하세요.",
                          f"This folder cannot be written to (read-only or no permission){at_en}. Choose a folder "
                          f"you can write to, or check its permissions, and try again.", where)
    if kind == "cannot-open":
        return LocalFault(kind, f"데이터 파일을 열 수 없습니다{at_ko}. 폴더가 있고 쓸 수 있는지 확인하세요.",
                          f"The data file cannot be opened{at_en}. Check that the folder exists and can be "
                          f"written to.", where)
    return LocalFault(kind, f"디스크를 읽거나 쓰지 못했습니다 (입출력 오류){at_ko}. 저장 장치가 연결되어 있고 빈 공간이 "
                            f"있는지 확인한 뒤 다시 하세요.",
                      f"The disk could not be read or written (I/O error){at_en}. Check that the drive is connected "
                      f"and has free space, and try again.", where)


def short_text(error: BaseException) -> str:
    """An unexpected error's type and text, without the SQL statement and parameters SQLAlchemy appends."""
    orig = getattr(error, "orig", None)
    if isinstance(orig, BaseException):  # SQLAlchemy's wrapper: the driver's own words are the message
        return f"{type(error).__name__}: {orig}"
    return f"{type(error).__name__}: {error}"


def error_text(error: BaseException, lang: str = "ko", folder: Path | None = None) -> str:
    """One line about an error for the user: an AppError's own words, a disk fault in words, a file error's file
    and reason, else its type and text."""
    if isinstance(error, AppError):
        return error.message(lang)
    fault = local_fault(error, folder)
    if fault is not None:
        return fault.message(lang)
    if isinstance(error, OSError):
        return f"{error.filename or ''} {error.strerror or error}".strip()
    return short_text(error)
