"""the server's identity: a UUID made once with the database, by which laptops recognise their server

Revision ID: c0005
Revises: c0004
Create Date: 2026-12-04
"""
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'c0005'
down_revision: str | None = 'c0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table('server_identity',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    # Made here, in the upgrade's own transaction: one id per database, however many workers start at once.
    op.bulk_insert(table, [{"id": str(uuid.uuid4()), "created_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table('server_identity')
