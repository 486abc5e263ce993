"""Grant amendments (extension, budget reallocation, tranche schedule) and the per-call
threshold under which a budget reallocation is approved on request

Revision ID: 7b2e9d4c1a58
Revises: b74d6f47ff34
Create Date: 2026-12-05 17:40:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '7b2e9d4c1a58'
down_revision = "b74d6f47ff34"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'grant_amendments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('grant_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('state', sa.String(length=9), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.Text(), server_default='', nullable=False),
        sa.Column('proposed', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('before', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('after', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_comment', sa.Text(), server_default='', nullable=False),
        sa.CheckConstraint(
            "kind IN ('extension', 'reallocation', 'tranches')", name=op.f('ck_grant_amendments_kind_valid')
        ),
        sa.CheckConstraint(
            "state IN ('requested', 'approved', 'declined', 'withdrawn')",
            name=op.f('ck_grant_amendments_state_valid'),
        ),
        sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_amendments_grant_id_grants'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_grant_amendments_requested_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_grant_amendments_decided_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_amendments')),
    )
    with op.batch_alter_table('grant_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_amendments_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_amendments_state'), ['state'], unique=False)
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('reallocation_threshold_percent', sa.Integer(), server_default='10', nullable=False)
        )
        batch_op.create_check_constraint(
            batch_op.f('ck_calls_reallocation_range'),
            'reallocation_threshold_percent BETWEEN 0 AND 100',
        )


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_calls_reallocation_range'), type_='check')
        batch_op.drop_column('reallocation_threshold_percent')
    with op.batch_alter_table('grant_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_amendments_state'))
        batch_op.drop_index(batch_op.f('ix_grant_amendments_grant_id'))
    op.drop_table('grant_amendments')
