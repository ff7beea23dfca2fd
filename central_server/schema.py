"""The server's own tables, in their own MetaData: the laptop's migrations never see them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlmodel.sql.sqltypes import UTCDateTime

ROLES = ("consultant", "supervisor", "admin")
SEQ_COUNTER = "seq"

metadata = MetaData()

# SQLite numbers rows by itself only for an INTEGER PRIMARY KEY, so a BIGINT key is INTEGER there.
_BigKey = BigInteger().with_variant(Integer(), "sqlite")

users = Table(
    "users", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(), nullable=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(), nullable=False),
    Column("disabled", Boolean(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    CheckConstraint("role IN ('consultant', 'supervisor', 'admin')", name="ck_users_role"),
)

tokens = Table(
    "tokens", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 hex: the token itself is never kept
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
    Column("last_used_at", UTCDateTime(), nullable=True),
)

# Failed logins, in the database so that every worker counts the same attempts.
login_failures = Table(
    "login_failures", metadata,
    Column("id", _BigKey, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_login_failures_username_at", "username", "at"),
    Index("ix_login_failures_address_at", "address", "at"),
    Index("ix_login_failures_at", "at"),
)

# A consultant sees the companies assigned to them (supervisors and admins see all).
assignments = Table(
    "assignments", metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("company_id", String(36), ForeignKey("companies.id"), nullable=False, index=True),
    Column("assigned_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("user_id", "company_id"),
)

# Where each synced row stands in the change sequence, and which company (so which consultants) it belongs to.
row_meta = Table(
    "row_meta", metadata,
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("company_id", String(36), nullable=True),  # None: visible to everyone (sponsors)
    Column("seq", BigInteger(), nullable=False),
    PrimaryKeyConstraint("entity", "row_id"),
    Index("ix_row_meta_seq", "seq"),
    Index("ix_row_meta_company_seq", "company_id", "seq"),  # a consultant's pull: their companies after a cursor
)

counters = Table(
    "counters", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger(), nullable=False),
)

server_audit = Table(
    "server_audit", metadata,
    Column("id", _BigKey, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("actor", String(), nullable=False),
    Column("entity", String(32), nullable=False),
    Column("row_id", String(36), nullable=False),
    Column("action", String(16), nullable=False),
    Column("changes", Text(), nullable=False),
    Column("seq", BigInteger(), nullable=False),
    Index("ix_server_audit_entity_row", "entity", "row_id"),
    Index("ix_server_audit_seq", "seq"),
)


# The server's id, made once with its database (migration c0005): laptops recognise their server by it, not by
# the address they were given.
server_identity = Table(
    "server_identity", metadata,
    Column("id", String(36), primary_key=True),
    Column("created_at", UTCDateTime(), nullable=False),
)


def database_metadata() -> MetaData:
    """The whole server database: copies of the laptop's synced tables plus the server's own (for Alembic)."""
    from consultant_app.store.models import PULLED_TABLES

    combined = MetaData()
    for model in PULLED_TABLES.values():
        model.__table__.to_metadata(combined)
    for table in metadata.tables.values():
        table.to_metadata(combined)
    return combined

# Each pushed op's receipt: a replayed op (its reply lost, or the batch sent again) gets the same answer.
op_receipts = Table(
    "op_receipts", metadata,
    Column("op_id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("device_id", String(36), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Column("receipt", Text(), nullable=False),
    # SHA-256 of the op's content: the op id is an idempotency key, answered again only for the same content.
    Column("digest", String(64), nullable=True),  # None: a receipt kept before digests were
)

# Proof of possession: who sent which complete attachment file, byte for byte. A user may name a file in a record
# only if they uploaded it or can see a record naming it; a hash alone is not a key.
attachment_uploads = Table(
    "attachment_uploads", metadata,
    Column("user_id", String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", BigInteger(), nullable=False),
    Column("uploaded_at", UTCDateTime(), nullable=False),
    PrimaryKeyConstraint("user_id", "sha256"),
)
