"""Grants and what follows an award: amendments, payments, bank details and progress
reports."""

from __future__ import annotations

from typing import Any

from fund.models import Role
from fund.permissions.core import conflicted_organisation_ids, has_role, is_member


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
