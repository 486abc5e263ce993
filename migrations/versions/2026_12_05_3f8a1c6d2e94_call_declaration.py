"""The declaration an applicant ticks before submitting, set per call

Revision ID: 3f8a1c6d2e94
Revises: a4c7e19b53d0
Create Date: 2026-12-05 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f8a1c6d2e94'
down_revision = 'a4c7e19b53d0'
branch_labels = None
depends_on = None


def upgrade():
    # Existing calls get an empty text: applicants then read the built-in declaration.
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declaration', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('declaration')
