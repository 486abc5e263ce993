"""Versioned privacy notice and reviewers' confidentiality undertaking, and who accepted which
version

Revision ID: d7a2c95e13f0
Revises: c41e7a9d2b83
Create Date: 2026-12-05 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7a2c95e13f0'
down_revision = 'c41e7a9d2b83'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('policy_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('privacy', 'reviewer_undertaking')", name=op.f('ck_policy_versions_kind_valid')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_policy_versions_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_versions')),
    sa.UniqueConstraint('kind', 'number', name=op.f('uq_policy_versions_kind'))
    )
    op.create_table('policy_acceptances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('privacy', 'reviewer_undertaking')", name=op.f('ck_policy_acceptances_kind_valid')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_policy_acceptances_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_policy_acceptances')),
    sa.UniqueConstraint('user_id', 'kind', 'number', name=op.f('uq_policy_acceptances_user_id'))
    )
    with op.batch_alter_table('policy_acceptances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_policy_acceptances_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('policy_acceptances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_policy_acceptances_user_id'))
    op.drop_table('policy_acceptances')
    op.drop_table('policy_versions')
