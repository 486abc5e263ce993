"""The machines of an awarded grant: the grant itself (agreement to closure), its progress
reports, and the amendments its grantee asks for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import (
    AmendmentState,
    Grant,
    GrantAmendment,
    GrantState,
    ProgressReport,
    ReportKind,
    ReportState,
)
from fund.rules import report_content
from fund.workflow.engine import (
    ADMIN,
    APPLICANT,
    CHAIR,
    SYSTEM,
    Machine,
    Transition,
    TransitionData,
    reason_given,
)
from fund.workflow.labels import state_label


def final_report_accepted(grant: Grant, actor: Any, data: TransitionData) -> str | None:
    # Asks the database, not `grant.reports`: a relationship loaded earlier in the transaction
    # misses reports added or accepted since (transitions change states with an UPDATE).
    finals = db.session.scalars(
        select(ProgressReport.state).where(
            ProgressReport.grant_id == grant.id, ProgressReport.kind == ReportKind.FINAL
        )
    ).all()
    if not finals or any(state != ReportState.ACCEPTED for state in finals):
        return str(_l("The final report has not been accepted yet."))
    return None


def all_tranches_paid(grant: Grant, actor: Any, data: TransitionData) -> str | None:
    from fund.models import Tranche  # asked of the database, as above

    unpaid = db.session.scalar(
        select(func.count())
        .select_from(Tranche)
        .where(Tranche.grant_id == grant.id, Tranche.paid_on.is_(None))
    )
    if unpaid:
        return str(_l("%(n)d tranche(s) of this grant are not paid yet.", n=unpaid))
    return None


def agreement_confirmed(grant: Grant, actor: Any, data: TransitionData) -> str | None:
    """The grantee typed its full name (data.extra["name"]) and ticked the confirmation."""
    if not str(data.extra.get("name") or "").strip() or not data.extra.get("confirmed"):
        return str(_l("Type your full name and tick the confirmation to accept the agreement."))
    return None


def grant_running(report: ProgressReport, actor: Any, data: TransitionData) -> str | None:
    if report.grant.state not in (GrantState.ACTIVE, GrantState.SUSPENDED):
        return str(
            _l(
                "Reports can be submitted only once the agreement is accepted, and not "
                "after the grant is closed or cancelled."
            )
        )
    return None


def report_complete(report: ProgressReport, actor: Any, data: TransitionData) -> str | None:
    # The rules live with the report's content; submit_report lists each one separately.
    return report_content.incomplete_reason(report)


G = GrantState
GRANT = Machine(
    model=Grant,
    subject_type="grant",
    states=GrantState,
    initial=G.PENDING_AGREEMENT,
    final_states=frozenset({G.CLOSED, G.CANCELLED}),
    transitions=(
        Transition(
            "accept_agreement",
            frozenset({G.PENDING_AGREEMENT}),
            G.ACTIVE,
            APPLICANT,
            _l("Accept agreement"),
            guards=(agreement_confirmed,),
        ),
        Transition(
            "cancel",
            frozenset({G.PENDING_AGREEMENT}),
            G.CANCELLED,
            ADMIN,
            _l("Cancel grant"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "suspend",
            frozenset({G.ACTIVE}),
            G.SUSPENDED,
            ADMIN,
            _l("Suspend"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "reinstate",
            frozenset({G.SUSPENDED}),
            G.ACTIVE,
            ADMIN,
            _l("Reinstate"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "complete",
            frozenset({G.ACTIVE}),
            G.CLOSED,
            ADMIN,
            _l("Close grant"),
            guards=(final_report_accepted, all_tranches_paid),
        ),
    ),
)

R = ReportState
REPORT = Machine(
    model=ProgressReport,
    subject_type="report",
    states=ReportState,
    initial=R.UPCOMING,
    final_states=frozenset({R.ACCEPTED}),
    transitions=(
        Transition(
            "submit",
            frozenset({R.UPCOMING, R.CHANGES_REQUESTED}),
            R.SUBMITTED,
            APPLICANT,
            _l("Submit report"),
            guards=(grant_running, report_complete),
        ),
        Transition(
            "accept", frozenset({R.SUBMITTED}), R.ACCEPTED, ADMIN | CHAIR, _l("Accept report")
        ),
        Transition(
            "request_changes",
            frozenset({R.SUBMITTED}),
            R.CHANGES_REQUESTED,
            ADMIN | CHAIR,
            _l("Request changes"),
            guards=(reason_given,),
            needs_comment=True,
        ),
    ),
)


def requester_only(amendment: GrantAmendment, actor: Any, data: TransitionData) -> str | None:
    """Only the person who asked for an amendment withdraws it."""
    if actor is None or amendment.requested_by_id != actor.id:
        return str(_l("Only the person who requested this amendment can withdraw it."))
    return None


def grant_amendable(amendment: GrantAmendment, actor: Any, data: TransitionData) -> str | None:
    """A closed, cancelled or not yet signed grant is not changed any more (or yet)."""
    if amendment.grant.state not in (GrantState.ACTIVE, GrantState.SUSPENDED):
        return str(
            _l(
                "This grant is %(state)s: it can no longer be amended.",
                state=state_label(amendment.grant.state),
            )
        )
    return None


AM = AmendmentState
AMENDMENT = Machine(
    model=GrantAmendment,
    subject_type="grant_amendment",
    states=AmendmentState,
    initial=AM.REQUESTED,
    final_states=frozenset({AM.APPROVED, AM.DECLINED, AM.WITHDRAWN}),
    transitions=(
        Transition(
            "approve",
            frozenset({AM.REQUESTED}),
            AM.APPROVED,
            ADMIN,
            _l("Approve the amendment"),
            guards=(grant_amendable,),
        ),
        # A small budget reallocation, under the call's threshold, is approved on request.
        Transition(
            "approve_automatically",
            frozenset({AM.REQUESTED}),
            AM.APPROVED,
            frozenset({SYSTEM}),
            _l("Approved automatically"),
            guards=(grant_amendable,),
        ),
        Transition(
            "decline",
            frozenset({AM.REQUESTED}),
            AM.DECLINED,
            ADMIN,
            _l("Decline the amendment"),
            guards=(reason_given,),
            needs_comment=True,
        ),
        Transition(
            "withdraw",
            frozenset({AM.REQUESTED}),
            AM.WITHDRAWN,
            APPLICANT | ADMIN,
            _l("Withdraw the request"),
            guards=(requester_only,),
        ),
    ),
)
