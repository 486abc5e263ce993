"""Everything the fund holds about one person, as a ZIP they download from their profile: a
README, `data.json` (its shape is fund/data/personal_data.schema.json) and the files they
uploaded.

The rows are read in a fixed number of queries, before the download starts; the ZIP is then
written as it is sent, file by file in 64 KB pieces, so a person with many large uploads never
makes the server hold them in memory. Organisations' own records (a proposal's full text, a
grant) are named, not copied: they belong to the organisation, whose members read them in the
app.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app, render_template
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from fund import storage
from fund.extensions import db
from fund.models import (
    AuditEvent,
    Conflict,
    Decision,
    DecisionApproval,
    LoginSession,
    Membership,
    OutgoingMessage,
    Passkey,
    ProgressReport,
    Proposal,
    Review,
    StoredFile,
    User,
)

FORMAT = "inspire-fund-personal-data"
VERSION = 1


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _all(query) -> list:
    return list(db.session.scalars(query))


def collect(user: User, now: datetime) -> dict[str, Any]:
    """The data of `user`, in the documented shape; every list oldest first."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "language": user.locale,
            "time_zone": user.timezone,
            "email_confirmed_at": _when(user.email_verified_at),
            "active": user.active,
            "created_at": _when(user.created_at),
            "roles": [
                {"role": row.role, "granted_at": _when(row.granted_at)}
                for row in sorted(user.role_rows, key=lambda r: r.granted_at)
            ],
            "two_factor_enabled_at": _when(user.totp_enabled_at),
            # Names and dates only: the keys themselves open the account.
            "passkeys": [
                {
                    "name": key.name,
                    "created_at": _when(key.created_at),
                    "last_used_at": _when(key.last_used_at),
                }
                for key in _all(
                    select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)
                )
            ],
        },
        "sign_ins": [
            {
                "started_at": _when(row.created_at),
                "expires_at": _when(row.expires_at),
                "ip_address": row.ip_address,
                "browser": row.user_agent,
            }
            for row in _all(
                select(LoginSession)
                .where(LoginSession.user_id == user.id)
                .order_by(LoginSession.created_at)
            )
        ],
        "memberships": [
            {
                "organisation_id": m.organisation_id,
                "organisation": m.organisation.name,
                "joined_at": _when(m.joined_at),
            }
            for m in _all(
                select(Membership)
                .options(selectinload(Membership.organisation))
                .where(Membership.user_id == user.id)
                .order_by(Membership.joined_at)
            )
        ],
        "proposals_written": [
            {
                "reference": p.reference,
                "title": p.title,
                "state": p.state,
                "created_by_you": p.created_by_id == user.id,
                "last_saved_by_you": p.updated_by_id == user.id,
                "created_at": _when(p.created_at),
            }
            for p in _all(
                select(Proposal)
                .where(or_(Proposal.created_by_id == user.id, Proposal.updated_by_id == user.id))
                .order_by(Proposal.created_at, Proposal.id)
            )
        ],
        "reports_last_saved": [
            {"report_id": r.id, "grant_id": r.grant_id, "kind": r.kind, "due_on": _when(r.due_on)}
            for r in _all(
                select(ProgressReport)
                .where(ProgressReport.updated_by_id == user.id)
                .order_by(ProgressReport.due_on, ProgressReport.id)
            )
        ],
        "reviews": [_review(r) for r in _reviews(user)],
        "conflicts_declared": [
            {
                "organisation_id": c.organisation_id,
                "proposal_id": c.proposal_id,
                "reason": c.reason,
                "declared_at": _when(c.declared_at),
            }
            for c in _all(
                select(Conflict).where(Conflict.user_id == user.id).order_by(Conflict.declared_at)
            )
        ],
        "decisions": [
            {
                "proposal_id": d.proposal_id,
                "outcome": d.outcome,
                "amount": _amount(d.amount),
                "reasons": d.reasons,
                "decided_at": _when(d.decided_at),
            }
            for d in _all(
                select(Decision)
                .where(Decision.decided_by_id == user.id)
                .order_by(Decision.decided_at)
            )
        ],
        "award_approvals": [
            {
                "proposal_id": a.proposal_id,
                "amount": _amount(a.amount),
                "comment": a.comment,
                "approved_at": _when(a.approved_at),
            }
            for a in _all(
                select(DecisionApproval)
                .where(DecisionApproval.chair_id == user.id)
                .order_by(DecisionApproval.approved_at)
            )
        ],
        "activity": [
            {
                "at": _when(e.created_at),
                "subject": e.subject_type,
                "subject_id": e.subject_id,
                "action": e.action,
                "by_you": e.actor_id == user.id,
                "comment": e.comment,
            }
            for e in _all(
                select(AuditEvent)
                .where(
                    or_(
                        AuditEvent.actor_id == user.id,
                        (AuditEvent.subject_type == "user") & (AuditEvent.subject_id == user.id),
                    )
                )
                .order_by(AuditEvent.created_at, AuditEvent.id)
            )
        ],
        "emails": [
            {
                "created_at": _when(m.created_at),
                "subject": m.subject,
                "status": m.status,
                "text": m.body_text,
            }
            for m in _all(
                select(OutgoingMessage)
                .where(OutgoingMessage.recipient == user.email)
                .order_by(OutgoingMessage.created_at, OutgoingMessage.id)
            )
        ],
        "files": [
            {
                "name": f.original_name,
                "in_zip": _zip_name(f),
                "content_type": f.content_type,
                "size": f.size,
                "sha256": f.sha256,
                "uploaded_at": _when(f.uploaded_at),
            }
            for f in uploads(user)
        ],
    }


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _reviews(user: User) -> list[Review]:
    return _all(
        select(Review)
        .options(selectinload(Review.scores), selectinload(Review.proposal))
        .where(Review.reviewer_id == user.id)
        .order_by(Review.assigned_at, Review.id)
    )


