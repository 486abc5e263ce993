"""The observer role: funders' representatives and the Working Group, read-only

Revision ID: 4f8a2c6e1d93
Revises: a8e2f5c9b174
Create Date: 2026-12-05 14:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4f8a2c6e1d93'
down_revision = 'a8e2f5c9b174'
branch_labels = None
depends_on = None

OLD_ROLES = ('applicant', 'reviewer', 'chair', 'admin', 'safeguarding_lead')
NEW_ROLES = OLD_ROLES + ('observer',)


def _role_check(roles):
    return "role IN (" + ", ".join(f"'{r}'" for r in roles) + ")"


def upgrade():
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_role_valid'), type_='check')
        batch_op.create_check_constraint('role_valid', _role_check(NEW_ROLES))


def downgrade():
    # The old schema knows no observers: their role rows go (the accounts stay).
    op.execute("DELETE FROM user_roles WHERE role = 'observer'")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_role_valid'), type_='check')
        batch_op.create_check_constraint('role_valid', _role_check(OLD_ROLES))
