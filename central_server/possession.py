"""Proof of possession for attachment files: a SHA-256 names a file but is no key to it.

A user holds a file when they uploaded its bytes whole themselves, or when an attachment record they may see
already names it. Only then may a record of theirs name it, and only then does an answer say the server has it:
for anyone else a file the server holds and one it never saw look the same.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from central_server.blobs import BlobStore, is_digest
from central_server.db import write_transaction
from central_server.schema import attachment_uploads
from central_server.scope import assigned_company_ids
from central_server.users import User
from consultant_app.store.models import SYNCED_TABLES, utc_now


def record_upload(engine: Engine, user: User, sha256: str, size: int) -> None:
    """Remember that ``user`` sent this complete file (sending it again changes nothing)."""
    with write_transaction(engine) as connection:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        connection.execute(dialect.insert(attachment_uploads).values(
            user_id=user.id, sha256=sha256, size_bytes=size, uploaded_at=utc_now()).on_conflict_do_nothing())


def sees_a_record_naming(connection: Connection, user: User, sha256: str) -> bool:
    """Whether an attachment record the user may see names this file."""
    attachments, engagements = SYNCED_TABLES["attachments"].__table__, SYNCED_TABLES["engagements"].__table__
    query = (select(attachments.c.id).join(engagements, engagements.c.id == attachments.c.engagement_id)
             .where(attachments.c.sha256 == sha256).limit(1))
    if not user.sees_everything:
        query = query.where(engagements.c.company_id.in_(assigned_company_ids(user)))
    return connection.execute(query).first() is not None


def uploaded(connection: Connection, user: User, sha256: str) -> bool:
    """Whether the user sent this complete file themselves."""
    return connection.execute(select(attachment_uploads.c.sha256).where(
        attachment_uploads.c.user_id == user.id, attachment_uploads.c.sha256 == sha256)).first() is not None


def held_size(connection: Connection, blobs: BlobStore, user: User, sha256: str) -> int | None:
    """The file's size when the server has it and the user holds it; None otherwise, whichever of the two it is."""
    if not is_digest(sha256):
        return None
    size = blobs.size(sha256)
    if size is None:
        return None
    return size if uploaded(connection, user, sha256) or sees_a_record_naming(connection, user, sha256) else None
