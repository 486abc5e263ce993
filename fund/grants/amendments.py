"""Grant amendments: asking for one, approving (the grant changes in the same transaction),
declining with a reason, withdrawing; and how a change reads, on the pages and in e-mail.
State changes go through the workflow; services flush, views commit."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from fund import audit, workflow
from fund.extensions import db
from fund.grants import mail
from fund.grants.amendment_plans import AmendmentError, apply, ensure_amendable, moved_percent, plan
from fund.i18n import lazy_gettext as _l
from fund.models import AmendmentKind, Call, Grant, GrantAmendment, ReportKind, User
from fund.money import money

__all__ = [
    "AmendmentError",
    "changes",
    "decide",
    "request_amendment",
    "set_reallocation_threshold",
]

KIND_LABELS = {
    AmendmentKind.EXTENSION: _l("No-cost extension"),
    AmendmentKind.REALLOCATION: _l("Budget reallocation"),
    AmendmentKind.TRANCHES: _l("Change to the payment schedule"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def request_amendment(
    grant: Grant, user: User, kind: str, proposed: dict[str, Any], reason: str, now: datetime
) -> GrantAmendment:
    """Record the request with the change it would make; a budget reallocation that moves no
    more than the call's threshold is approved at once, anything else waits for the
    secretariat, who are told. The grant is locked first, as for a decision: a request
    approved at once takes its turn with approvals of the grant's other amendments."""
    _take_the_grant(grant)
    ensure_amendable(grant)
    before, after = plan(grant, kind, proposed)
    amendment = GrantAmendment(
        grant=grant,
        kind=kind,
        requested_by_id=user.id,
        requested_at=now,
        reason=reason.strip(),
        proposed=proposed,
        before=before,
        after=after,
    )
    db.session.add(amendment)
    db.session.flush()
    audit.record(
        "grant",
        grant.id,
        "request_amendment",
        actor=user,
        comment=_("Amendment requested: %(kind)s", kind=kind_label(kind)),
    )
    threshold = Decimal(grant.proposal.call.reallocation_threshold_percent)
    if (
        kind == AmendmentKind.REALLOCATION
        and moved_percent(before, after, grant.amount) <= threshold
    ):
        _approve(amendment, None, "approve_automatically", "", now)
    else:
        mail.tell_secretariat(
            "grant_amendment_requested",
            grant=grant,
            amendment=amendment,
            kind=KIND_LABELS.get(kind, kind),
            reference=mail.reference(grant),
            url=mail.amendment_url(amendment),
            changes=changes,
        )
    return amendment


def decide(amendment: GrantAmendment, action: str, user: User, comment: str, now: datetime) -> None:
    """Approve (the grant changes), decline (with a reason, told to the grantee) or withdraw."""
    _take_the_grant(amendment.grant)
    if action == "approve":
        ensure_amendable(amendment.grant)
        _approve(amendment, user, "approve", comment, now)
    elif action in ("decline", "withdraw"):
        workflow.transition(amendment, action, user, comment=comment, now=now)
        amendment.decided_by_id = user.id
        amendment.decided_at = now
        amendment.decision_comment = comment.strip()
        db.session.flush()
        if action == "decline":
            _tell_grantee(amendment, "grant_amendment_declined", comment.strip())
    else:
        raise AmendmentError(_("There is no such action."), 400)


def _take_the_grant(grant: Grant) -> None:
    """Lock the grant's row until the commit, then read everything again: decisions on one
    grant's amendments take turns. The second of two approvals at the same moment is checked
    and planned against the grant as the first left it (its "before" is the first one's
    "after"), not as both found it. Every decision takes the grant first, so an approval and a
    withdrawal (whose amendment row points at the grant) never wait for each other in a circle."""
    db.session.flush()  # nothing pending is lost by the reload below
    db.session.scalars(
        select(Grant)
        .where(Grant.id == grant.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    db.session.expire_all()


def _approve(
    amendment: GrantAmendment, user: User | None, action: str, comment: str, now: datetime
) -> None:
    """Check the change again against the grant as it is now (a tranche may have been paid
    since the request), then change the state and the grant together and keep both versions."""
    grant = amendment.grant
    refused = workflow.refusal(amendment, action, user)
    if refused:
        raise refused
    before, after = plan(grant, amendment.kind, amendment.proposed)
    workflow.transition(amendment, action, user, comment=comment, now=now)
    apply(grant, after)
    amendment.before, amendment.after = before, after
    amendment.decided_by_id = user.id if user is not None else None
    amendment.decided_at = now
    amendment.decision_comment = comment.strip()
    audit.record(
        "grant",
        grant.id,
        "amend",
        actor=user,
        comment=_("Amendment approved: %(kind)s", kind=kind_label(amendment.kind)),
    )
    db.session.flush()
    _tell_grantee(amendment, "grant_amendment_approved", comment.strip())


def _tell_grantee(amendment: GrantAmendment, event: str, comment: str) -> None:
    mail.tell_grantee(
        amendment.grant,
        event,
        amendment=amendment,
        kind=KIND_LABELS.get(amendment.kind, amendment.kind),
        comment=comment,
        changes=changes,
        amendment_url=mail.amendment_url(amendment),
    )


# --- how a change reads -----------------------------------------------------------------------


def changes(amendment: GrantAmendment) -> list[tuple[str, str, str]]:
    """(what, before, after) rows, in the language current when called (each e-mail is
    rendered in its recipient's)."""
    before, after, currency = amendment.before, amendment.after, amendment.grant.currency
    rows: list[tuple[str, str, str]] = []
    if before.get("end_on"):
        rows.append((_("End of the funded period"), before["end_on"], after["end_on"]))
    for old, new in zip(before.get("reports", []), after.get("reports", []), strict=True):
        what = _("Final report due") if old["kind"] == ReportKind.FINAL else _("Interim report due")
        rows.append((what, old["due_on"], new["due_on"]))
    for old, new in zip(before.get("tranches", []), after.get("tranches", []), strict=True):
        rows.append(
            (
                _("Tranche %(n)d", n=old["position"]),
                _tranche_text(old, currency),
                _tranche_text(new, currency),
            )
        )
    for old, new in zip(before.get("lines", []), after.get("lines", []), strict=True):
        rows.append(
            (
                _("Budget line: %(line)s", line=old["label"]),
                money(Decimal(old["amount"]), currency),
                money(Decimal(new["amount"]), currency),
            )
        )
    return rows


def _tranche_text(row: dict, currency: str) -> str:
    text = f"{row['percent']}% · {money(Decimal(row['amount']), currency)}"
    if row["due_on"]:
        text += " · " + _("due on %(date)s", date=row["due_on"])
    return text


def set_reallocation_threshold(call: Call, percent: int, user: User) -> None:
    """Change the call's limit; reallocations already decided stay as they are."""
    previous = call.reallocation_threshold_percent
    call.reallocation_threshold_percent = percent
    audit.record(
        "call",
        call.id,
        "edit_amendment_settings",
        actor=user,
        comment=f"reallocation_threshold_percent: {previous} -> {percent}",
    )
    db.session.flush()
