"""Submitting and withdrawing a proposal: every rule checked on the server, all failures at once.

The rules that must hold whatever the entry point (call open, e-mail verified, complete) are
also guards of the workflow's `submit`; here they are listed one by one, with the others, so
the applicant sees everything to fix in one go.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from fund import income_groups, notifications, workflow
from fund.countries import country_name
from fund.extensions import db
from fund.models import (
    IncomeGroup,
    Proposal,
    ProposalState,
    ProposalVersion,
    ReferenceCounter,
    User,
)
from fund.money import money
from fund.proposals import eligibility
from fund.proposals.queries import when
from fund.rules.proposal_content import (
    Problem,
    budget_total,
    completeness_problems,
    snapshot,
    start_date_problems,
)
from fund.workflow import TransitionRefused


class SubmissionRefused(Exception):
    """The proposal cannot be submitted yet; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems
        self.status = 400


def submission_problems(proposal: Proposal, actor: User, now: datetime) -> list[Problem]:
    """Every reason `proposal` may not be submitted by `actor` at `now`; empty when it may."""
    problems = _call_problems(proposal, now)
    problems += completeness_problems(proposal)
    problems += _eligibility_problems(proposal, now)
    problems += _country_problems(proposal)
    problems += _amount_problems(proposal)
    problems += _duration_problems(proposal)
    problems += start_date_problems(proposal, now)
    if not actor.email_verified:
        problems.append(
            Problem(
                None,
                _(
                    "Your e-mail address is not verified yet: open the link we sent you, or ask "
                    "for a "
                    "new one on your profile page."
                ),
            )
        )
    return problems


def _call_problems(proposal: Proposal, now: datetime) -> list[Problem]:
    call = proposal.call
    if call.is_open(now):
        return []
    if call.published_at is None or now < call.opens_at:
        return [
            Problem(
                None, _("The call is not open yet: it opens on %(date)s.", date=when(call.opens_at))
            )
        ]
    return [
        Problem(
            None,
            _(
                "The call closed on %(date)s: proposals can no longer be submitted.",
                date=when(call.closes_at),
            ),
        )
    ]


def _eligibility_problems(proposal: Proposal, now: datetime) -> list[Problem]:
    # Whether the call is open is said above, in the submission's own words.
    organisation, call = proposal.organisation, proposal.call
    about_call = eligibility.call_problem(organisation, call, now)
    found = eligibility.eligibility_problems(organisation, call, now)
    return [Problem(None, text) for text in found if text != about_call]


def _country_problems(proposal: Proposal) -> list[Problem]:
    """Each country of implementation must be eligible under the call's income groups."""
    call = proposal.call
    if not proposal.countries:
        return []
    known = income_groups.income_groups(call.fiscal_year)
    problems = []
    for code in proposal.countries:
        income = known.get(code)
        group = income.income_group if income else IncomeGroup.UNCLASSIFIED
        if group == IncomeGroup.UNCLASSIFIED:
            if call.unclassified_eligible:
                continue
            problems.append(
                Problem(
                    "countries",
                    _(
                        "%(country)s is not classified by the World Bank in %(fiscal_year)s, and "
                        "this "
                        "call does not fund work there. Remove it from the countries of "
                        "implementation.",
                        country=country_name(code),
                        fiscal_year=call.fiscal_year,
                    ),
                )
            )
        elif group.value not in (call.eligible_income_groups or []):
            problems.append(
                Problem(
                    "countries",
                    _(
                        "%(country)s (%(group)s income in %(fiscal_year)s) is not eligible under "
                        "this "
                        "call. Remove it from the countries of implementation.",
                        country=country_name(code),
                        group=eligibility.GROUP_ADJECTIVES[group],
                        fiscal_year=call.fiscal_year,
                    ),
                )
            )
    return problems


