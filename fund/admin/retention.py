"""The retention schedule: what the fund stops keeping, and when.

Run daily by `flask --app wsgi fund apply-retention` (cron; README). Each rule counts what is
due on `now` and, unless it is a dry run, removes it:

- accounts never confirmed, RETAIN_UNVERIFIED_DAYS after registering, with no organisation
  history: anonymised (fund/auth/erasure.py);
- the text of e-mails sent, RETAIN_MAIL_DAYS after sending (who, when and the subject stay);
- used form tokens, expired or used links and saved form stashes, 7 days on;
- declined, withdrawn and ineligible proposals (and declined concept notes),
  RETAIN_UNFUNDED_YEARS after they entered that state: their texts, answers and files go;
  call, organisation, countries, strategies, amounts, state and reviewers' scores stay, for the
  fund's statistics;
- closed grants, RETAIN_GRANT_YEARS after their funded period ended: the name, account, address
  and browser of the person who accepted the agreement go; the grant and its open data stay.

Safeguarding concerns are outside the schedule. A run writes one audit row with its counts.
Files are returned for deletion after the caller's commit. Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update

from fund import audit
from fund.auth import erasure
from fund.dates import add_years
from fund.extensions import db
from fund.forms_def import definition
from fund.i18n import lazy_gettext as _l
from fund.models import (
    AuditEvent,
    BudgetLine,
    FormStash,
    Grant,
    GrantState,
    LinkToken,
    MessageStatus,
    OutgoingMessage,
    Proposal,
    ProposalAttachment,
    ProposalState,
    ProposalVersion,
    StoredFile,
    UsedFormToken,
    User,
)

SHORT_LIVED_DAYS = 7
UNFUNDED = (
    ProposalState.DECLINED.value,
    ProposalState.WITHDRAWN.value,
    ProposalState.INELIGIBLE.value,
    ProposalState.CONCEPT_DECLINED.value,
)
RULES = (
    ("unverified_accounts", _l("Accounts never confirmed")),
    ("mail_bodies", _l("Texts of e-mails sent")),
    ("form_tokens", _l("Used form tokens")),
    ("links", _l("Expired or used links")),
    ("stashes", _l("Saved form stashes")),
    ("unfunded_proposals", _l("Texts and files of unfunded proposals")),
    ("grant_contacts", _l("Who accepted the agreement of closed grants")),
)


@dataclass
class RetentionRun:
    """How many items each rule found due (and, in a real run, removed)."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return ", ".join(f"{name}={self.counts.get(name, 0)}" for name, _label in RULES)


def schedule() -> list[dict[str, Any]]:
    """The rules with their periods as configured, for the admin page."""
    config = current_app.config
    periods = {
        "unverified_accounts": _l("%(n)d days", n=config["RETAIN_UNVERIFIED_DAYS"]),
        "mail_bodies": _l("%(n)d days", n=config["RETAIN_MAIL_DAYS"]),
        "form_tokens": _l("%(n)d days", n=SHORT_LIVED_DAYS),
        "links": _l("%(n)d days", n=SHORT_LIVED_DAYS),
        "stashes": _l("%(n)d days", n=SHORT_LIVED_DAYS),
        "unfunded_proposals": _l("%(n)d years", n=config["RETAIN_UNFUNDED_YEARS"]),
        "grant_contacts": _l("%(n)d years", n=config["RETAIN_GRANT_YEARS"]),
    }
    return [{"name": name, "label": label, "period": periods[name]} for name, label in RULES]


