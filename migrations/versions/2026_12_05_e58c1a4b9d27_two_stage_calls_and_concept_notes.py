"""Two-stage calls: a concept deadline on the call, the concept note on the proposal, and the
proposal states of the concept stage

Revision ID: e58c1a4b9d27
Revises: e5b8c1d94a27
Create Date: 2026-12-05 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e58c1a4b9d27'
down_revision = 'e5b8c1d94a27'
branch_labels = None
depends_on = None

OLD_STATES = (
    'draft', 'submitted', 'in_review', 'reviewed', 'revision_requested', 'awarded', 'declined',
    'ineligible', 'withdrawn',
)
NEW_STATES = OLD_STATES + ('concept_draft', 'concept_submitted', 'concept_declined', 'invited')


def _state_check(states):
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"


def upgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('two_stage', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column('concept_closes_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            'concept_deadline_order',
            'NOT two_stage OR (concept_closes_at > opens_at AND concept_closes_at < closes_at)',
        )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('concept_answers', sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
        batch_op.add_column(sa.Column('concept_note', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('concept_submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_proposals_state_valid'), type_='check')
        batch_op.create_check_constraint('state_valid', _state_check(NEW_STATES))


def downgrade():
    # The old schema has no concept stage: its proposals are kept, as withdrawn (deleting them
    # would lose what the organisations wrote).
    op.execute(
        "UPDATE proposals SET state = 'withdrawn' WHERE state IN "
        "('concept_draft', 'concept_submitted', 'concept_declined', 'invited')"
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_state_valid'), type_='check')
        batch_op.create_check_constraint('state_valid', _state_check(OLD_STATES))
        batch_op.drop_column('concept_submitted_at')
        batch_op.drop_column('concept_note')
        batch_op.drop_column('concept_answers')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_calls_concept_deadline_order'), type_='check')
        batch_op.drop_column('concept_closes_at')
        batch_op.drop_column('two_stage')