def _amount_problems(proposal: Proposal) -> list[Problem]:
    call = proposal.call
    if not proposal.budget_lines:
        return []  # "add a budget line" is said by the completeness rules
    total = budget_total(proposal)
    problems = []
    if proposal.amount_requested != total:
        problems.append(
            Problem(
                "budget_lines",
                _(
                    "The amount requested (%(amount)s) is not the total of the budget lines "
                    "(%(total)s). Save the budget again so they match.",
                    amount=money(proposal.amount_requested, call.currency),
                    total=money(total, call.currency),
                ),
            )
        )
    if not call.min_award <= total <= call.max_award:
        problems.append(
            Problem(
                "budget_lines",
                _(
                    "The budget totals %(total)s; this call awards between %(min)s and "
                    "%(max)s. Change the budget lines.",
                    total=money(total, call.currency),
                    min=money(call.min_award, call.currency),
                    max=money(call.max_award, call.currency),
                ),
            )
        )
    return problems


def _duration_problems(proposal: Proposal) -> list[Problem]:
    limit = proposal.call.max_duration_months
    if proposal.duration_months is not None and proposal.duration_months > limit:
        return [
            Problem(
                "duration_months",
                _(
                    "The project lasts %(months)d months; this call funds projects of at most "
                    "%(limit)d months. Shorten it.",
                    months=proposal.duration_months,
                    limit=limit,
                ),
            )
        ]
    return []


def submit_proposal(
    proposal: Proposal, actor: User, now: datetime, declaration: str | None = None
) -> ProposalVersion:
    """Check every rule, then give the proposal its reference and first version and submit it.

    `declaration` is the text the applicant ticked, kept with the version as ticked.

    Raises TransitionRefused (409 when it has already been submitted, 403 for someone who may
    not submit it) or SubmissionRefused with every problem. Flushes; the caller commits.
    """
    blocked = sending_refusal(proposal, "submit", actor, now)
    if blocked is not None:
        raise blocked
    refused = workflow.refusal(proposal, "submit", actor, workflow.TransitionData(now=now))
    problems = submission_problems(proposal, actor, now)
    if problems:
        raise SubmissionRefused(problems)
    if refused is not None:  # a guard not covered above: never submit past it
        raise refused
    if proposal.reference is None:
        proposal.reference = allocate_reference(proposal.call.year)
    income = income_groups.income_group_for(
        proposal.organisation.country_code, proposal.call.fiscal_year
    )
    proposal.income_group = income.income_group.value if income else IncomeGroup.UNCLASSIFIED.value
    proposal.income_list_id = income.list_id if income else None
    proposal.submitted_at = now
    proposal.updated_by_id = actor.id
    proposal.lock_version = (proposal.lock_version or 0) + 1  # an open edit form is now stale
    version = _new_version(proposal, actor, now, declaration)
    workflow.transition(proposal, "submit", actor, now=now)
    return version


def _new_version(
    proposal: Proposal, actor: User, now: datetime, declaration: str | None
) -> ProposalVersion:
    frozen = snapshot(proposal)
    if declaration is not None:
        frozen["declaration"] = declaration
    version = ProposalVersion(
        number=_next_version_number(proposal),
        content=frozen,
        created_by_id=actor.id,
        created_at=now,
    )
    proposal.versions.append(version)
    db.session.flush()
    return version


def sending_refusal(
    proposal: Proposal, action: str, actor: User, now: datetime
) -> TransitionRefused | None:
    """Why `actor` may not `action` ("submit" or "resubmit") the proposal whatever its content:
    403 for someone who may not, 409 once it has been sent; None when only its content may
    stand in the way."""
    refused = workflow.refusal(proposal, action, actor, workflow.TransitionData(now=now))
    if refused is None or refused.status == 400:
        return None
    if action == "submit" and refused.status == 409:
        return _already_submitted(proposal)
    return refused


def _already_submitted(proposal: Proposal) -> TransitionRefused:
    submitted = proposal.state == ProposalState.SUBMITTED or proposal.submitted_at is not None
    if submitted and proposal.state != ProposalState.WITHDRAWN:
        return TransitionRefused(
            _(
                "This proposal has already been submitted (reference %(reference)s). Nothing more "
                "is needed: we have sent the receipt by e-mail.",
                reference=proposal.reference or f"#{proposal.id}",
            ),
            409,
        )
    return TransitionRefused(
        _(
            "This proposal cannot be submitted any more: it is %(state)s.",
            state=workflow.state_label(proposal.state),
        ),
        409,
    )


