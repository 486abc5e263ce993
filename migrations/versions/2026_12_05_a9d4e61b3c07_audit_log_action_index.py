"""An index on audit_events.action, for the audit log's action filter and its list of actions

Revision ID: a9d4e61b3c07
Revises: 7e3a52c8d1f4
Create Date: 2026-12-05 11:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a9d4e61b3c07'
down_revision = '7e3a52c8d1f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_action', ['action'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_action')
