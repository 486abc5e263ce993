"""Indexes for the chair ranking and the screening list (DESIGN.md section 7)

reviews (proposal_id, round) finds a proposal's latest round; criterion_scores (review_id,
criterion_id, score) lets the ranking sum a review's weighted scores from the index alone;
proposals (call_id, submitted_at, id) gives the screening list its order without sorting the
whole call. No data changes.

Revision ID: 169fe5ead31d
Revises: 98897122efd8
Create Date: 2026-11-28 07:38:42.354518

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '169fe5ead31d'
down_revision = '98897122efd8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('criterion_scores', schema=None) as batch_op:
        batch_op.create_index('ix_criterion_scores_review_score', ['review_id', 'criterion_id', 'score'], unique=False)

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_call_submitted', ['call_id', 'submitted_at', 'id'], unique=False)

    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index('ix_reviews_proposal_round', ['proposal_id', 'round'], unique=False)


def downgrade():
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_reviews_proposal_round')

    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_call_submitted')

    with op.batch_alter_table('criterion_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_criterion_scores_review_score')
