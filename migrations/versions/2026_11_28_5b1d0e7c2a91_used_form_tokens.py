"""Used form tokens: a creating form sent twice (double click, resent request) acts once

Revision ID: 5b1d0e7c2a91
Revises: 169fe5ead31d
Create Date: 2026-11-28 07:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1d0e7c2a91'
down_revision = '169fe5ead31d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('used_form_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_used_form_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_used_form_tokens')),
    sa.UniqueConstraint('token', name=op.f('uq_used_form_tokens_token'))
    )


def downgrade():
    op.drop_table('used_form_tokens')