def _next_version_number(proposal: Proposal) -> int:
    last = db.session.scalar(
        select(func.max(ProposalVersion.number)).where(ProposalVersion.proposal_id == proposal.id)
    )
    return (last or 0) + 1


def allocate_reference(year: int) -> str:
    """The next proposal reference for `year` (INS-2027-0001, 0002 ...), never given twice.

    One statement adds the year's counter or increments it and returns the new number; the
    row stays locked until the transaction ends, so concurrent submissions queue behind it and
    a rolled-back submission gives its number back.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ReferenceCounter.__table__
    statement = insert(table).values(year=year, last=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.year], set_={"last": table.c.last + 1}
    ).returning(table.c.last)
    number = db.session.execute(statement).scalar_one()
    return format_reference(year, number)


def format_reference(year: int, number: int) -> str:
    return f"INS-{year}-{number:04d}"


def resubmission_problems(proposal: Proposal, now: datetime) -> list[Problem]:
    """Every reason a revision may not be sent back to review: the rules of a first submission
    but the call's closing time (a revision is asked for after the call has closed)."""
    problems = completeness_problems(proposal) + _eligibility_problems(proposal, now)
    problems += _country_problems(proposal) + _amount_problems(proposal)
    problems += _duration_problems(proposal)
    problems += start_date_problems(proposal, now)
    return problems


def resubmit_proposal(
    proposal: Proposal, actor: User, now: datetime, declaration: str | None = None
) -> ProposalVersion:
    """Send a revised proposal back to review: a new frozen version, then a new review round.

    The same rules as a first submission apply except the call's closing time: a revision is
    asked for after the call has closed. `declaration` is kept with the version as ticked.
    Raises SubmissionRefused or TransitionRefused.
    """
    from fund.reviews.services import start_new_round  # reviews build on proposals, not back

    blocked = sending_refusal(proposal, "resubmit", actor, now)
    if blocked is not None:
        raise blocked
    refused = workflow.refusal(proposal, "resubmit", actor, workflow.TransitionData(now=now))
    problems = resubmission_problems(proposal, now)
    if problems:
        raise SubmissionRefused(problems)
    if refused is not None:
        raise refused
    proposal.updated_by_id = actor.id
    proposal.lock_version = (proposal.lock_version or 0) + 1
    version = _new_version(proposal, actor, now, declaration)
    workflow.transition(proposal, "resubmit", actor, now=now)
    start_new_round(proposal, actor)
    return version


def send_information(
    proposal: Proposal, actor: User, now: datetime, declaration: str | None = None
) -> ProposalVersion:
    """Send the proposal back to the secretariat after it asked for more information: a new
    frozen version (the answers may have changed), then back to screening.

    The rules of a resubmission apply (the call may have closed meanwhile). Raises
    SubmissionRefused or TransitionRefused. Flushes; the caller commits.
    """
    blocked = sending_refusal(proposal, "send_information", actor, now)
    if blocked is not None:
        raise blocked
    refused = workflow.refusal(
        proposal, "send_information", actor, workflow.TransitionData(now=now)
    )
    problems = resubmission_problems(proposal, now)
    if problems:
        raise SubmissionRefused(problems)
    if refused is not None:
        raise refused
    proposal.updated_by_id = actor.id
    proposal.lock_version = (proposal.lock_version or 0) + 1
    proposal.information_due_at = None
    version = _new_version(proposal, actor, now, declaration)
    workflow.transition(proposal, "send_information", actor, now=now)
    notifications.information_sent(proposal)
    return version


def withdraw_proposal(proposal: Proposal, actor: User, reason: str, now: datetime) -> Any:
    """Withdraw the proposal (until a decision is made); the members are told. Flushes."""
    return workflow.transition(proposal, "withdraw", actor, comment=reason, now=now)
