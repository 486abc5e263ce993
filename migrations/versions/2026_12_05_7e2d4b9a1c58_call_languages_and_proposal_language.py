"""A call's languages, main language and translations; the language of each proposal

Revision ID: 7e2d4b9a1c58
Revises: e58c1a4b9d27
Create Date: 2026-12-05 11:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e2d4b9a1c58'
down_revision = 'e58c1a4b9d27'
branch_labels = None
depends_on = None


def upgrade():
    # Existing calls were written in English, the only language the app let the secretariat use
    # for a call's texts: English is their main and only language, with no translations. Their
    # proposals are in English too.
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON(), server_default=sa.text("'[\"en\"]'"), nullable=False))
        batch_op.add_column(sa.Column('main_language', sa.String(length=2), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default=sa.text("'{}'"), nullable=False))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), server_default='en', nullable=False))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('main_language')
        batch_op.drop_column('languages')
