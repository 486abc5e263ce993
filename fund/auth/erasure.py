"""Erasing a person: their account becomes "Former user N", and their name and e-mail address
leave every text the database holds, while the records they took part in keep their ids.

Someone with no organisation history (no membership, proposal, review, decision or staff role)
is anonymised at once. Anyone else asks, and the secretariat confirms or explains what must be
kept (a grant under audit, say). What anonymising does:

- the account: name "Former user N", an address that cannot receive mail, no usable password,
  deactivated, no second factor; its sessions, links, recovery codes, passkeys, roles, memberships
  and acceptances deleted;
- the e-mails the fund sent to the person are deleted (they hold the name and address);
- the full name and the address are replaced by "Former user N" wherever else they appear as
  whole words, in every text and JSON column of every table (audit comments and letters
  included: the audit rows stay, with their ids, actors and times);
- files the person uploaded outside any organisation are deleted once the transaction commits;
  files they uploaded for an organisation belong to it and stay, no longer linked to them.

Flushes, never commits; the caller deletes the returned files after its commit.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, cast, delete, exists, or_, select, update

from fund import audit, workflow
from fund.extensions import db
from fund.models import (
    Decision,
    DecisionApproval,
    ErasureRequest,
    ErasureState,
    LinkToken,
    LoginSession,
    Membership,
    OutgoingMessage,
    Passkey,
    PolicyAcceptance,
    Proposal,
    RecoveryCode,
    Review,
    Role,
    StoredFile,
    User,
    UserRole,
)
from fund.notifications import queue_email, users_with_role

UNUSABLE_PASSWORD = "!erased"  # no hash format: every password check fails
SKIP_TABLES = {"users", "alembic_version"}


def placeholder(user: User) -> str:
    return f"Former user {user.id}"


def history(user: User) -> bool:
    """Whether `user` took part in the fund's records, so the secretariat must look first."""
    if user.roles - {Role.APPLICANT}:
        return True
    checks = (
        exists().where(Membership.user_id == user.id),
        exists().where(or_(Proposal.created_by_id == user.id, Proposal.updated_by_id == user.id)),
        exists().where(Review.reviewer_id == user.id),
        exists().where(Decision.decided_by_id == user.id),
        exists().where(DecisionApproval.chair_id == user.id),
    )
    return bool(db.session.scalar(select(or_(*checks))))


def pending_request(user: User) -> ErasureRequest | None:
    return db.session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.user_id == user.id,
            ErasureRequest.state == ErasureState.PENDING.value,
        )
    )


def ask(user: User, now: datetime) -> ErasureRequest:
    """Queue `user`'s request for the secretariat (once) and tell the admins it waits."""
    existing = pending_request(user)
    if existing is not None:
        return existing
    request = ErasureRequest(user_id=user.id, requested_at=now)
    db.session.add(request)
    db.session.flush()
    audit.record("user", user.id, "erasure_requested", actor=user)
    for admin in users_with_role(Role.ADMIN):
        queue_email(admin, "erasure_requested", number=request.id)
    return request


def keep(request: ErasureRequest, admin: User, explanation: str, now: datetime) -> None:
    """The secretariat keeps the data, saying why (through the workflow, which records it);
    the person is told by e-mail."""
    workflow.transition(request, "keep", admin, comment=explanation, now=now)
    request.decided_by_id, request.decided_at = admin.id, now
    request.explanation = explanation.strip()
    queue_email(request.user, "erasure_kept", explanation=request.explanation)
    db.session.flush()


def confirm(request: ErasureRequest, admin: User, now: datetime) -> list[str]:
    """The secretariat confirms: the person is anonymised. Returns files to delete after commit."""
    workflow.transition(request, "erase", admin, now=now)
    request.decided_by_id, request.decided_at = admin.id, now
    return anonymise(request.user, admin, now)


def anonymise(user: User, actor: User, now: datetime, *, scrub: bool = True) -> list[str]:
    """Anonymise `user` as the module says; returns the storage names of files to delete.

    `scrub=False` skips the search of every text column: the retention schedule uses it for
    accounts never confirmed, whose name can only be in the rows deleted here."""
    name, email = user.name.strip(), user.email
    new_name = placeholder(user)
    for model, column in (
        (LoginSession, LoginSession.user_id),
        (RecoveryCode, RecoveryCode.user_id),
        (Passkey, Passkey.user_id),
        (UserRole, UserRole.user_id),
        (Membership, Membership.user_id),
        (PolicyAcceptance, PolicyAcceptance.user_id),
    ):
        db.session.execute(delete(model).where(column == user.id))
    db.session.execute(
        delete(LinkToken).where(or_(LinkToken.user_id == user.id, LinkToken.email == email))
    )
    db.session.execute(delete(OutgoingMessage).where(OutgoingMessage.recipient == email))
    personal = list(
        db.session.scalars(
            select(StoredFile).where(
                StoredFile.uploaded_by_id == user.id, StoredFile.organisation_id.is_(None)
            )
        )
    )
    files = [stored.storage_name for stored in personal]
    for stored in personal:
        db.session.delete(stored)
    db.session.execute(
        update(StoredFile).where(StoredFile.uploaded_by_id == user.id).values(uploaded_by_id=None)
    )
    user.name = new_name
    user.email = f"former-user-{user.id}@erased.invalid"
    user.password_hash = UNUSABLE_PASSWORD
    user.active = False
    user.email_verified_at = None
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    user.failed_logins, user.failed_logins_since, user.login_locked_until = 0, None, None
    user.timezone = "UTC"
    db.session.flush()
    db.session.expire(user, ["role_rows"])
    if scrub:
        scrub_texts([text for text in (name, email) if len(text) >= 2], new_name)
    audit.record("user", user.id, "anonymised", actor=actor)
    db.session.flush()
    return files


def _pattern(needles: list[str]) -> re.Pattern:
    words = sorted({re.escape(n) for n in needles} | {re.escape(_json_escaped(n)) for n in needles})
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def _json_escaped(text: str) -> str:
    return json.dumps(text)[1:-1]


def _replace(value: Any, pattern: re.Pattern, new: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(new, value)
    if isinstance(value, list):
        return [_replace(item, pattern, new) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, pattern, new) for key, item in value.items()}
    return value


def scrub_texts(needles: list[str], new: str) -> int:
    """Replace `needles` (whole words, any case) by `new` in every text and JSON column of every
    table but users; returns how many cells changed. Rows are found with one LIKE per column,
    then changed one by one in Python (JSON stays JSON, word edges are respected). Audit rows
    are changed here too, by a plain UPDATE: the ORM's append-only rule guards everyday code,
    and this is the one change the law asks of them."""
    pattern = _pattern(needles)
    likes = sorted({n for n in needles} | {_json_escaped(n) for n in needles})
    changed = 0
    for table in db.metadata.sorted_tables:
        if table.name in SKIP_TABLES or len(table.primary_key.columns) != 1:
            continue
        [key] = table.primary_key.columns
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text = cast(column, Text)
            found = or_(*[text.ilike(f"%{_like_escaped(n)}%", escape="\\") for n in likes])
            length = getattr(column.type, "length", None)
            for row_id, value in db.session.execute(select(key, column).where(found)).all():
                new_value = _replace(value, pattern, new)
                if length and isinstance(new_value, str):
                    new_value = new_value[:length]
                if new_value != value:
                    db.session.execute(
                        update(table).where(key == row_id).values({column.name: new_value})
                    )
                    changed += 1
    return changed


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
