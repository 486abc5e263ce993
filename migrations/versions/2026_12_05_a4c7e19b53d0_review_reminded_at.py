"""When the secretariat last pressed "Remind now" on a review assignment; indexes for the overview

Revision ID: a4c7e19b53d0
Revises: 4f8a2c6e1d93
Create Date: 2026-12-05 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4c7e19b53d0'
down_revision = '4f8a2c6e1d93'
branch_labels = None
depends_on = None

WAITING = "submitted_at IS NULL AND removed_at IS NULL AND conflict_declared_at IS NULL"


def upgrade():
    # Empty for existing assignments: nobody has reminded them by hand yet.
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True))
    # The overview counts the assignments still owed by due date, and proposals per call and
    # state, without reading the rows of either table.
    waiting = sa.text(WAITING)
    op.create_index(
        'ix_reviews_waiting_due',
        'reviews',
        ['due_on', 'reviewer_id', 'proposal_id'],
        sqlite_where=waiting,
        postgresql_where=waiting,
    )
    op.create_index(
        'ix_proposals_call_state', 'proposals', ['call_id', 'state', 'organisation_id']
    )


def downgrade():
    op.drop_index('ix_proposals_call_state', table_name='proposals')
    op.drop_index('ix_reviews_waiting_due', table_name='reviews')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
