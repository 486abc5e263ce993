"""The confidential safeguarding channel: the safeguarding lead role, concerns and the leads'
notes on them

Revision ID: e9b4d6a1f372
Revises: d7a2c95e13f0
Create Date: 2026-12-05 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e9b4d6a1f372'
down_revision = 'd7a2c95e13f0'
branch_labels = None
depends_on = None

OLD_ROLES = ('applicant', 'reviewer', 'chair', 'admin')
NEW_ROLES = OLD_ROLES + ('safeguarding_lead',)


def _role_check(roles):
    return "role IN (" + ", ".join(f"'{role}'" for role in roles) + ")"


def upgrade():
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_role_valid'), type_='check')
        batch_op.alter_column('role', existing_type=sa.String(length=9), type_=sa.String(length=17), existing_nullable=False)
        batch_op.create_check_constraint('role_valid', _role_check(NEW_ROLES))
    op.create_table('safeguarding_concerns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('grant_id', sa.Integer(), nullable=True),
    sa.Column('about', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=6), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('open', 'closed')", name=op.f('ck_safeguarding_concerns_state_valid')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_safeguarding_concerns_grant_id_grants'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_safeguarding_concerns_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_concerns'))
    )
    with op.batch_alter_table('safeguarding_concerns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_concerns_state'), ['state'], unique=False)
    op.create_table('safeguarding_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concern_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_safeguarding_actions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['concern_id'], ['safeguarding_concerns.id'], name=op.f('fk_safeguarding_actions_concern_id_safeguarding_concerns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_actions'))
    )
    with op.batch_alter_table('safeguarding_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguarding_actions_concern_id'), ['concern_id'], unique=False)


def downgrade():
    with op.batch_alter_table('safeguarding_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_actions_concern_id'))
    op.drop_table('safeguarding_actions')
    with op.batch_alter_table('safeguarding_concerns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguarding_concerns_state'))
    op.drop_table('safeguarding_concerns')
    op.execute("DELETE FROM user_roles WHERE role = 'safeguarding_lead'")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_role_valid'), type_='check')
        batch_op.alter_column('role', existing_type=sa.String(length=17), type_=sa.String(length=9), existing_nullable=False)
        batch_op.create_check_constraint('role_valid', _role_check(OLD_ROLES))
