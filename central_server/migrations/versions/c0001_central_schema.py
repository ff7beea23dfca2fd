"""central schema: the laptop's synced tables, users and tokens, login failures, assignments, the change sequence

The synced tables are the laptop's (consultant_app/store/migrations/versions/0001_initial_schema.py) column for
column, index for index, so the app's ORM classes and queries run unchanged here; tests/server compares them.

Revision ID: c0001
Revises:
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'c0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    counters = op.create_table('counters',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    # The change sequence: record_changes() locks and advances this row, so writers take numbers in turn.
    op.bulk_insert(counters, [{'name': 'seq', 'value': 0}])
    op.create_table('login_failures',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_address_at', ['address', 'at'], unique=False)
        batch_op.create_index('ix_login_failures_at', ['at'], unique=False)
        batch_op.create_index('ix_login_failures_username_at', ['username', 'at'], unique=False)

    op.create_table('row_meta',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('company_id', sa.String(length=36), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'row_id')
    )
    with op.batch_alter_table('row_meta', schema=None) as batch_op:
        batch_op.create_index('ix_row_meta_company_seq', ['company_id', 'seq'], unique=False)
        batch_op.create_index('ix_row_meta_seq', ['seq'], unique=False)

    op.create_table('server_audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('server_audit', schema=None) as batch_op:
        batch_op.create_index('ix_server_audit_entity_row', ['entity', 'row_id'], unique=False)
        batch_op.create_index('ix_server_audit_seq', ['seq'], unique=False)

    op.create_table('sponsors',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sponsors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sponsors_deleted'), ['deleted'], unique=False)
        batch_op.create_index('ux_sponsors_name', ['name'], unique=True, sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))

    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("role IN ('consultant', 'supervisor', 'admin')", name='ck_users_role'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('companies',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('business_no', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('representative', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('manufacturing', sa.Boolean(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('supplier_tier', sa.Integer(), nullable=True),
    sa.Column('sponsor_id', sa.String(length=36), nullable=True),
    sa.Column('growth_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['sponsor_id'], ['sponsors.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_companies_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_companies_sponsor_id'), ['sponsor_id'], unique=False)
        batch_op.create_index('ux_companies_business_no', ['business_no'], unique=True, sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))

    op.create_table('tokens',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('assignments',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('company_id', sa.String(length=36), nullable=False),
    sa.Column('assigned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'company_id')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_company_id'), ['company_id'], unique=False)

    op.create_table('engagements',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('company_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('phase', sa.Integer(), nullable=True),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('support_krw', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('consultant', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagements_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_engagements_deleted'), ['deleted'], unique=False)
        batch_op.create_index('ux_engagements_company_year', ['company_id', 'year'], unique=True, sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))

    op.create_table('kpi_measurements',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('engagement_id', sa.String(length=36), nullable=False),
    sa.Column('kpi_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('baseline_numerator', sa.Float(), nullable=True),
    sa.Column('baseline_denominator', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('post', sa.Float(), nullable=True),
    sa.Column('post_date', sa.Date(), nullable=True),
    sa.Column('post_numerator', sa.Float(), nullable=True),
    sa.Column('post_denominator', sa.Float(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kpi_measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_measurements_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_measurements_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index('ux_kpi_measurements_engagement_kpi', ['engagement_id', 'kpi_code'], unique=True, sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))

    op.create_table('outcomes',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('engagement_id', sa.String(length=36), nullable=False),
    sa.Column('financial_effect_krw', sa.Integer(), nullable=True),
    sa.Column('effect_productivity_krw', sa.Integer(), nullable=True),
    sa.Column('effect_labour_krw', sa.Integer(), nullable=True),
    sa.Column('effect_quality_krw', sa.Integer(), nullable=True),
    sa.Column('effect_other_krw', sa.Integer(), nullable=True),
    sa.Column('assumptions', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('new_hires', sa.Integer(), nullable=True),
    sa.Column('smart_factory_built', sa.Boolean(), nullable=True),
    sa.Column('smart_factory_level', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcomes_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index('ux_outcomes_engagement', ['engagement_id'], unique=True, sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))

    op.create_table('survey_responses',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('engagement_id', sa.String(length=36), nullable=False),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('wants_continue', sa.Boolean(), nullable=True),
    sa.Column('would_recommend', sa.Boolean(), nullable=True),
    sa.Column('improved', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index('ux_survey_responses_engagement', ['engagement_id'], unique=True, sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))

    op.create_table('visits',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('engagement_id', sa.String(length=36), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('activities', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visits_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_visits_engagement_id'), ['engagement_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('engagement_id', sa.String(length=36), nullable=False),
    sa.Column('visit_id', sa.String(length=36), nullable=True),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('caption', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['engagement_id'], ['engagements.id'], initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_deleted'), ['deleted'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_engagement_id'), ['engagement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_visit_id'), ['visit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_visit_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_deleted'))

    op.drop_table('attachments')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visits_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_visits_deleted'))

    op.drop_table('visits')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index('ux_survey_responses_engagement', sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_deleted'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ux_outcomes_engagement', sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))
        batch_op.drop_index(batch_op.f('ix_outcomes_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_deleted'))

    op.drop_table('outcomes')
    with op.batch_alter_table('kpi_measurements', schema=None) as batch_op:
        batch_op.drop_index('ux_kpi_measurements_engagement_kpi', sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))
        batch_op.drop_index(batch_op.f('ix_kpi_measurements_engagement_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_measurements_deleted'))

    op.drop_table('kpi_measurements')
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_index('ux_engagements_company_year', sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))
        batch_op.drop_index(batch_op.f('ix_engagements_deleted'))
        batch_op.drop_index(batch_op.f('ix_engagements_company_id'))

    op.drop_table('engagements')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_company_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tokens_user_id'))

    op.drop_table('tokens')
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_index('ux_companies_business_no', sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))
        batch_op.drop_index(batch_op.f('ix_companies_sponsor_id'))
        batch_op.drop_index(batch_op.f('ix_companies_name'))
        batch_op.drop_index(batch_op.f('ix_companies_deleted'))

    op.drop_table('companies')
    op.drop_table('users')
    with op.batch_alter_table('sponsors', schema=None) as batch_op:
        batch_op.drop_index('ux_sponsors_name', sqlite_where=sa.text('deleted = 0'), postgresql_where=sa.text('deleted = false'))
        batch_op.drop_index(batch_op.f('ix_sponsors_deleted'))

    op.drop_table('sponsors')
    with op.batch_alter_table('server_audit', schema=None) as batch_op:
        batch_op.drop_index('ix_server_audit_seq')
        batch_op.drop_index('ix_server_audit_entity_row')

    op.drop_table('server_audit')
    with op.batch_alter_table('row_meta', schema=None) as batch_op:
        batch_op.drop_index('ix_row_meta_seq')
        batch_op.drop_index('ix_row_meta_company_seq')

    op.drop_table('row_meta')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_username_at')
        batch_op.drop_index('ix_login_failures_at')
        batch_op.drop_index('ix_login_failures_address_at')

    op.drop_table('login_failures')
    op.drop_table('counters')
