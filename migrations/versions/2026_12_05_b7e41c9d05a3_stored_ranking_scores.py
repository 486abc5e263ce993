"""The ranking's statistics kept at write time: reviews.weighted_score, proposal_scores and
reviewer_scores, computed for the existing reviews

Revision ID: b7e41c9d05a3
Revises: b7d2e94c51a8
Create Date: 2026-12-05 17:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e41c9d05a3'
down_revision = "b7d2e94c51a8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weighted_score', sa.Float(), nullable=True))
    op.create_table(
        'proposal_scores',
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('mean', sa.Float(), nullable=True),
        sa.Column('median', sa.Float(), nullable=True),
        sa.Column('std_dev', sa.Float(), nullable=True),
        sa.Column('spread', sa.Float(), nullable=True),
        sa.Column('normalised', sa.Float(), nullable=True),
        sa.Column('fund', sa.Integer(), nullable=False),
        sa.Column('fund_with_changes', sa.Integer(), nullable=False),
        sa.Column('do_not_fund', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_proposal_scores_call_id_calls'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_scores_proposal_id_proposals'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('proposal_id', name=op.f('pk_proposal_scores')),
    )
    with op.batch_alter_table('proposal_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_scores_call_id'), ['call_id'], unique=False)
    op.create_table(
        'reviewer_scores',
        sa.Column('call_id', sa.Integer(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=False),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('mean', sa.Float(), nullable=False),
        sa.Column('std_dev', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_reviewer_scores_call_id_calls'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_reviewer_scores_reviewer_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('call_id', 'reviewer_id', name=op.f('pk_reviewer_scores')),
    )
    # The existing reviews' weighted scores and every call's statistics, with the app's own
    # code (as `flask fund recompute-scores` does) so they equal what the ranking computed.
    from fund.decisions.scores import recompute

    recompute(op.get_bind(), new_version=False)  # call_score_versions comes in 5d1e8a3c7b20


def downgrade():
    op.drop_table('reviewer_scores')
    with op.batch_alter_table('proposal_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_scores_call_id'))
    op.drop_table('proposal_scores')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_column('weighted_score')
