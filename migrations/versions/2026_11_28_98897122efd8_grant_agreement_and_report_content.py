"""Grant agreement acceptance (terms, name typed, who, when, IP address, browser), per-call
agreement terms, and the content of progress reports: narrative, activities, challenges, next
steps, reviewer feedback, people reached by sex and age band, spending per budget line, files

Existing calls get an empty agreement template (the built-in terms); existing reports get empty
texts, as if never opened.

Revision ID: 98897122efd8
Revises: 91ca0fb066d5
Create Date: 2026-11-28 07:02:36.574678

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '98897122efd8'
down_revision = '91ca0fb066d5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_report_attachments_file_id_stored_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_report_attachments_report_id_progress_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_attachments'))
    )
    with op.batch_alter_table('report_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_attachments_report_id'), ['report_id'], unique=False)

    op.create_table('report_reach',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=21), nullable=False),
    sa.Column('age_band', sa.String(length=7), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint("age_band IN ('0_4', '5_9', '10_14', '15_17', '18_plus')", name=op.f('ck_report_reach_age_band_valid')),
    sa.CheckConstraint("sex IN ('female', 'male', 'other_or_not_recorded')", name=op.f('ck_report_reach_sex_valid')),
    sa.CheckConstraint('count >= 0', name=op.f('ck_report_reach_count_not_negative')),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_report_reach_report_id_progress_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_reach')),
    sa.UniqueConstraint('report_id', 'sex', 'age_band', name=op.f('uq_report_reach_report_id'))
    )
    with op.batch_alter_table('report_reach', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_reach_report_id'), ['report_id'], unique=False)

    op.create_table('report_spending',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('budget_line_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('planned', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('spent', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.CheckConstraint('planned >= 0', name=op.f('ck_report_spending_planned_not_negative')),
    sa.CheckConstraint('spent IS NULL OR spent >= 0', name=op.f('ck_report_spending_spent_not_negative')),
    sa.ForeignKeyConstraint(['budget_line_id'], ['budget_lines.id'], name=op.f('fk_report_spending_budget_line_id_budget_lines'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['progress_reports.id'], name=op.f('fk_report_spending_report_id_progress_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_spending')),
    sa.UniqueConstraint('report_id', 'position', name=op.f('uq_report_spending_report_id'))
    )
    with op.batch_alter_table('report_spending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_spending_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_template', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agreement_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('accepted_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('accepted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_ip', sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column('accepted_user_agent', sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_grants_accepted_by_id_users'), 'users', ['accepted_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('narrative', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('activities_done', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('challenges', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_steps', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('feedback', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_progress_reports_updated_by_id_users'), 'users', ['updated_by_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_progress_reports_updated_by_id_users'), type_='foreignkey')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('feedback')
        batch_op.drop_column('next_steps')
        batch_op.drop_column('challenges')
        batch_op.drop_column('activities_done')
        batch_op.drop_column('narrative')

    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_grants_accepted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('accepted_user_agent')
        batch_op.drop_column('accepted_ip')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('accepted_by_id')
        batch_op.drop_column('accepted_name')
        batch_op.drop_column('agreement_text')

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('agreement_template')

    with op.batch_alter_table('report_spending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_spending_report_id'))

    op.drop_table('report_spending')
    with op.batch_alter_table('report_reach', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_reach_report_id'))

    op.drop_table('report_reach')
    with op.batch_alter_table('report_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_attachments_report_id'))

    op.drop_table('report_attachments')
