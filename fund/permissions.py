"""Who may do what: `can_*` predicates shared by views, the workflow and templates.

Every check of a role or of object ownership goes through this module, so a rule is written
once. Predicates accept an anonymous user and answer False for it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fund.extensions import db
from fund.models import (
    CONCEPT_STAGE_STATES,
    Conflict,
    Membership,
    PoolMember,
    Proposal,
    ProposalState,
    Review,
    Role,
)

# The states in which members edit the full proposal (an invited one is a draft of it). While
# the secretariat asks for more information the whole form is editable as a draft is, with the
# same validation: the question may concern any answer, and the answer is a new version.
EDITABLE_STATES = frozenset(
    {
        ProposalState.DRAFT,
        ProposalState.REVISION_REQUESTED,
        ProposalState.INVITED,
        ProposalState.INFORMATION_REQUESTED,
    }
)


def is_signed_in(user: Any) -> bool:
    """True for a logged-in, active user."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def has_role(user: Any, role: Role) -> bool:
    """True if the signed-in `user` holds `role`."""
    return is_signed_in(user) and role in user.roles


def member_organisation_ids(user: Any) -> set[int]:
    """The organisations `user` belongs to (empty for anonymous users)."""
    if not is_signed_in(user):
        return set()
    cache = getattr(user, "_organisation_ids", None)
    if cache is None:
        cache = set(
            db.session.scalars(
                select(Membership.organisation_id).where(Membership.user_id == user.id)
            )
        )
        user._organisation_ids = cache  # one query per request, however often asked
    return cache


def forget_memberships(user: Any) -> None:
    """Drop the cached memberships after joining or creating an organisation."""
    if hasattr(user, "_organisation_ids"):
        del user._organisation_ids


def is_member(user: Any, organisation_id: int | None) -> bool:
    """True if `user` belongs to the organisation."""
    return organisation_id is not None and organisation_id in member_organisation_ids(user)


def can_view_organisation(user: Any, organisation: Any) -> bool:
    return has_role(user, Role.ADMIN) or is_member(user, organisation.id)


def can_edit_organisation(user: Any, organisation: Any) -> bool:
    return is_member(user, organisation.id)


def can_invite_members(user: Any, organisation: Any) -> bool:
    return is_member(user, organisation.id) and user.email_verified


def can_create_organisation(user: Any) -> bool:
    return has_role(user, Role.APPLICANT)


def can_remove_passkey(user: Any, passkey: Any) -> bool:
    """Only its owner removes a passkey (an admin resets all of a user's second factors)."""
    return is_signed_in(user) and passkey.user_id == user.id


