"""Message threads on proposals and grants, and the "information requested" proposal state

Revision ID: 727b9a7d2ade
Revises: 7b2e9d4c1a58
Create Date: 2026-12-05 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '727b9a7d2ade'
down_revision = "7b2e9d4c1a58"
branch_labels = None
depends_on = None

OLD_STATES = (
    'draft', 'submitted', 'in_review', 'reviewed', 'revision_requested', 'awarded', 'declined',
    'ineligible', 'withdrawn', 'concept_draft', 'concept_submitted', 'concept_declined', 'invited',
)
NEW_STATES = OLD_STATES[:5] + ('information_requested',) + OLD_STATES[5:]


def _state_check(states):
    return "state IN (" + ", ".join(f"'{s}'" for s in states) + ")"


def upgrade():
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('grant_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('from_secretariat', sa.Boolean(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column(
            'is_information_request', sa.Boolean(), server_default=sa.false(), nullable=False
        ),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('shared_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            '(proposal_id IS NULL) <> (grant_id IS NULL)', name=op.f('ck_messages_one_subject')
        ),
        sa.ForeignKeyConstraint(
            ['author_id'], ['users.id'], name=op.f('fk_messages_author_id_users'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['grant_id'], ['grants.id'], name=op.f('fk_messages_grant_id_grants'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['proposal_id'], ['proposals.id'], name=op.f('fk_messages_proposal_id_proposals'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['shared_by_id'], ['users.id'], name=op.f('fk_messages_shared_by_id_users'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    )
    op.create_index('ix_messages_proposal_created', 'messages', ['proposal_id', 'created_at'])
    op.create_index('ix_messages_grant_created', 'messages', ['grant_id', 'created_at'])
    op.create_table(
        'message_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['file_id'], ['stored_files.id'],
            name=op.f('fk_message_attachments_file_id_stored_files'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['message_id'], ['messages.id'],
            name=op.f('fk_message_attachments_message_id_messages'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_attachments')),
    )
    op.create_index(
        op.f('ix_message_attachments_message_id'), 'message_attachments', ['message_id']
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('information_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_proposals_state_valid'), type_='check')
        batch_op.alter_column(
            'state', existing_type=sa.String(length=18), type_=sa.String(length=21),
            existing_nullable=False,
        )
        batch_op.create_check_constraint('state_valid', _state_check(NEW_STATES))


def downgrade():
    # The old schema has no such state: a question still open goes back to screening.
    op.execute("UPDATE proposals SET state = 'submitted' WHERE state = 'information_requested'")
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_proposals_state_valid'), type_='check')
        batch_op.create_check_constraint('state_valid', _state_check(OLD_STATES))
        batch_op.alter_column(
            'state', existing_type=sa.String(length=21), type_=sa.String(length=18),
            existing_nullable=False,
        )
        batch_op.drop_column('information_due_at')
    op.drop_index(op.f('ix_message_attachments_message_id'), table_name='message_attachments')
    op.drop_table('message_attachments')
    op.drop_index('ix_messages_grant_created', table_name='messages')
    op.drop_index('ix_messages_proposal_created', table_name='messages')
    op.drop_table('messages')
