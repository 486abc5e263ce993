"""Reviewer profiles and the reviewer pools of calls

Revision ID: b7d2e94c51a8
Revises: 44447cd02082
Create Date: 2026-12-05 17:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d2e94c51a8'
down_revision = "44447cd02082"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reviewer_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('languages', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('strategies', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('countries', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('regions', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('max_per_call', sa.Integer(), nullable=True),
    sa.Column('unavailable', sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('max_per_call IS NULL OR max_per_call >= 0', name=op.f('ck_reviewer_profiles_max_per_call_valid')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reviewer_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reviewer_profiles'))
    )
    op.create_table('pool_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('invited', 'accepted', 'declined')", name=op.f('ck_pool_members_state_valid')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_pool_members_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_pool_members_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pool_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_members')),
    sa.UniqueConstraint('call_id', 'user_id', name=op.f('uq_pool_members_call_id'))
    )
    with op.batch_alter_table('pool_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_members_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pool_members_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('pool_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pool_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_pool_members_call_id'))
    op.drop_table('pool_members')
    op.drop_table('reviewer_profiles')
