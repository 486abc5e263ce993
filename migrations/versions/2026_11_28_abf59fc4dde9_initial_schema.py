"""Initial schema: accounts and roles, one-time links, organisations and members, World Bank
income groups, uploads, calls and their rubrics, proposals with budget lines, versions and
attachments, the state columns of grants and reports, the audit trail and the mail outbox.

Revision ID: abf59fc4dde9
Revises: 
Create Date: 2026-11-28 06:45:06.114588

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'abf59fc4dde9'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('budget_envelope', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('min_award', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('max_award', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('max_duration_months', sa.Integer(), nullable=False),
    sa.Column('eligible_income_groups', sa.JSON(), nullable=False),
    sa.Column('unclassified_eligible', sa.Boolean(), nullable=False),
    sa.Column('eligible_org_types', sa.JSON(), nullable=False),
    sa.Column('strategies', sa.JSON(), nullable=False),
    sa.Column('fiscal_year', sa.String(length=6), nullable=False),
    sa.Column('reviewers_per_proposal', sa.Integer(), nullable=False),
    sa.Column('chair_approvals_needed', sa.Integer(), nullable=False),
    sa.Column('tranche_template', sa.JSON(), nullable=False),
    sa.Column('reporting_template', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('budget_envelope >= max_award', name=op.f('ck_calls_envelope_covers_max')),
    sa.CheckConstraint('chair_approvals_needed BETWEEN 1 AND 5', name=op.f('ck_calls_approvals_range')),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_calls_closes_after_opening')),
    sa.CheckConstraint('max_duration_months BETWEEN 1 AND 60', name=op.f('ck_calls_duration_range')),
    sa.CheckConstraint('min_award > 0 AND max_award >= min_award', name=op.f('ck_calls_award_range')),
    sa.CheckConstraint('reviewers_per_proposal BETWEEN 1 AND 10', name=op.f('ck_calls_reviewers_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls'))
    )
    op.create_table('form_stashes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_form_stashes')),
    sa.UniqueConstraint('key', name=op.f('uq_form_stashes_key'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('org_type', sa.String(length=15), nullable=False),
    sa.Column('registration_scheme', sa.String(length=40), nullable=True),
    sa.Column('registration_number', sa.String(length=80), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('budget_band', sa.String(length=9), nullable=False),
    sa.Column('safeguarding_policy_file_id', sa.Integer(), nullable=True),
    sa.Column('safeguarding_review_date', sa.Date(), nullable=True),
    sa.Column('safeguarding_focal_point', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("budget_band IN ('under_50k', '50k_250k', '250k_1m', 'over_1m')", name=op.f('ck_organisations_budget_band_valid')),
    sa.CheckConstraint("org_type IN ('ngo', 'community_based', 'faith_based', 'academic', 'government', 'other')", name=op.f('ck_organisations_org_type_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_country_code'), ['country_code'], unique=False)

    op.create_table('outgoing_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=7), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name=op.f('ck_outgoing_messages_status_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_messages')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outgoing_messages_dedupe_key'))
    )
    with op.batch_alter_table('outgoing_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_messages_status'), ['status'], unique=False)

    op.create_table('reference_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_reference_counters'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=40), nullable=True),
    sa.Column('to_state', sa.String(length=40), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_events_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight BETWEEN 1 AND 100', name=op.f('ck_criteria_weight_range')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_criteria_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_call_id'), ['call_id'], unique=False)

    op.create_table('income_group_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.String(length=6), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('loaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['loaded_by_id'], ['users.id'], name=op.f('fk_income_group_lists_loaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_group_lists'))
    )
    with op.batch_alter_table('income_group_lists', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_income_group_lists_fiscal_year'), ['fiscal_year'], unique=False)

    op.create_table('income_group_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.String(length=6), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('income_group', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("income_group IN ('LIC', 'LMC', 'UMC', 'HIC', 'unclassified')", name=op.f('ck_income_group_overrides_income_group_valid')),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], name=op.f('fk_income_group_overrides_set_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_group_overrides')),
    sa.UniqueConstraint('fiscal_year', 'country_code', name=op.f('uq_income_group_overrides_fiscal_year'))
    )
    op.create_table('link_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=14), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("purpose IN ('verify_email', 'reset_password', 'invitation')", name=op.f('ck_link_tokens_purpose_valid')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_link_tokens_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_link_tokens_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_link_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_link_tokens_token_hash'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('organisation_id', 'user_id', name=op.f('uq_memberships_organisation_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('storage_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_stored_files_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_stored_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_stored_files_storage_name'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_files_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=9), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('applicant', 'reviewer', 'chair', 'admin')", name=op.f('ck_user_roles_role_valid')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_user_roles_user_id'))
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_roles_user_id'), ['user_id'], unique=False)

    op.create_table('income_group_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('income_group', sa.String(length=12), nullable=False),
    sa.CheckConstraint("income_group IN ('LIC', 'LMC', 'UMC', 'HIC', 'unclassified')", name=op.f('ck_income_group_entries_income_group_valid')),
    sa.ForeignKeyConstraint(['list_id'], ['income_group_lists.id'], name=op.f('fk_income_group_entries_list_id_income_group_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_income_group_entries')),
    sa.UniqueConstraint('list_id', 'country_code', name=op.f('uq_income_group_entries_list_id'))
    )
    with op.batch_alter_table('income_group_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_income_group_entries_list_id'), ['list_id'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=18), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('strategies', sa.JSON(), nullable=False),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('target_groups', sa.Text(), nullable=False),
    sa.Column('activities', sa.Text(), nullable=False),
    sa.Column('timeline', sa.Text(), nullable=False),
    sa.Column('expected_results', sa.Text(), nullable=False),
    sa.Column('measurement', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('amount_requested', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('safeguarding_file_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('income_group', sa.String(length=12), nullable=True),
    sa.Column('income_list_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('draft', 'submitted', 'in_review', 'reviewed', 'revision_requested', 'awarded', 'declined', 'ineligible', 'withdrawn')", name=op.f('ck_proposals_state_valid')),
    sa.CheckConstraint('amount_requested >= 0', name=op.f('ck_proposals_amount_not_negative')),
    sa.CheckConstraint('duration_months IS NULL OR duration_months BETWEEN 1 AND 60', name=op.f('ck_proposals_duration_range')),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_proposals_call_id_calls')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['income_list_id'], ['income_group_lists.id'], name=op.f('fk_proposals_income_list_id_income_group_lists'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_proposals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['safeguarding_file_id'], ['stored_files.id'], name=op.f('fk_proposals_safeguarding_file_id_stored_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_proposals_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('reference', name=op.f('uq_proposals_reference'))
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_state'), ['state'], unique=False)

    op.create_table('budget_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=14), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.CheckConstraint("category IN ('personnel', 'activities', 'materials', 'travel', 'equipment', 'monitoring', 'administration', 'other')", name=op.f('ck_budget_lines_category_valid')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_budget_lines_amount_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_budget_lines_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_lines'))
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=17), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('pending_agreement', 'active', 'suspended', 'closed', 'cancelled')", name=op.f('ck_grants_state_valid')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_grants_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_grants_proposal_id_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_grants_proposal_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_state'), ['state'], unique=False)

    op.create_table('proposal_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_proposal_attachments_file_id_stored_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_attachments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_attachments'))
    )
    with op.batch_alter_table('proposal_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_attachments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_proposal_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_versions_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_versions')),
    sa.UniqueConstraint('proposal_id', 'number', name=op.f('uq_proposal_versions_proposal_id'))
    )
    with op.batch_alter_table('proposal_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_versions_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('progress_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=7), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=17), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('interim', 'final')", name=op.f('ck_progress_reports_kind_valid')),
    sa.CheckConstraint("state IN ('upcoming', 'submitted', 'changes_requested', 'accepted')", name=op.f('ck_progress_reports_state_valid')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_progress_reports_grant_id_grants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_reports'))
    )
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_reports_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_reports_state'), ['state'], unique=False)

    # Organisations and stored files refer to each other: this key comes once both exist.
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_organisations_safeguarding_policy_file_id_stored_files'),
            'stored_files', ['safeguarding_policy_file_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_organisations_safeguarding_policy_file_id_stored_files'),
            type_='foreignkey')

    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_reports_state'))
        batch_op.drop_index(batch_op.f('ix_progress_reports_grant_id'))

    op.drop_table('progress_reports')
    with op.batch_alter_table('proposal_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_versions_proposal_id'))

    op.drop_table('proposal_versions')
    with op.batch_alter_table('proposal_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_attachments_proposal_id'))

    op.drop_table('proposal_attachments')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_state'))
        batch_op.drop_index(batch_op.f('ix_grants_organisation_id'))

    op.drop_table('grants')
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_proposal_id'))

    op.drop_table('budget_lines')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_state'))
        batch_op.drop_index(batch_op.f('ix_proposals_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_call_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('income_group_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_income_group_entries_list_id'))

    op.drop_table('income_group_entries')
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_roles_user_id'))

    op.drop_table('user_roles')
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_organisation_id'))

    op.drop_table('stored_files')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_organisation_id'))

    op.drop_table('memberships')
    op.drop_table('link_tokens')
    op.drop_table('income_group_overrides')
    with op.batch_alter_table('income_group_lists', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_income_group_lists_fiscal_year'))

    op.drop_table('income_group_lists')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_call_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_subject')
        batch_op.drop_index(batch_op.f('ix_audit_events_created_at'))

    op.drop_table('audit_events')
    op.drop_table('users')
    op.drop_table('reference_counters')
    with op.batch_alter_table('outgoing_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_messages_status'))

    op.drop_table('outgoing_messages')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_country_code'))

    op.drop_table('organisations')
    op.drop_table('form_stashes')
    op.drop_table('calls')