def apply(now: datetime, *, dry_run: bool, actor: Any = None) -> RetentionRun:
    """Count, and unless `dry_run` remove, what the schedule says is due on `now`."""
    config = current_app.config
    run = RetentionRun()
    week_ago = now - timedelta(days=SHORT_LIVED_DAYS)

    unverified = _unverified_accounts(now - timedelta(days=config["RETAIN_UNVERIFIED_DAYS"]))
    run.counts["unverified_accounts"] = len(unverified)
    mail = (
        OutgoingMessage.status == MessageStatus.SENT.value,
        OutgoingMessage.sent_at < now - timedelta(days=config["RETAIN_MAIL_DAYS"]),
        or_(OutgoingMessage.body_text != "", OutgoingMessage.body_html != ""),
    )
    run.counts["mail_bodies"] = _count(OutgoingMessage, *mail)
    tokens = (UsedFormToken.used_at < week_ago,)
    run.counts["form_tokens"] = _count(UsedFormToken, *tokens)
    links = (or_(LinkToken.expires_at < week_ago, LinkToken.used_at < week_ago),)
    run.counts["links"] = _count(LinkToken, *links)
    stashes = (FormStash.created_at < week_ago,)
    run.counts["stashes"] = _count(FormStash, *stashes)
    proposals = _unfunded_proposals(add_years(now.date(), -config["RETAIN_UNFUNDED_YEARS"]), now)
    run.counts["unfunded_proposals"] = len(proposals)
    grants = _closed_grants(add_years(now.date(), -config["RETAIN_GRANT_YEARS"]))
    run.counts["grant_contacts"] = len(grants)
    if dry_run:
        return run

    for user in unverified:
        run.files += erasure.anonymise(user, user, now, scrub=False)
    db.session.execute(update(OutgoingMessage).where(*mail).values(body_text="", body_html=""))
    db.session.execute(delete(UsedFormToken).where(*tokens))
    db.session.execute(delete(LinkToken).where(*links))
    db.session.execute(delete(FormStash).where(*stashes))
    for proposal in proposals:
        run.files += _redact(proposal, now)
    for grant in grants:
        grant.accepted_name = grant.accepted_by_id = None
        grant.accepted_ip = grant.accepted_user_agent = None
    db.session.flush()
    audit.record("retention", 0, "retention_run", actor=actor, comment=run.summary())
    db.session.flush()
    return run


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def _unverified_accounts(cutoff: datetime) -> list[User]:
    candidates = db.session.scalars(
        select(User).where(
            User.email_verified_at.is_(None), User.active.is_(True), User.created_at < cutoff
        )
    )
    return [user for user in candidates if not erasure.history(user)]


def _unfunded_proposals(cutoff, now: datetime) -> list[Proposal]:
    """Unfunded proposals not yet redacted whose state is older than `cutoff` (the time of the
    audit row that put them there; the last save for rows older than the audit log)."""
    entered = (
        select(func.max(AuditEvent.created_at))
        .where(
            AuditEvent.subject_type == "proposal",
            AuditEvent.subject_id == Proposal.id,
            AuditEvent.to_state == Proposal.state,
        )
        .scalar_subquery()
    )
    limit = datetime.combine(cutoff, datetime.min.time(), tzinfo=now.tzinfo)
    return list(
        db.session.scalars(
            select(Proposal).where(
                Proposal.state.in_(UNFUNDED),
                Proposal.redacted_at.is_(None),
                func.coalesce(entered, Proposal.updated_at) < limit,
            )
        )
    )


def _redact(proposal: Proposal, now: datetime) -> list[str]:
    """Remove a proposal's texts, answers and files; returns the files to delete."""
    placeholder = proposal.reference or f"#{proposal.id}"
    versions = list(
        db.session.scalars(
            select(ProposalVersion).where(ProposalVersion.proposal_id == proposal.id)
        )
    )
    # The files of the call's file questions, as answered now and in each frozen version.
    call = proposal.call
    answered = definition.file_ids(definition.load(call.proposal_form), proposal.answers)
    answered |= definition.file_ids(definition.load(call.concept_form), proposal.concept_answers)
    for version in versions:
        content = version.content or {}
        answered |= definition.file_ids(content.get("form"), content.get("answers"))
    files = list(
        db.session.scalars(
            select(StoredFile).where(
                or_(
                    StoredFile.id.in_(
                        select(ProposalAttachment.file_id).where(
                            ProposalAttachment.proposal_id == proposal.id
                        )
                    ),
                    StoredFile.id.in_(answered),
                )
            )
        )
    )
    db.session.execute(
        delete(ProposalAttachment).where(ProposalAttachment.proposal_id == proposal.id)
    )
    for stored in files:
        db.session.delete(stored)
    db.session.execute(
        update(BudgetLine).where(BudgetLine.proposal_id == proposal.id).values(description="")
    )
    for version in versions:
        content = dict(version.content or {})
        content.update(title=placeholder, summary="", answers={}, attachments=[])
        content["budget_lines"] = [
            {**line, "description": ""} for line in content.get("budget_lines", [])
        ]
        version.content = content
    proposal.title = placeholder
    proposal.summary = ""
    proposal.answers = {}
    proposal.concept_answers = {}
    if proposal.concept_note:
        note = {**proposal.concept_note, "answers": {}, "title": placeholder, "summary": ""}
        proposal.concept_note = note
    proposal.redacted_at = now
    return [stored.storage_name for stored in files]


def _closed_grants(cutoff) -> list[Grant]:
    return list(
        db.session.scalars(
            select(Grant).where(
                Grant.state == GrantState.CLOSED.value,
                Grant.end_on < cutoff,
                or_(
                    Grant.accepted_name.is_not(None),
                    Grant.accepted_by_id.is_not(None),
                    and_(Grant.accepted_ip.is_not(None), Grant.accepted_ip != ""),
                ),
            )
        )
    )


def last_run() -> AuditEvent | None:
    """The latest real run's audit row."""
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.action == "retention_run")
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
