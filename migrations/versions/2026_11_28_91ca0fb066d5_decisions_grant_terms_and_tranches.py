"""Decisions and chair approvals; per-call letters, disagreement threshold and reviewer
anonymity; grant terms (reference, amount, dates), tranches and report periods

Existing calls get the default threshold (15 points of standard deviation), names shown and the
built-in letters; existing grants get amount 0 in USD until they are edited.

Revision ID: 91ca0fb066d5
Revises: bf37e4b2ecfd
Create Date: 2026-11-28 06:56:02.296856

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '91ca0fb066d5'
down_revision = 'bf37e4b2ecfd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('letter_subject', sa.String(length=300), nullable=False),
    sa.Column('letter_text', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(outcome = 'award' AND amount > 0) OR (outcome <> 'award' AND amount IS NULL)", name=op.f('ck_decisions_award_has_amount')),
    sa.CheckConstraint("outcome IN ('award', 'decline', 'request_revision')", name=op.f('ck_decisions_outcome_valid')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_decisions_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('proposal_id', 'number', name=op.f('uq_decisions_proposal_id'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('decision_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('chair_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_decision_approvals_amount_positive')),
    sa.ForeignKeyConstraint(['chair_id'], ['users.id'], name=op.f('fk_decision_approvals_chair_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_approvals_decision_id_decisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_decision_approvals_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_approvals'))
    )
    with op.batch_alter_table('decision_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_approvals_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_approvals_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index('uq_decision_approvals_pending', ['proposal_id', 'chair_id'], unique=True, sqlite_where=sa.text('decision_id IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('decision_id IS NULL AND cancelled_at IS NULL'))

    op.create_table('tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('condition', sa.String(length=40), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('payment_reference', sa.String(length=100), nullable=True),
    sa.Column('paid_amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_tranches_amount_not_negative')),
    sa.CheckConstraint('paid_amount IS NULL OR paid_amount >= 0', name=op.f('ck_tranches_paid_not_negative')),
    sa.CheckConstraint('percent BETWEEN 1 AND 100', name=op.f('ck_tranches_percent_range')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_tranches_grant_id_grants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_tranches_report_id_progress_reports'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tranches')),
    sa.UniqueConstraint('grant_id', 'position', name=op.f('uq_tranches_grant_id'))
    )
    with op.batch_alter_table('tranches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tranches_grant_id'), ['grant_id'], unique=False)

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disagreement_threshold', sa.Numeric(precision=5, scale=2), server_default='15', nullable=False))
        batch_op.add_column(sa.Column('hide_reviewer_names', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('letter_templates', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_calls_threshold_range'), 'disagreement_threshold BETWEEN 0 AND 100')

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('amount', sa.Numeric(precision=14, scale=2), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False))
        batch_op.add_column(sa.Column('start_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('decision_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_grants_reference'), ['reference'])
        batch_op.create_foreign_key(batch_op.f('fk_grants_decision_id_decisions'), 'decisions', ['decision_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_end', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('period_end')
        batch_op.drop_column('period_start')

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grants_decision_id_decisions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_grants_reference'), type_='unique')
        batch_op.drop_column('decision_id')
        batch_op.drop_column('end_on')
        batch_op.drop_column('start_on')
        batch_op.drop_column('currency')
        batch_op.drop_column('amount')
        batch_op.drop_column('reference')

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_calls_threshold_range'), type_='check')
        batch_op.drop_column('letter_templates')
        batch_op.drop_column('hide_reviewer_names')
        batch_op.drop_column('disagreement_threshold')

    with op.batch_alter_table('tranches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tranches_grant_id'))

    op.drop_table('tranches')
    with op.batch_alter_table('decision_approvals', schema=None) as batch_op:
        batch_op.drop_index('uq_decision_approvals_pending', sqlite_where=sa.text('decision_id IS NULL AND cancelled_at IS NULL'), postgresql_where=sa.text('decision_id IS NULL AND cancelled_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_decision_approvals_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_decision_approvals_decision_id'))

    op.drop_table('decision_approvals')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_proposal_id'))

    op.drop_table('decisions')
