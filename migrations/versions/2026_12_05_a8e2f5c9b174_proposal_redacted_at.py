"""When the retention schedule removed an unfunded proposal's texts, answers and files

Revision ID: a8e2f5c9b174
Revises: f3c8a17d4e62
Create Date: 2026-12-05 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8e2f5c9b174'
down_revision = 'f3c8a17d4e62'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('redacted_at')
