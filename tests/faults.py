"""Real local disk faults for tests: a small tmpfs that can fill up, remounted read-only when asked.

Mounting needs root (or CAP_SYS_ADMIN). These tests run as root here and in CI, where a failed mount fails the test
(CI=true) rather than skip it silently; elsewhere it is skipped, saying why. Running as root is also why a chmod
cannot make a folder read-only for them: root ignores permissions, but not a read-only filesystem.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*command: str) -> str | None:
    """None when the command worked, else why not."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit {done.returncode}")


@contextmanager
def small_filesystem(where: Path, size: str = "4m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``where`` for the duration."""
    where.mkdir(parents=True, exist_ok=True)
    problem = _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    if problem is not None:
        reason = f"cannot mount a small tmpfs ({problem}); a real full or read-only disk needs root or CAP_SYS_ADMIN"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield where
    finally:
        _run("mount", "-o", "remount,rw", str(where))
        _run("umount", "-l", str(where))


def set_read_only(where: Path, read_only: bool = True) -> None:
    """Remount the small filesystem read-only (or writable again)."""
    problem = _run("mount", "-o", f"remount,{'ro' if read_only else 'rw'}", str(where))
    assert problem is None, problem


def fill(where: Path, leave: int = 0) -> Path:
    """Fill the filesystem until only about ``leave`` bytes are free."""
    filler = where / "filler.bin"
    block = b"\0" * 4096
    with filler.open("ab") as out:
        while os.statvfs(where).f_bavail * os.statvfs(where).f_frsize > leave + len(block):
            try:
                out.write(block)
                out.flush()
            except OSError:
                break
    return filler


def files_under(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, SQLite's own -wal and -shm aside (working files it recreates)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}
