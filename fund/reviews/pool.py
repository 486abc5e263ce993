"""A call's reviewer pool: the secretariat invites reviewers, each accepts or declines by a
signed link in its e-mail (the answer is a transition of fund/workflow/pool.py).

Until anyone is invited, a call has no pool of its own and automatic assignment draws on every
active reviewer, as before pools existed; the pool page says so. Once someone is invited, only
those who accepted are drawn on.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from fund import audit, clock, workflow
from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.i18n import lazy_pgettext as _lp
from fund.models import Call, PoolMember, PoolState, Role, User, UserRole
from fund.notifications import public_url, queue_email
from fund.reviews.services import ReviewError

POOL_STATE_LABELS = {
    PoolState.INVITED: _l("invited, no answer yet"),
    PoolState.ACCEPTED: _lp("invitation", "accepted"),
    PoolState.DECLINED: _lp("invitation", "declined"),
}


def pool_state_label(state: str) -> str:
    """An invitation's state as people read it (the words differ from a proposal's)."""
    return str(POOL_STATE_LABELS.get(state, state))


# An invitation link works for this long; the secretariat invites again after that.
LINK_MAX_AGE_DAYS = 30
SALT = "reviewer-pool-invitation"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def answer_token(member: PoolMember) -> str:
    """The signed part of the link that answers `member`'s invitation."""
    return _serializer().dumps({"m": member.id, "u": member.user_id})


def member_for_token(token: str) -> PoolMember:
    """The invitation a link answers, or ReviewError (404) saying what is wrong with the link."""
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE_DAYS * 86400)
    except SignatureExpired:
        raise ReviewError(
            _("This link has expired. Ask the secretariat for a new invitation."), status=404
        ) from None
    except BadSignature:
        raise ReviewError(
            _("This link is not valid. Check that you copied all of it."), status=404
        ) from None
    member = db.session.get(PoolMember, data.get("m")) if isinstance(data, dict) else None
    if member is None or member.user_id != data.get("u"):
        raise ReviewError(_("This invitation no longer exists."), status=404)
    return member


def active_reviewers() -> list[User]:
    """Every active user holding the reviewer role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.REVIEWER.value, User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def members(call: Call) -> list[PoolMember]:
    """The call's invitations with their reviewers, by name, in one query."""
    return list(
        db.session.scalars(
            select(PoolMember)
            .join(User, User.id == PoolMember.user_id)
            .options(contains_eager(PoolMember.user))
            .where(PoolMember.call_id == call.id)
            .order_by(User.name, User.id)
        )
    )


@dataclass(frozen=True)
class Pool:
    """Whom automatic assignment draws on, and whether that is the call's own pool."""

    reviewers: list[User]
    own: bool  # False: nobody was invited, so every active reviewer


def pool_for(call: Call) -> Pool:
    """The accepted members of the call's pool, or every active reviewer if it has none."""
    invited = members(call)
    if not invited:
        return Pool(active_reviewers(), own=False)
    accepted = [m.user for m in invited if m.state == PoolState.ACCEPTED and m.user.active]
    return Pool(accepted, own=True)


def invite(call: Call, reviewer: User, actor: User) -> PoolMember:
    """Invite an active reviewer to the call's pool and send it the link to answer."""
    if not reviewer.active or Role.REVIEWER not in reviewer.roles:
        raise ReviewError(_("%(name)s is not an active reviewer.", name=reviewer.name))
    existing = db.session.scalar(
        select(PoolMember).where(PoolMember.call_id == call.id, PoolMember.user_id == reviewer.id)
    )
    if existing is not None:
        raise ReviewError(
            _("%(name)s has already been invited to this pool.", name=reviewer.name), status=409
        )
    member = PoolMember(
        call_id=call.id, user_id=reviewer.id, invited_by_id=actor.id, invited_at=clock.now()
    )
    db.session.add(member)
    db.session.flush()
    audit.record("pool_member", member.id, "invite", actor=actor, comment=reviewer.name)
    queue_email(
        reviewer,
        "pool_invitation",
        call=call,
        call_title=call.title,
        link=public_url("pool.answer", token=answer_token(member)),
        days=LINK_MAX_AGE_DAYS,
    )
    return member


def answer(member: PoolMember, action: str, actor: User) -> None:
    """The invited reviewer accepts or declines (raises workflow.TransitionRefused otherwise)."""
    workflow.transition(member, action, actor)
