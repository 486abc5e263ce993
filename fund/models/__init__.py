"""All models, imported here so metadata and Alembic see every table."""

from fund.models.amendment import AmendmentKind, AmendmentState, GrantAmendment
from fund.models.audit import AuditEvent
from fund.models.bulk import BulkRun, DraftReminder
from fund.models.call import CROSS_CUTTING, Call, Criterion, Strategy
from fund.models.call_figures import CallMoney, CallStateCount
from fund.models.decision import Decision, DecisionApproval, DecisionOutcome
from fund.models.erasure import ErasureRequest, ErasureState
from fund.models.form_token import UsedFormToken
from fund.models.grant import Grant, GrantState, Tranche
from fund.models.income import (
    LMIC_GROUPS,
    IncomeGroup,
    IncomeGroupEntry,
    IncomeGroupList,
    IncomeGroupOverride,
)
from fund.models.message import Message, MessageAttachment
from fund.models.organisation import BudgetBand, Membership, Organisation, OrganisationType
from fund.models.outbox import MessageStatus, OutgoingMessage
from fund.models.passkey import Passkey
from fund.models.payment import BankDetails, BankDetailsState, Payment, PaymentState
from fund.models.policy import PolicyAcceptance, PolicyKind, PolicyVersion
from fund.models.proposal import (
    CONCEPT_STAGE_STATES,
    BudgetCategory,
    BudgetLine,
    FormStash,
    Proposal,
    ProposalAttachment,
    ProposalState,
    ProposalVersion,
    ReferenceCounter,
)
from fund.models.report import (
    AgeBand,
    ProgressReport,
    ReportAttachment,
    ReportKind,
    ReportReach,
    ReportSpending,
    ReportState,
    Sex,
)
from fund.models.review import (
    Conflict,
    CriterionScore,
    Recommendation,
    Review,
    ReviewStatus,
)
from fund.models.reviewer import PoolMember, PoolState, ReviewerProfile
from fund.models.safeguarding import ConcernState, SafeguardingAction, SafeguardingConcern
from fund.models.score import CallScoreVersion, ProposalScore, ReviewerScore
from fund.models.upload import StoredFile
from fund.models.user import (
    LinkPurpose,
    LinkToken,
    LoginSession,
    RecoveryCode,
    Role,
    User,
    UserRole,
)
from fund.models.waiting import WaitingReviewCount

__all__ = [
    "AmendmentKind",
    "AmendmentState",
    "GrantAmendment",
    "AuditEvent",
    "BankDetails",
    "BankDetailsState",
    "Payment",
    "PaymentState",
    "BulkRun",
    "DraftReminder",
    "Decision",
    "DecisionApproval",
    "DecisionOutcome",
    "ErasureRequest",
    "ErasureState",
    "Tranche",
    "Conflict",
    "CriterionScore",
    "Recommendation",
    "Review",
    "CallScoreVersion",
    "ProposalScore",
    "ReviewerScore",
    "WaitingReviewCount",
    "CallMoney",
    "CallStateCount",
    "ReviewerProfile",
    "PoolMember",
    "PoolState",
    "ReviewStatus",
    "BudgetCategory",
    "BudgetLine",
    "CONCEPT_STAGE_STATES",
    "CROSS_CUTTING",
    "ConcernState",
    "Criterion",
    "FormStash",
    "ProposalAttachment",
    "ProposalVersion",
    "ReferenceCounter",
    "Strategy",
    "BudgetBand",
    "Call",
    "Grant",
    "GrantState",
    "IncomeGroup",
    "IncomeGroupEntry",
    "IncomeGroupList",
    "IncomeGroupOverride",
    "LMIC_GROUPS",
    "LinkPurpose",
    "LinkToken",
    "LoginSession",
    "Membership",
    "Message",
    "MessageAttachment",
    "MessageStatus",
    "Organisation",
    "OrganisationType",
    "OutgoingMessage",
    "AgeBand",
    "ProgressReport",
    "ReportAttachment",
    "ReportReach",
    "ReportSpending",
    "Sex",
    "Passkey",
    "PolicyAcceptance",
    "PolicyKind",
    "PolicyVersion",
    "Proposal",
    "ProposalState",
    "ReportKind",
    "ReportState",
    "RecoveryCode",
    "Role",
    "SafeguardingAction",
    "SafeguardingConcern",
    "StoredFile",
    "UsedFormToken",
    "User",
    "UserRole",
]
