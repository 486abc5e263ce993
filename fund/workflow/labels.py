"""The states as users read them, shared by the engine's messages, the machines' guards and the
templates (`state_label`)."""

from __future__ import annotations

from fund.i18n import lazy_gettext as _l
from fund.models import (
    AmendmentState,
    ConcernState,
    ErasureState,
    GrantState,
    PaymentState,
    ProposalState,
    ReportState,
)

P = ProposalState
G = GrantState
R = ReportState
S = ConcernState
E = ErasureState
AM = AmendmentState
PAY = PaymentState

STATE_LABELS = {
    P.DRAFT: _l("draft"),
    P.SUBMITTED: _l("submitted"),
    P.IN_REVIEW: _l("in review"),
    P.REVIEWED: _l("reviewed"),
    P.REVISION_REQUESTED: _l("revision requested"),
    P.INFORMATION_REQUESTED: _l("more information requested"),
    P.AWARDED: _l("awarded"),
    P.DECLINED: _l("declined"),
    P.INELIGIBLE: _l("ineligible"),
    P.WITHDRAWN: _l("withdrawn"),
    P.CONCEPT_DRAFT: _l("concept note in draft"),
    P.CONCEPT_SUBMITTED: _l("concept note submitted"),
    P.CONCEPT_DECLINED: _l("concept note declined"),
    P.INVITED: _l("invited to submit a full proposal"),
    G.PENDING_AGREEMENT: _l("pending agreement"),
    G.ACTIVE: _l("active"),
    G.SUSPENDED: _l("suspended"),
    G.CLOSED: _l("closed"),
    G.CANCELLED: _l("cancelled"),
    R.UPCOMING: _l("upcoming"),
    R.SUBMITTED: _l("submitted"),
    R.CHANGES_REQUESTED: _l("changes requested"),
    R.ACCEPTED: _l("accepted"),
    S.OPEN: _l("open"),
    E.PENDING: _l("waiting for the secretariat"),
    E.ERASED: _l("erased"),
    E.KEPT: _l("kept, with the reason given"),
    AM.REQUESTED: _l("waiting for approval"),
    AM.APPROVED: _l("approved"),
    # AM.DECLINED and AM.WITHDRAWN read as the proposal's "declined" and "withdrawn"
    PAY.AWAITING_APPROVAL: _l("awaiting approval"),
    PAY.REJECTED: _l("rejected"),
    # PAY.APPROVED reads as the amendment's "approved"
}


def state_label(state: str) -> str:
    """A state as the user reads it."""
    return str(STATE_LABELS.get(state, state))