def can_manage_users(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_read_audit_log(user: Any) -> bool:
    """The audit log is the secretariat's; no one edits or deletes it (fund/models/audit.py)."""
    return has_role(user, Role.ADMIN)


def can_view_portfolio(user: Any) -> bool:
    """The portfolio's aggregates: the secretariat, the chairs and the observers."""
    return any(has_role(user, role) for role in (Role.ADMIN, Role.CHAIR, Role.OBSERVER))


def can_manage_income_groups(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_download_file(user: Any, stored_file: Any) -> bool:
    """Admins, and members of the organisation the file belongs to."""
    return has_role(user, Role.ADMIN) or is_member(user, stored_file.organisation_id)


def was_submitted(proposal: Any) -> bool:
    """False for a draft never sent (or withdrawn before it was): the organisation's alone."""
    if proposal.state in (ProposalState.DRAFT, ProposalState.CONCEPT_DRAFT):
        return False
    return not (proposal.state == ProposalState.WITHDRAWN and proposal.submitted_at is None)


def can_view_proposal(user: Any, proposal: Any) -> bool:
    """The applicant organisation; once submitted, also the secretariat, chairs without a
    conflict, and reviewers assigned to it who answered "No conflict" (and have not declared one
    since). Nobody else needs a draft, so to everyone else it does not exist."""
    if is_member(user, proposal.organisation_id):
        return True
    if not was_submitted(proposal):
        return False
    if has_role(user, Role.ADMIN):
        return True
    if is_conflicted(user, proposal):
        return False
    return has_role(user, Role.CHAIR) or proposal.id in reviewable_proposal_ids(user)


def can_edit_proposal(user: Any, proposal: Any) -> bool:
    """Members of the applicant organisation, while the proposal is a draft or under revision."""
    return is_member(user, proposal.organisation_id) and proposal.state in EDITABLE_STATES


def can_edit_concept(user: Any, proposal: Any) -> bool:
    """Members of the applicant organisation, while its concept note is a draft."""
    return (
        is_member(user, proposal.organisation_id) and proposal.state == ProposalState.CONCEPT_DRAFT
    )


def can_screen_concepts(user: Any) -> bool:
    """The secretariat and the chairs read and shortlist a two-stage call's concept notes."""
    return has_role(user, Role.ADMIN) or has_role(user, Role.CHAIR)


def can_view_concept(user: Any, proposal: Any) -> bool:
    """The applicant organisation; once submitted, the secretariat and the chairs without a
    conflict with the organisation."""
    if is_member(user, proposal.organisation_id):
        return True
    if proposal.concept_note is None or not can_screen_concepts(user):
        return False
    return has_role(user, Role.ADMIN) or not is_conflicted(user, proposal)


def shows_full_proposal(user: Any, proposal: Any) -> bool:
    """Whether `user` may read the full proposal's content: an invited organisation's full
    draft is its own until it is submitted, like any draft; others see the concept note."""
    return proposal.state not in CONCEPT_STAGE_STATES or is_member(user, proposal.organisation_id)


def can_start_proposal(user: Any) -> bool:
    return has_role(user, Role.APPLICANT) and bool(member_organisation_ids(user))


def can_manage_calls(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_call(user: Any, call: Any) -> bool:
    """Published calls are public; the secretariat also sees those not yet published."""
    return call.published_at is not None or can_manage_calls(user)


def can_view_grant(user: Any, grant: Any) -> bool:
    """The grantee, the secretariat, and chairs (who review its reports) without a conflict."""
    return (
        has_role(user, Role.ADMIN)
        or is_member(user, grant.organisation_id)
        or (
            has_role(user, Role.CHAIR)
            and grant.organisation_id not in conflicted_organisation_ids(user)
        )
    )


def acts_as(user: Any, role: Role, subject: Any) -> bool:
    """Whether `user` may act on `subject` in `role`; the workflow asks this before a transition.

    An applicant acts only for its own organisation's proposals, grants and reports; admins act
    on any subject their role covers, chairs on any proposal they have no conflict with.
    """
    if not has_role(user, role):
        return False
    if role is Role.APPLICANT:
        return is_member(user, subject_organisation_id(subject))
    if role is Role.CHAIR and isinstance(subject, Proposal):
        return not is_conflicted(user, subject)
    if role is Role.REVIEWER and isinstance(subject, PoolMember):
        return subject.user_id == user.id  # only the invited reviewer answers its invitation
    return True


def subject_organisation_id(subject: Any) -> int | None:
    """The organisation that owns a proposal, grant or report."""
    return getattr(subject, "organisation_id", None)


# --- conflicts of interest and reviews ---------------------------------------------------------


def conflicted_organisation_ids(user: Any) -> set[int]:
    """Organisations `user` has a declared conflict with (cached for the request).

    A conflict declared on one proposal covers every proposal of its organisation: a reviewer
    or chair who cannot judge one of them fairly sees none of them, nor anything derived.
    """
    if not is_signed_in(user):
        return set()
    cache = getattr(user, "_conflicted_organisation_ids", None)
    if cache is None:
        cache = set(
            db.session.scalars(select(Conflict.organisation_id).where(Conflict.user_id == user.id))
        )
        user._conflicted_organisation_ids = cache
    return cache


def reviewable_proposal_ids(user: Any) -> set[int]:
    """Proposals `user` is assigned to review and answered "No conflict" for (cached)."""
    if not has_role(user, Role.REVIEWER):
        return set()
    cache = getattr(user, "_reviewable_proposal_ids", None)
    if cache is None:
        cache = set(
            db.session.scalars(
                select(Review.proposal_id).where(
                    Review.reviewer_id == user.id,
                    Review.removed_at.is_(None),
                    Review.conflict_declared_at.is_(None),
                    Review.no_conflict_at.is_not(None),
                )
            )
        )
        user._reviewable_proposal_ids = cache
    return cache


def forget_review_rights(user: Any) -> None:
    """Drop the cached conflicts and assignments after one of them changed."""
    for name in ("_conflicted_organisation_ids", "_reviewable_proposal_ids"):
        if hasattr(user, name):
            delattr(user, name)


def organisations_hidden_from(user: Any) -> set[int]:
    """Organisations whose proposals, grants and reports lists must leave out for `user`:
    those it has a conflict with, unless it is the secretariat (which sees everything)."""
    return set() if has_role(user, Role.ADMIN) else conflicted_organisation_ids(user)


def is_conflicted(user: Any, proposal: Any) -> bool:
    """True if `user` declared, or was recorded with, a conflict with the organisation."""
    return proposal.organisation_id in conflicted_organisation_ids(user)


def can_decide(user: Any, proposal: Any) -> bool:
    """Chairs without a conflict decide on proposals (the decision pages use this)."""
    return has_role(user, Role.CHAIR) and not is_conflicted(user, proposal)


def can_declare_chair_conflict(user: Any, proposal: Any) -> bool:
    return has_role(user, Role.CHAIR) and proposal.state not in (
        ProposalState.DRAFT,
        ProposalState.CONCEPT_DRAFT,
    )


def can_screen(user: Any) -> bool:
    """The secretariat screens proposals for eligibility."""
    return has_role(user, Role.ADMIN)


def can_see_overview(user: Any) -> bool:
    """The secretariat's overview of calls, reviews, grants and money, and the lists behind it."""
    return has_role(user, Role.ADMIN)


def can_remind_reviewers(user: Any) -> bool:
    """The secretariat chases late reviews; the chairs do not manage reviewers' workload."""
    return has_role(user, Role.ADMIN)


def can_assign_reviewers(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_record_conflict(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_edit_reviewer_profile(user: Any) -> bool:
    """A reviewer keeps its own profile (languages, expertise, capacity, absences)."""
    return has_role(user, Role.REVIEWER)


def can_view_reviewer_profiles(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_reviewer_pool(user: Any) -> bool:
    """The secretariat invites reviewers to a call's pool and matches them to proposals."""
    return has_role(user, Role.ADMIN)


def can_open_review(user: Any, review: Any) -> bool:
    """The reviewer's own assignment, unless removed or conflicted (then it is gone for them)."""
    return (
        has_role(user, Role.REVIEWER)
        and review.reviewer_id == user.id
        and review.removed_at is None
        and review.conflict_declared_at is None
        and not is_conflicted(user, review.proposal)
    )


def can_edit_review(user: Any, review: Any) -> bool:
    """Its reviewer, after answering "No conflict", until it is submitted."""
    return (
        can_open_review(user, review)
        and review.no_conflict_at is not None
        and review.submitted_at is None
        and review.proposal.state == ProposalState.IN_REVIEW
    )


def can_view_review_summary(user: Any, proposal: Any) -> bool:
    """The assignments and scores of a proposal (an aggregate): secretariat, unconflicted chairs."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.CHAIR) and not is_conflicted(user, proposal)


def can_see_reviewer_names(user: Any, call: Any) -> bool:
    """Whose review is whose, on the pages that list a proposal's reviews: the secretariat
    always, chairs unless the call hides reviewers' names from them; nobody else."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.CHAIR) and not call.hide_reviewer_names


# --- the chairs' decisions ---------------------------------------------------------------------


def can_view_ranking(user: Any) -> bool:
    """Chairs rank and decide; the secretariat may look. Proposals a chair is conflicted with
    are left out of what it sees (fund/decisions/ranking.py)."""
    return has_role(user, Role.CHAIR) or has_role(user, Role.ADMIN)


def can_decline_in_bulk(user: Any) -> bool:
    """Chairs decline from the ranking in bulk; each proposal is still checked on its own (a
    conflicted chair is refused that row)."""
    return has_role(user, Role.CHAIR)


def can_view_bulk_run(user: Any, run: Any) -> bool:
    """The result of a bulk action: the person who ran it, and the secretariat."""
    return is_signed_in(user) and (run.actor_id == user.id or has_role(user, Role.ADMIN))


def can_send_broadcasts(user: Any) -> bool:
    """The secretariat writes to whole audiences (applicants, reviewers, grantees) at once."""
    return has_role(user, Role.ADMIN)


def can_read_decision_letter(user: Any, proposal: Any) -> bool:
    """The organisation the letter went to, the secretariat and unconflicted chairs."""
    return is_member(user, proposal.organisation_id) or can_view_review_summary(user, proposal)


# --- grants, payments and progress reports -----------------------------------------------------


def can_manage_grants(user: Any) -> bool:
    """The secretariat: the grants list, payments, suspensions, agreement terms."""
    return has_role(user, Role.ADMIN)


def can_record_payment(user: Any, grant: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_request_amendment(user: Any, grant: Any) -> bool:
    """The grantee's members and the secretariat ask for an extension, a budget reallocation or
    a new tranche schedule (whether the grant can still change is the service's to say)."""
    return has_role(user, Role.ADMIN) or (
        has_role(user, Role.APPLICANT) and is_member(user, grant.organisation_id)
    )


def can_decide_amendments(user: Any) -> bool:
    """The secretariat approves or declines amendments and lists those waiting."""
    return has_role(user, Role.ADMIN)


def can_view_amendment(user: Any, amendment: Any) -> bool:
    """Whoever sees the grant sees its amendments."""
    return can_view_grant(user, amendment.grant)


def payment_approver_roles() -> set[Role]:
    """The roles PAYMENT_APPROVER_ROLES names ("admin" by default; "admin,chair" lets a fund
    with one admin have payments approved by a chair). Unknown names are ignored."""
    from flask import current_app

    names = str(current_app.config.get("PAYMENT_APPROVER_ROLES", "admin")).split(",")
    return {role for role in Role if role.value in {name.strip() for name in names}}


def can_approve_payments(user: Any) -> bool:
    """Whether `user` may approve or reject payments (never one it recorded: the workflow)."""
    return any(has_role(user, role) for role in payment_approver_roles())


def can_see_payments(user: Any) -> bool:
    """The payments page: those who record payments and those who approve them."""
    return has_role(user, Role.ADMIN) or can_approve_payments(user)


def can_export_payments(user: Any) -> bool:
    """The bank file of approved payments is the secretariat's."""
    return has_role(user, Role.ADMIN)


def can_edit_bank_details(user: Any, organisation: Any) -> bool:
    """Only the organisation's members enter or change its bank details."""
    return is_member(user, organisation.id)


def can_view_bank_details(user: Any, organisation: Any) -> bool:
    """Members, and the secretariat who approves them and pays (shown masked to both)."""
    return is_member(user, organisation.id) or has_role(user, Role.ADMIN)


def can_approve_bank_details(user: Any) -> bool:
    """The secretariat checks new or changed bank details before money goes to them."""
    return has_role(user, Role.ADMIN)


def can_review_reports(user: Any) -> bool:
    """The secretariat and the chairs read, accept and send back progress reports."""
    return has_role(user, Role.ADMIN) or has_role(user, Role.CHAIR)


def can_view_report(user: Any, report: Any) -> bool:
    """The grantee organisation, and those who review reports (a conflicted chair does not)."""
    if is_member(user, report.grant.organisation_id) or has_role(user, Role.ADMIN):
        return True
    return can_review_reports(user) and report.grant.organisation_id not in (
        conflicted_organisation_ids(user)
    )


def can_edit_report(user: Any, report: Any) -> bool:
    """Members of the grantee organisation, while the report is not yet submitted (or sent back)
    and the grant is running."""
    from fund.models import GrantState, ReportState

    return (
        is_member(user, report.grant.organisation_id)
        and report.state in (ReportState.UPCOMING, ReportState.CHANGES_REQUESTED)
        and report.grant.state in (GrantState.ACTIVE, GrantState.SUSPENDED)
    )


# --- safeguarding concerns --------------------------------------------------------------------


def can_report_concern(user: Any) -> bool:
    """Anyone signed in may report a safeguarding concern."""
    return is_signed_in(user)


def can_handle_concerns(user: Any) -> bool:
    """Only safeguarding leads read concerns: not admins, chairs or the organisation concerned."""
    return has_role(user, Role.SAFEGUARDING_LEAD)


def can_view_own_concern(user: Any, concern: Any) -> bool:
    """The reporter sees that their concern was received (not what the leads did with it)."""
    return is_signed_in(user) and concern.reporter_id == user.id


# --- message threads --------------------------------------------------------------------------


def can_read_thread(user: Any, subject: Any) -> bool:
    """The thread of a proposal (once submitted) or of a grant: the organisation's members, the
    secretariat and the chairs without a conflict. Reviewers read only what is shared with
    them (can_read_message)."""
    if isinstance(subject, Proposal) and not was_submitted(subject):
        return False
    if has_role(user, Role.ADMIN) or is_member(user, subject.organisation_id):
        return True
    return has_role(user, Role.CHAIR) and subject.organisation_id not in (
        conflicted_organisation_ids(user)
    )


def can_write_message(user: Any, subject: Any) -> bool:
    """The two sides of a thread write in it: the organisation's members and the secretariat
    (chairs read it only)."""
    if isinstance(subject, Proposal) and not was_submitted(subject):
        return False
    return has_role(user, Role.ADMIN) or is_member(user, subject.organisation_id)


def can_read_message(user: Any, message: Any) -> bool:
    """Whoever reads its thread, and a proposal's reviewers once the secretariat shared it."""
    if can_read_thread(user, message.subject):
        return True
    return (
        message.shared_at is not None
        and message.proposal_id is not None
        and message.proposal_id in reviewable_proposal_ids(user)
        and not is_conflicted(user, message.proposal)
    )


def can_share_message(user: Any, message: Any) -> bool:
    """The secretariat shares a proposal's message with the proposal's reviewers."""
    return has_role(user, Role.ADMIN) and message.proposal_id is not None


def can_read_message_inbox(user: Any) -> bool:
    """The secretariat's list of threads waiting for an answer."""
    return has_role(user, Role.ADMIN)


def can_request_information(user: Any) -> bool:
    """The secretariat asks applicants for more information while screening."""
    return has_role(user, Role.ADMIN)
