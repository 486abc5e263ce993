"""Events -> recipients -> localized e-mail in the outbox. Sending is in fund/outbox.py.

Messages are rows added to the caller's transaction: if the transaction rolls back, no mail
goes; if it commits, the mail is sent afterwards and retried until it is.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from sqlalchemy import select

from fund import permissions
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import Membership, OutgoingMessage, Role, User, UserRole

SUBJECTS = {
    "pool_invitation": _l("You are invited to review for %(call_title)s"),
    "verify_email": _l("Confirm your e-mail address"),
    "reset_password": _l("Choose a new password"),
    "password_changed": _l("Your password was changed"),
    "erasure_requested": _l("A request to erase an account waits for you"),
    "erasure_kept": _l("About your request to erase your account"),
    "concern_received": _l("Your safeguarding concern was received"),
    "concern_reported": _l("A safeguarding concern was reported"),
    "two_factor_reset": _l("Two-factor sign-in was removed from your account"),
    "login_locked": _l("Logging in to your account is paused after wrong passwords"),
    "register_existing": _l("You already have an INSPIRE Fund account"),
    "invitation": _l("You are invited to join %(organisation)s"),
    "proposal_submitted": _l("Proposal %(reference)s received"),
    "proposal_withdrawn": _l("Proposal %(reference)s withdrawn"),
    "proposal_screened_out": _l("Proposal %(reference)s is not eligible"),
    "concept_submitted": _l("Concept note %(reference)s received"),
    "review_assigned": _l("Please review proposal %(reference)s by %(due)s"),
    "review_removed": _l("You no longer need to review proposal %(reference)s"),
    "review_new_round": _l("Proposal %(reference)s was revised: please review it again"),
    "review_due_soon": _l("Reminder: your review of %(reference)s is due on %(due)s"),
    "review_overdue": _l("Your review of %(reference)s was due on %(due)s"),
    "conflict_declared": _l("Conflict of interest declared on %(reference)s"),
    "reviews_complete": _l("All reviews of proposal %(reference)s are in"),
    # grants and progress reports (fund/grants/)
    "grant_agreement_accepted": _l("Grant %(reference)s: the agreement is accepted"),
    "grant_cancelled": _l("Grant %(reference)s is cancelled"),
    "grant_suspended": _l("Grant %(reference)s is suspended"),
    "grant_reinstated": _l("Grant %(reference)s is reinstated"),
    "grant_closed": _l("Grant %(reference)s is closed"),
    "grant_payment_recorded": _l("Grant %(reference)s: payment of %(amount)s sent"),
    "grant_amendment_requested": _l("Grant %(reference)s: an amendment waits for approval"),
    "grant_amendment_approved": _l("Grant %(reference)s: the amendment is approved"),
    "grant_amendment_declined": _l("Grant %(reference)s: the amendment is declined"),
    "bank_details_changed": _l("The bank details of %(organisation)s were changed"),
    "payment_waiting": _l("Grant %(reference)s: a payment of %(amount)s waits for your approval"),
    "report_submitted": _l("Grant %(reference)s: %(kind)s submitted"),
    "report_accepted": _l("Grant %(reference)s: your %(kind)s is accepted"),
    "report_changes_requested": _l("Grant %(reference)s: changes requested to your %(kind)s"),
    "broadcast": "%(headline)s",  # the secretariat's own words, in the recipient's language
    "draft_reminder": _l("Reminder: %(call_title)s closes on %(deadline)s"),
    "report_due_soon": _l("Reminder: your %(kind)s for %(reference)s is due on %(due)s"),
    "report_due_today": _l("Your %(kind)s for %(reference)s is due on %(due)s"),
    "report_overdue": _l("Your %(kind)s for %(reference)s was due on %(due)s"),
    "report_overdue_digest": _l("Overdue progress reports: %(count)d"),
    # message threads (fund/messages/)
    "message_to_applicant": _l("%(reference)s: a new message from the INSPIRE Fund"),
    "message_to_secretariat": _l("%(reference)s: a new message from %(organisation)s"),
    "information_requested": _l("%(reference)s: please answer our question by %(due)s"),
    "information_sent": _l("%(reference)s: %(organisation)s sent its answer"),
}


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for e-mail, built on PUBLIC_URL rather than the request's Host header."""
    adapter = current_app.url_map.bind("localhost")
    return current_app.config["PUBLIC_URL"].rstrip("/") + adapter.build(endpoint, values)


