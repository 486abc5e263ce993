"""The bulk actions: who may start each, on which list, how a row is checked and how it is done.
A row is a proposal on the screening list and the ranking, a grant on the grants list.

A row's check answers the reason it would be refused (None when it can be done); the same
check runs on the confirmation page and again, on the state as committed, just before the row
is changed. Changes go through the workflow or the existing services, one row at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from fund import permissions, workflow
from fund.bulk import report_reminders
from fund.decisions import services as decisions
from fund.i18n import lazy_gettext as _l
from fund.models import Grant, Proposal, ProposalState
from fund.reviews import assignment, reminders
from fund.reviews.services import ReviewError, required_reviews

# The reason check runs before the reason is typed (it is asked for on the confirmation page):
# this stands in for it there, so that the page lists only the other reasons for refusing.
REASON_TO_COME = "-"


@dataclass
class Params:
    """What the confirmation page asks for: the reason (screen out, decline), the due date; and
    the day the rows are checked on (the once-a-day rules)."""

    comment: str = ""
    due_on: date | None = None
    today: date | None = None


class RowRefused(Exception):
    """A row that cannot be done; the reason is shown on the result page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class BulkAction:
    """One action offered on a list's actions bar."""

    name: str
    list_name: str
    label: Any  # the button and the choice in the actions bar
    will: Any  # what the confirmation page says will happen to a row
    done: Any  # what the result page says happened
    allowed: Callable[[Any], bool]  # a predicate of fund/permissions/
    check: Callable[[Any, Any, Params], str | None]  # the row: a Proposal, or a Grant
    apply: Callable[[Any, Any, Params, datetime], None]
    needs_comment: bool = False
    needs_due_date: bool = False


def _workflow_check(action: str) -> Callable[[Proposal, Any, Params], str | None]:
    def check(proposal: Proposal, actor: Any, params: Params) -> str | None:
        data = workflow.TransitionData(comment=params.comment.strip() or REASON_TO_COME)
        return workflow.check(proposal, action, actor, data)

    return check


def _screen_out(proposal: Proposal, actor: Any, params: Params, now: datetime) -> None:
    workflow.transition(proposal, "screen_out", actor, comment=params.comment, now=now)


def _decline(proposal: Proposal, actor: Any, params: Params, now: datetime) -> None:
    # the single decline's service: the call locked, the state re-read, the letter sent
    decisions.decline(proposal, actor, params.comment, now)


def _assign_check(proposal: Proposal, actor: Any, params: Params) -> str | None:
    """Reviewers are assigned and reminded only while the proposal is in review."""
    if proposal.state != ProposalState.IN_REVIEW:
        return _(
            "Reviewers are assigned and reminded only in review; this proposal is %(state)s.",
            state=workflow.state_label(proposal.state),
        )
    return None


def _assign(proposal: Proposal, actor: Any, params: Params, now: datetime) -> None:
    try:
        added = assignment.auto_assign([proposal], params.due_on, actor)
    except ReviewError as error:
        raise RowRefused(error.message) from error
    if added == 0:
        raise RowRefused(_("It already has every reviewer it needs: nobody was added."))


def _remind(proposal: Proposal, actor: Any, params: Params, now: datetime) -> None:
    """ "Remind now" on each review the proposal still waits for (at most once a day each)."""
    waiting = [r for r in required_reviews(proposal) if reminders.is_waiting(r)]
    if not waiting:
        raise RowRefused(_("No reviewer owes a review of this proposal: nobody to remind."))
    if not any([reminders.remind_now(review, actor, now) for review in waiting]):
        raise RowRefused(_("Its reviewers have already been reminded today."))


def _report_reminder_check(grant: Grant, actor: Any, params: Params) -> str | None:
    return report_reminders.check(grant, actor, params.today)


def _remind_reports(grant: Grant, actor: Any, params: Params, now: datetime) -> None:
    try:
        report_reminders.remind(grant, actor, now)
    except report_reminders.NothingToRemind as refused:
        raise RowRefused(refused.reason) from refused


ACTIONS = {
    a.name: a
    for a in (
        BulkAction(
            "screen_out",
            "screening",
            _l("Screen out"),
            _l("will be screened out; the applicant is told the reason"),
            _l("screened out"),
            permissions.can_screen,
            _workflow_check("screen_out"),
            _screen_out,
            needs_comment=True,
        ),
        BulkAction(
            "assign",
            "screening",
            _l("Assign reviewers"),
            _l("gets reviewers chosen automatically up to the call's number"),
            _l("reviewers assigned"),
            permissions.can_assign_reviewers,
            _assign_check,
            _assign,
            needs_due_date=True,
        ),
        BulkAction(
            "remind",
            "screening",
            _l("Remind reviewers"),
            _l("its reviewers who still owe a review are reminded by e-mail"),
            _l("reviewers reminded"),
            permissions.can_remind_reviewers,
            _assign_check,
            _remind,
        ),
        BulkAction(
            "decline",
            "ranking",
            _l("Decline"),
            _l("will be declined; the call's letter goes to the organisation"),
            _l("declined; the letter is sent"),
            permissions.can_decline_in_bulk,
            _workflow_check("decline"),
            _decline,
            needs_comment=True,
        ),
        BulkAction(
            "remind_reports",
            "grants",
            _l("Send report reminders"),
            _l("the grantee's members are reminded by e-mail of the next report due"),
            _l("reminders sent"),
            permissions.can_manage_grants,
            _report_reminder_check,
            _remind_reports,
        ),
    )
}


def offered(list_name: str, user: Any) -> list[BulkAction]:
    """The actions `user` may start on the list (the actions bar shows these)."""
    return [a for a in ACTIONS.values() if a.list_name == list_name and a.allowed(user)]