def _review(review: Review) -> dict[str, Any]:
    return {
        "proposal": review.proposal.reference,
        "round": review.round,
        "assigned_at": _when(review.assigned_at),
        "submitted_at": _when(review.submitted_at),
        "recommendation": review.recommendation,
        "comments_for_applicant": review.comments_for_applicant,
        "confidential_comments": review.confidential_comments,
        "scores": [
            {"criterion_id": s.criterion_id, "score": s.score}
            for s in sorted(review.scores, key=lambda s: s.criterion_id)
        ],
    }


def uploads(user: User) -> list[StoredFile]:
    """The files `user` uploaded, oldest first."""
    return _all(
        select(StoredFile)
        .where(StoredFile.uploaded_by_id == user.id)
        .order_by(StoredFile.uploaded_at, StoredFile.id)
    )


def _zip_name(stored: StoredFile) -> str:
    # The id keeps two uploads of "budget.pdf" apart; the name was cleaned at upload.
    return f"files/{stored.id}-{stored.original_name}"


class _Pipe(io.RawIOBase):
    """Where the ZIP writer writes; the generator hands each piece on as soon as it is made."""

    def __init__(self) -> None:
        self._pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._pieces.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        piece = b"".join(self._pieces)
        self._pieces.clear()
        return piece


def file_entries(files: list[StoredFile]) -> list[tuple[str, str]]:
    """(storage name, name in the ZIP) of each file: plain values, read before the view commits
    (a commit expires the rows, and reading them again would cost a query each)."""
    return [(stored.storage_name, _zip_name(stored)) for stored in files]


def zip_stream(data: dict[str, Any], files: list[tuple[str, str]]) -> Iterator[bytes]:
    """The ZIP of `data` and `files` (from `file_entries`), piece by piece, inside the
    request's context."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", render_template("auth/personal_data_readme.txt", data=data))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        yield pipe.take()
        for storage_name, in_zip in files:
            try:
                opened = storage.open_stored(storage_name)
            except storage.StorageUnavailable as error:  # the ZIP has started: go on without it
                current_app.logger.error("personal data: %s unreadable: %s", in_zip, error)
                continue
            if opened is None:  # the row outlived its bytes; data.json still lists it
                current_app.logger.error("personal data: %s is missing from storage", in_zip)
                continue
            try:
                with archive.open(in_zip, "w") as target:
                    for piece in opened.chunks:
                        target.write(piece)
                        yield pipe.take()
            finally:  # also when the download is abandoned midway
                opened.chunks.close()
            yield pipe.take()
    yield pipe.take()
