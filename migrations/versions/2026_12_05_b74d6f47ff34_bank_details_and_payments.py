"""Bank details encrypted at rest, and tranche payments recorded by one person and approved by
another

Revision ID: b74d6f47ff34
Revises: 3f8a1c6d2e94
Create Date: 2026-12-05 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b74d6f47ff34'
down_revision = "3f8a1c6d2e94"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_details',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=17), nullable=False),
    sa.Column('account_holder', sa.Text(), nullable=False),
    sa.Column('bank_name', sa.Text(), nullable=False),
    sa.Column('account_number', sa.Text(), nullable=False),
    sa.Column('swift_bic', sa.Text(), nullable=True),
    sa.Column('bank_country', sa.String(length=2), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('awaiting_approval', 'approved')", name=op.f('ck_bank_details_state_valid')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_bank_details_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_bank_details_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bank_details_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_details')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_bank_details_organisation_id'))
    )
    with op.batch_alter_table('bank_details', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_details_state'), ['state'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tranche_id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=17), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('awaiting_approval', 'approved', 'rejected')", name=op.f('ck_payments_state_valid')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('decided_by_id IS NULL OR decided_by_id <> recorded_by_id', name=op.f('ck_payments_decider_not_recorder')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_payments_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_payments_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_payments_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_payments_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tranche_id'], ['tranches.id'], name=op.f('fk_payments_tranche_id_tranches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_paid_on'), ['paid_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_state'), ['state'], unique=False)
        # at most one payment of a tranche is waiting or approved
        batch_op.create_index('uq_payments_live_tranche', ['tranche_id'], unique=True, sqlite_where=sa.text("state <> 'rejected'"), postgresql_where=sa.text("state <> 'rejected'"))


def downgrade():
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index('uq_payments_live_tranche')
        batch_op.drop_index(batch_op.f('ix_payments_state'))
        batch_op.drop_index(batch_op.f('ix_payments_paid_on'))
        batch_op.drop_index(batch_op.f('ix_payments_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_payments_grant_id'))
    op.drop_table('payments')
    with op.batch_alter_table('bank_details', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_details_state'))
    op.drop_table('bank_details')
