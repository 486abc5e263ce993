"""Bulk actions as they were run, for their result pages; the draft reminders sent before a
call closes, once each per member, kind and deadline

Revision ID: b7d41e9a5c28
Revises: 727b9a7d2ade
Create Date: 2026-12-05 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d41e9a5c28'
down_revision = "727b9a7d2ade"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulk_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('list_name', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_bulk_runs_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_bulk_runs_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_runs'))
    )
    with op.batch_alter_table('bulk_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulk_runs_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bulk_runs_call_id'), ['call_id'], unique=False)
    op.create_table('draft_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_draft_reminders_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_draft_reminders_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_reminders')),
    sa.UniqueConstraint('proposal_id', 'user_id', 'kind', 'closes_at', name=op.f('uq_draft_reminders_proposal_id'))
    )
    with op.batch_alter_table('draft_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_reminders_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('draft_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_reminders_user_id'))
    op.drop_table('draft_reminders')
    with op.batch_alter_table('bulk_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulk_runs_call_id'))
        batch_op.drop_index(batch_op.f('ix_bulk_runs_actor_id'))
    op.drop_table('bulk_runs')
