"""Evidence files kept in the data folder under their SHA-256, so the same file is stored once."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path

from sqlmodel import Session

from consultant_app.errors import AppError
from consultant_app.store.models import Attachment

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
_CHUNK = 1024 * 1024


class AttachmentTooLarge(AppError):
    """A file over the size limit; refused before anything is copied or saved."""

    def __init__(self, path: Path, size: int, limit: int):
        mb, limit_mb = size / 1_048_576, limit / 1_048_576
        super().__init__(f"첨부 파일이 너무 큽니다: {path.name} ({mb:.1f}MB, 최대 {limit_mb:.0f}MB)",
                         f"The attachment is too large: {path.name} ({mb:.1f} MB, limit {limit_mb:.0f} MB)")


def blob_path(attachments_dir: Path, sha256: str) -> Path:
    """Where the file with this digest lives: ``attachments/ab/abcdef…``."""
    return attachments_dir / sha256[:2] / sha256


def store_blob(attachments_dir: Path, source: Path, *, max_bytes: int = MAX_ATTACHMENT_BYTES) -> tuple[str, int]:
    """Copy ``source`` into the content-addressed folder; returns (sha256, size). Idempotent."""
    size = source.stat().st_size
    if size > max_bytes:
        raise AttachmentTooLarge(source, size, max_bytes)
    attachments_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    # Copy to a temporary file while hashing, then rename: a crash never leaves a half file under a digest name.
    with source.open("rb") as src, tempfile.NamedTemporaryFile(dir=attachments_dir, delete=False) as tmp:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            digest.update(chunk)
            tmp.write(chunk)
        tmp.flush()
        os.fsync(tmp.fileno())
    sha256 = digest.hexdigest()
    target = blob_path(attachments_dir, sha256)
    if target.exists():
        os.unlink(tmp.name)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(tmp.name, target)
    return sha256, size


def add_attachment(session: Session, attachments_dir: Path, source: Path, *, engagement_id: str,
                   visit_id: str | None = None, caption: str | None = None,
                   max_bytes: int = MAX_ATTACHMENT_BYTES) -> Attachment:
    """Keep ``source`` as evidence of an engagement (or one of its visits) and record it in ``session``."""
    sha256, size = store_blob(attachments_dir, source, max_bytes=max_bytes)
    media_type, _ = mimetypes.guess_type(source.name)
    attachment = Attachment(engagement_id=engagement_id, visit_id=visit_id, sha256=sha256, file_name=source.name,
                            media_type=media_type, size_bytes=size, caption=caption)
    session.add(attachment)
    return attachment