def queue_email(
    recipient: User | str,
    event: str,
    *,
    locale: str | None = None,
    dedupe_key: str | None = None,
    **context: Any,
) -> OutgoingMessage | None:
    """Render `event`'s templates in the recipient's language and add the message to the outbox.

    With a `dedupe_key` the message is queued at most once, ever; a repeat returns None.
    """
    if dedupe_key and db.session.scalar(
        select(OutgoingMessage.id).where(OutgoingMessage.dedupe_key == dedupe_key)
    ):
        return None
    address = recipient.email if isinstance(recipient, User) else recipient
    locale = locale or (recipient.locale if isinstance(recipient, User) else None) or "en"
    context.setdefault("recipient", recipient if isinstance(recipient, User) else None)
    with force_locale(locale):
        subject = str(SUBJECTS[event]) % context
        body_text = render_template(f"email/{event}.txt", subject=subject, **context)
        body_html = render_template(f"email/{event}.html", subject=subject, **context)
    message = OutgoingMessage(
        recipient=address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        event=event,
        dedupe_key=dedupe_key,
    )
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault("outbox", []).append(message.id)
    return message


def organisation_members(organisation_id: int) -> list[User]:
    """The active members of an organisation, who receive its mail."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation_id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def users_with_role(role: Role) -> list[User]:
    """The active users holding `role` (the secretariat, the chairs), who receive its mail."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role.value, User.active.is_(True))
            .order_by(User.id)
        )
    )


def payment_approvers(excluding_id: int) -> list[User]:
    """The active people who may approve a payment recorded by user `excluding_id`: holders of
    the roles PAYMENT_APPROVER_ROLES names, never the person who recorded it."""
    roles = [role.value for role in permissions.payment_approver_roles()]
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.active.is_(True),
                User.id != excluding_id,
                select(UserRole.user_id)
                .where(UserRole.user_id == User.id, UserRole.role.in_(roles))
                .exists(),
            )
            .order_by(User.id)
        )
    )


# Which transitions tell the applicant organisation, and with which template. Transitions not
# listed here send nothing by themselves (decision letters and grant mail have their own).
TRANSITION_EVENTS = {
    ("proposal", "submit"): "proposal_submitted",
    ("proposal", "withdraw"): "proposal_withdrawn",
    ("proposal", "screen_out"): "proposal_screened_out",
    ("proposal", "submit_concept"): "concept_submitted",
}


def state_changed(subject_type: str, subject: Any, transition: Any, actor: Any, comment: str):
    """Queue the mail a transition sends, if any."""
    event = TRANSITION_EVENTS.get((subject_type, transition.action))
    if event is None:
        return
    for member in organisation_members(subject.organisation_id):
        queue_email(
            member,
            event,
            subject_obj=subject,
            reference=getattr(subject, "reference", None) or f"#{subject.id}",
            comment=comment,
            actor=actor,
        )


def message_posted(message: Any, link: str) -> None:
    """Tell the other side of a thread that `message` was written, each in their language, with
    `link` to read and reply in the app: the organisation's members for the secretariat's
    messages, the secretariat (every active admin) for the organisation's."""
    subject = message.subject
    organisation = subject.organisation
    context = {
        "reference": subject.reference or f"#{subject.id}",
        "organisation": organisation.name,
        "message": message,
        "link": link,
    }
    if message.from_secretariat:
        for member in organisation_members(subject.organisation_id):
            queue_email(member, "message_to_applicant", **context)
    else:
        for admin in users_with_role(Role.ADMIN):
            queue_email(admin, "message_to_secretariat", **context)


def information_requested(proposal: Any, question: str, due_on: Any, link: str) -> None:
    """Send the secretariat's question to the organisation's members, each in their language,
    with the date the answer is due written the way their language writes dates."""
    for member in organisation_members(proposal.organisation_id):
        with force_locale(member.locale or "en"):
            due = format_date(due_on, "medium")
        queue_email(
            member,
            "information_requested",
            reference=proposal.reference or f"#{proposal.id}",
            question=question,
            due=due,
            link=link,
        )


def information_sent(proposal: Any) -> None:
    """Tell the secretariat that the organisation sent its proposal back with the answer."""
    for admin in users_with_role(Role.ADMIN):
        queue_email(
            admin,
            "information_sent",
            reference=proposal.reference or f"#{proposal.id}",
            organisation=proposal.organisation.name,
            link=public_url("proposals.detail", proposal_id=proposal.id) + "#messages",
        )
