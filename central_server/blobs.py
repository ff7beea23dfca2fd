"""Attachment files on the server, addressed by their SHA-256, uploaded in resumable pieces.

An upload grows a partial file of its own (per user and digest) piece by piece; each piece names the offset it
starts at, so a piece cut midway is simply continued from what arrived. When the partial file is whole it is
checked against its digest and renamed into place: a file under a digest name is always complete and correct.
With several servers, ``root`` must be a folder they share.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

from central_server.files import open_private, private_dir

SHA256 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024
PARTIAL_KEEP_S = 14 * 24 * 3600  # an upload untouched this long was abandoned (the laptop's next sync restarts it)


def is_digest(value: str) -> bool:
    """Whether ``value`` is a SHA-256 in lower-case hex."""
    return SHA256.fullmatch(value) is not None


def _still_named(path: Path, descriptor: int) -> bool:
    """Whether ``path`` still names the file open as ``descriptor``."""
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


class DigestMismatch(Exception):
    """The uploaded bytes do not have the digest they were sent under (the partial file is dropped)."""


class OffsetMismatch(Exception):
    """A piece starts elsewhere than where the upload stands; ``received`` says where that is."""

    def __init__(self, received: int):
        super().__init__(received)
        self.received = received


class BlobStore:
    """The folder of attachment files: ``ab/abcdef…`` complete files, ``.partial/`` uploads in progress."""

    def __init__(self, root: Path, max_bytes: int):
        self.root = root
        self.max_bytes = max_bytes

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def size(self, sha256: str) -> int | None:
        """The complete file's size, or None when the server does not have it."""
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def _partial(self, user_id: str, sha256: str) -> Path:
        return self.root / ".partial" / f"{sha256}.{user_id}"

    def received(self, user_id: str, sha256: str) -> int:
        """How many bytes of this user's upload have arrived."""
        try:
            return self._partial(user_id, sha256).stat().st_size
        except FileNotFoundError:
            return 0

    async def append(self, user_id: str, sha256: str, *, offset: int, total: int,
                     pieces: AsyncIterator[bytes]) -> int:
        """Write a piece starting at ``offset``; keeps what arrived even when the sender is cut off midway."""
        partial = self._partial(user_id, sha256)
        private_dir(partial.parent)
        # The server's user's only (0600, kept when it is renamed into place): companies' documents.
        with os.fdopen(open_private(partial, os.O_WRONLY | os.O_APPEND), "ab") as out:
            try:  # one writer per upload: a retry arriving while its first attempt is still being read is told
                # where the upload stands (409), and asks again
                fcntl.flock(out.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OffsetMismatch(self.received(user_id, sha256)) from None
            if not _still_named(partial, out.fileno()):
                raise OffsetMismatch(0)  # swept as abandoned between the open and the lock: start again
            have = os.fstat(out.fileno()).st_size
            if offset != have:
                raise OffsetMismatch(have)
            written = have
            try:
                async for piece in pieces:
                    if written + len(piece) > total:
                        raise ValueError("more bytes than the upload's length")
                    out.write(piece)
                    written += len(piece)
            finally:
                out.flush()
                os.fsync(out.fileno())
        return written

    def finish(self, user_id: str, sha256: str) -> None:
        """Check the whole partial file against its digest and move it into place (DigestMismatch drops it)."""
        partial = self._partial(user_id, sha256)
        digest = hashlib.sha256()
        with partial.open("rb") as source:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
        if digest.hexdigest() != sha256:
            partial.unlink(missing_ok=True)
            raise DigestMismatch(sha256)
        target = self.path(sha256)
        private_dir(target.parent)
        if target.exists():
            partial.unlink(missing_ok=True)  # someone else's upload of the same bytes finished first
        else:
            os.replace(partial, target)

    def discard(self, user_id: str, sha256: str) -> None:
        self._partial(user_id, sha256).unlink(missing_ok=True)

    def sweep_partials(self, older_than_s: float = PARTIAL_KEEP_S) -> int:
        """Delete uploads untouched for ``older_than_s`` seconds (never one being written); returns how many."""
        cutoff = time.time() - older_than_s
        swept = 0
        for partial in (self.root / ".partial").glob("*"):
            try:
                descriptor = os.open(partial, os.O_WRONLY | os.O_APPEND)  # not O_CREAT: one just finished is gone
            except FileNotFoundError:
                continue
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a writer holds it: leave it
                if os.fstat(descriptor).st_mtime < cutoff:
                    partial.unlink()
                    swept += 1
            except (BlockingIOError, FileNotFoundError):
                pass
            finally:
                os.close(descriptor)
        return swept
