"""The privacy notice and the reviewers' confidentiality undertaking: which version is current,
its words in the reader's language, who has accepted it, and publishing a new version.

Before the secretariat publishes a version, the app's own text is version 0 (its words are in
fund/templates/policies/, translated like every other page). A published version is never
edited: the next one gets the next number, and a new privacy notice asks everyone signed in to
accept it again. Flushes, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from fund import audit
from fund.extensions import db
from fund.models import PolicyAcceptance, PolicyKind, PolicyVersion

MAX_TEXT = 50_000


@dataclass(frozen=True)
class PolicyText:
    """What a reader is shown: the version, its paragraphs in their language (None for the
    app's own text, version 0), and whether another language stood in for theirs."""

    kind: PolicyKind
    number: int
    paragraphs: list[str] | None
    language: str | None
    fallback: bool
    published_at: datetime | None


def latest(kind: PolicyKind) -> PolicyVersion | None:
    """The newest published version of `kind`, or None while the app's own text stands."""
    return db.session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.kind == kind.value)
        .order_by(PolicyVersion.number.desc())
        .limit(1)
    )


def current_number(kind: PolicyKind) -> int:
    """The number of the version in force (0: the app's own text)."""
    return db.session.scalar(
        select(func.coalesce(func.max(PolicyVersion.number), 0)).where(
            PolicyVersion.kind == kind.value
        )
    )


def paragraphs(text: str) -> list[str]:
    """A plain text's paragraphs: blocks separated by a blank line."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]


def text_for(kind: PolicyKind, language: str) -> PolicyText:
    """The version in force, in `language` if given in it, else in English, else the first
    language it has."""
    version = latest(kind)
    if version is None:
        return PolicyText(kind, 0, None, None, False, None)
    texts = {code: text for code, text in (version.texts or {}).items() if text.strip()}
    chosen = language if language in texts else "en" if "en" in texts else next(iter(texts))
    return PolicyText(
        kind,
        version.number,
        paragraphs(texts[chosen]),
        chosen,
        chosen != language,
        version.published_at,
    )


def has_accepted(user: Any, kind: PolicyKind, number: int | None = None) -> bool:
    """Whether `user` accepted version `number` (by default the one in force) or a later one."""
    number = current_number(kind) if number is None else number
    return (
        db.session.scalar(
            select(PolicyAcceptance.id)
            .where(
                PolicyAcceptance.user_id == user.id,
                PolicyAcceptance.kind == kind.value,
                PolicyAcceptance.number >= number,
            )
            .limit(1)
        )
        is not None
    )


def privacy_due(user_id: Any) -> Any:
    """A SQL condition: a privacy notice was published since user `user_id` (a column or a
    number) last accepted one. The sign-in query reads it with the user (fund/auth/sessions.py),
    so a page asks no more queries for it."""
    kind = PolicyKind.PRIVACY.value
    current = (
        select(func.coalesce(func.max(PolicyVersion.number), 0))
        .where(PolicyVersion.kind == kind)
        .scalar_subquery()
    )
    accepted = (  # version 0, the app's own text, was accepted by registering
        select(func.coalesce(func.max(PolicyAcceptance.number), 0))
        .where(PolicyAcceptance.user_id == user_id, PolicyAcceptance.kind == kind)
        .scalar_subquery()
    )
    return current > accepted


def must_accept_privacy(user: Any) -> bool:
    """Whether a signed-in `user` is asked to accept a privacy notice published since they last
    accepted one (the app's own text, version 0, was accepted by registering): as the sign-in
    query found it, or else asked now."""
    if user.privacy_due is not None:
        return user.privacy_due
    number = current_number(PolicyKind.PRIVACY)
    return number > 0 and not has_accepted(user, PolicyKind.PRIVACY, number)


def accept(user: Any, kind: PolicyKind, number: int, now: datetime) -> None:
    """Record that `user` accepted version `number` of `kind` (once)."""
    if has_accepted(user, kind, number):
        return
    db.session.add(
        PolicyAcceptance(user_id=user.id, kind=kind.value, number=number, accepted_at=now)
    )
    audit.record("user", user.id, f"accepted_{kind.value}", actor=user, comment=f"v{number}")
    db.session.flush()
    if kind is PolicyKind.PRIVACY:
        user.privacy_due = None  # what the sign-in query read no longer holds


def publish(kind: PolicyKind, texts: dict[str, str], actor: Any, now: datetime) -> PolicyVersion:
    """Publish the next version of `kind` with `texts` (language code → text; English is
    required, the other configured languages optional)."""
    languages = set(current_app.config["LANGUAGES"])
    texts = {code: text.strip() for code, text in texts.items() if code in languages}
    if not texts.get("en"):
        raise ValueError("the English text is required")
    version = PolicyVersion(
        kind=kind.value,
        number=current_number(kind) + 1,
        texts={code: text for code, text in texts.items() if text},
        published_at=now,
        published_by_id=actor.id,
    )
    db.session.add(version)
    db.session.flush()
    audit.record(
        "policy", version.id, f"published_{kind.value}", actor=actor, comment=f"v{version.number}"
    )
    accept(actor, kind, version.number, now)  # who wrote it is not asked to accept it
    return version
