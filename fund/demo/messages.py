"""Demo of the message threads: the secretariat's question on a proposal and the applicant's
answer (the proposal sent back with it), a message shared with a proposal's reviewers, and a
grantee's question on its grant, waiting in the secretariat's "Messages" list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fund import clock
from fund.extensions import db
from fund.models import Grant, Proposal, ProposalState


def seed_information_request(users: dict, proposals: list[Proposal]) -> None:
    """The secretariat's question on the proposal still on the screening list, the applicant's
    reply, and the proposal sent back with it (so the thread shows both, and the proposal goes
    on to screening). Call it before seed_matching, which then screens that proposal in."""
    from fund.messages import services
    from fund.proposals.declaration import declaration_text
    from fund.proposals.submission import send_information

    admin = users["admin@example.org"]
    now = clock.now()
    waiting = [p for p in proposals if p.state == ProposalState.SUBMITTED]
    if not waiting:
        return
    proposal = waiting[0]
    services.request_information(
        proposal,
        admin,
        "Which districts will the sessions run in, and who will facilitate them? Please add "
        "the districts to the summary.",
        (now + timedelta(days=10)).date(),
        now,
    )
    member = proposal.organisation.memberships[0].user
    services.post_message(
        proposal,
        member,
        "Thank you: we are confirming the districts with the local authorities and will "
        "update the proposal this week.",
        [],
        now + timedelta(minutes=5),
        from_secretariat=False,
    )
    declaration = declaration_text(proposal.call, proposal.language)
    send_information(proposal, member, now + timedelta(minutes=10), declaration=declaration)


def seed_messages(users: dict, proposals: list[Proposal]) -> None:
    """In the current transaction, through the app's services (e-mail goes to the outbox)."""
    from fund.messages import services

    admin = users["admin@example.org"]
    now = clock.now()
    in_review = [p for p in proposals if p.state == ProposalState.IN_REVIEW]
    if in_review:
        proposal = in_review[0]
        member = proposal.organisation.memberships[0].user
        message = services.post_message(
            proposal,
            member,
            "The district education office has confirmed in writing that it supports the "
            "sessions in its schools.",
            [],
            now,
            from_secretariat=False,
        )
        services.share_with_reviewers(message, admin, now)
    grant = db.session.scalar(select(Grant).order_by(Grant.id).limit(1))
    if grant is not None:
        member = grant.organisation.memberships[0].user
        services.post_message(
            grant,
            member,
            "May we move two sessions from June to July because of the school holidays?",
            [],
            now,
            from_secretariat=False,
        )
    db.session.flush()
