"""push trust: who uploaded which complete attachment file (proof of possession), and each receipt's op digest

Revision ID: c0004
Revises: c0003
Create Date: 2026-12-09
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'c0004'
down_revision: str | None = 'c0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attachment_uploads',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('uploaded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'sha256')
    )
    # Receipts kept before this revision have no digest: their op ids keep answering with the first receipt.
    with op.batch_alter_table('op_receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('op_receipts', schema=None) as batch_op:
        batch_op.drop_column('digest')
    op.drop_table('attachment_uploads')
