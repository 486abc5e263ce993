"""Reviewer profiles: saved by the reviewer, read by the secretariat and by matching.

A reviewer who has not said which languages it reads is taken to read the language of its
account (the one its pages and e-mail are in), so nobody is ever given a proposal in a language
it has not chosen one way or the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from fund import audit, clock
from fund.extensions import db
from fund.models import ReviewerProfile, User
from fund.reviews.services import ReviewError


@dataclass(frozen=True)
class ProfileData:
    """What the reviewer states; dates as (first day, last day) pairs."""

    languages: list[str]
    strategies: list[str]
    countries: list[str]
    regions: list[str]
    max_per_call: int | None
    unavailable: list[tuple[date, date]]


def profile_of(user: User) -> ReviewerProfile | None:
    return db.session.get(ReviewerProfile, user.id)


def profiles_of(user_ids: set[int]) -> dict[int, ReviewerProfile]:
    """The profiles of these users, in one query."""
    if not user_ids:
        return {}
    rows = db.session.scalars(select(ReviewerProfile).where(ReviewerProfile.user_id.in_(user_ids)))
    return {row.user_id: row for row in rows}


def languages_read(user: User, profile: ReviewerProfile | None) -> set[str]:
    """The languages `user` reads: its profile's, or else its account's language."""
    if profile is not None and profile.languages:
        return set(profile.languages)
    return {user.locale or "en"}


def unavailable_periods(profile: ReviewerProfile | None) -> list[tuple[date, date]]:
    if profile is None:
        return []
    return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in profile.unavailable]


def away_during(profile: ReviewerProfile | None, first: date, last: date) -> bool:
    """Whether one of the reviewer's absences overlaps the days first..last."""
    return any(a <= last and first <= b for a, b in unavailable_periods(profile))


def save_profile(user: User, data: ProfileData, actor: User) -> ReviewerProfile:
    """Create or replace `user`'s profile; an absence must end on or after its first day."""
    for first, last in data.unavailable:
        if last < first:
            raise ReviewError(
                _("An absence must end on or after its first day."), fields={"unavailable": True}
            )
    if not data.languages:
        raise ReviewError(
            _("Choose at least one language you can review in."), fields={"languages": True}
        )
    profile = profile_of(user) or ReviewerProfile(user_id=user.id)
    profile.languages = list(dict.fromkeys(data.languages))
    profile.strategies = list(dict.fromkeys(data.strategies))
    profile.countries = list(dict.fromkeys(data.countries))
    profile.regions = list(dict.fromkeys(data.regions))
    profile.max_per_call = data.max_per_call
    profile.unavailable = [[a.isoformat(), b.isoformat()] for a, b in sorted(data.unavailable)]
    profile.updated_at = clock.now()
    db.session.add(profile)
    db.session.flush()
    audit.record("reviewer_profile", user.id, "save_profile", actor=actor)
    return profile
