"""Automatic assignment: the suggestion (who would review what, and why), then applying it.

    suggestion = suggest(call, proposals, due_on)   # reads only; shown to the secretariat
    added = apply(suggestion, actor)                # assigns through assignment.add_reviewer's path

For each proposal the candidates are the call's pool (fund/reviews/pool.py) less those who do
not read the proposal's language (a hard rule), members of the applicant organisation, people
with a declared conflict, reviewers already on it this round, and reviewers away at some point
between today and the due date. fund/reviews/matching.py then fills as many places as can be
filled, preferring expertise (the proposal's INSPIRE strategies, its countries or their region)
and balancing load within each reviewer's maximum per call. Places left empty are explained per
proposal: nobody in the pool reads the language, or those who do are taken or excluded.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from fund import clock
from fund.extensions import db
from fund.models import Call, Conflict, Membership, Proposal, Review, User
from fund.portfolio.queries import regions as country_regions
from fund.reviews import assignment, matching, pool, profiles
from fund.reviews.services import ReviewError
from fund.strategies import strategy_label

UNLIMITED = 10**6  # the capacity of a reviewer who set no maximum per call


@dataclass
class Pick:
    """One reviewer suggested for one proposal, with the reasons shown to the secretariat."""

    reviewer: User
    reasons: list[str]


@dataclass
class Row:
    """A proposal, the places it still has, its picks and, if short, why."""

    proposal: Proposal
    needed: int
    picks: list[Pick] = field(default_factory=list)
    shortfall: str = ""


@dataclass
class Suggestion:
    call: Call
    due_on: date
    rows: list[Row]
    own_pool: bool  # False: the call has no pool, every active reviewer was drawn on

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return [(row.proposal.id, pick.reviewer.id) for row in self.rows for pick in row.picks]

    @property
    def fingerprint(self) -> str:
        """Names this exact suggestion: the page posts it back, so what is applied is what was
        shown (recomputing gives the same picks unless something changed meanwhile)."""
        text = self.due_on.isoformat() + ";" + ",".join(f"{p}:{r}" for p, r in self.pairs)
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def short_rows(self) -> list[Row]:
        return [row for row in self.rows if row.shortfall]


def _language_name(code: str) -> str:
    return current_app.config["LANGUAGES"].get(code, code)


def _taken_this_round(proposals: Sequence[Proposal]) -> dict[int, tuple[set[int], int]]:
    """Per proposal: reviewers with an assignment in its current round, and how many count."""
    ids = [p.id for p in proposals]
    rounds = dict(
        db.session.execute(
            select(Review.proposal_id, func.max(Review.round))
            .where(Review.proposal_id.in_(ids))
            .group_by(Review.proposal_id)
        ).all()
    )
    taken: dict[int, set[int]] = defaultdict(set)
    counting: Counter = Counter()
    rows = db.session.execute(
        select(Review.proposal_id, Review.reviewer_id, Review.round, Review.removed_at,
               Review.conflict_declared_at).where(Review.proposal_id.in_(ids))
    )  # fmt: skip
    for proposal_id, reviewer_id, round_, removed_at, conflicted_at in rows:
        if round_ == rounds.get(proposal_id):
            taken[proposal_id].add(reviewer_id)
            counting[proposal_id] += removed_at is None and conflicted_at is None
    return {pid: (taken[pid], counting[pid]) for pid in ids}


def _excluded_by_organisation(proposals: Sequence[Proposal]) -> dict[int, set[int]]:
    """Per organisation: its members and the people with a conflict with it."""
    org_ids = {p.organisation_id for p in proposals}
    excluded: dict[int, set[int]] = defaultdict(set)
    for org_id, user_id in db.session.execute(
        select(Membership.organisation_id, Membership.user_id).where(
            Membership.organisation_id.in_(org_ids)
        )
    ):
        excluded[org_id].add(user_id)
    for org_id, user_id in db.session.execute(
        select(Conflict.organisation_id, Conflict.user_id).where(
            Conflict.organisation_id.in_(org_ids)
        )
    ):
        excluded[org_id].add(user_id)
    return excluded


def _in_call(call: Call) -> Counter:
    """Proposals of the call each reviewer has (assignments neither removed nor conflicted)."""
    rows = db.session.execute(
        select(Review.reviewer_id, func.count(func.distinct(Review.proposal_id)))
        .join(Proposal, Proposal.id == Review.proposal_id)
        .where(
            Proposal.call_id == call.id,
            Review.removed_at.is_(None),
            Review.conflict_declared_at.is_(None),
        )
        .group_by(Review.reviewer_id)
    )
    return Counter(dict(rows.all()))


def suggest(call: Call, proposals: Sequence[Proposal], due_on: date) -> Suggestion:
    """Who would review each of `proposals` (of `call`, in review) by `due_on`, and why.

    Reads only. Raises ReviewError if a proposal is not in review or not of this call.
    """
    assignment.check_due_on(due_on)
    for proposal in proposals:
        assignment.check_open_for_assignment(proposal)
        if proposal.call_id != call.id:
            raise ReviewError(_("Choose proposals of this call."), status=400)
    proposals = sorted(proposals, key=lambda p: p.id)
    drawn = pool.pool_for(call)
    reviewers = drawn.reviewers
    found = profiles.profiles_of({r.id for r in reviewers})
    today = clock.now().date()
    loads = assignment.open_loads()
    in_call = _in_call(call)
    taken = _taken_this_round(proposals)
    excluded = _excluded_by_organisation(proposals)
    region_of = country_regions()

    reads = [profiles.languages_read(r, found.get(r.id)) for r in reviewers]
    away = [profiles.away_during(found.get(r.id), today, due_on) for r in reviewers]
    limits = [
        found[r.id].max_per_call
        if r.id in found and found[r.id].max_per_call is not None
        else UNLIMITED
        for r in reviewers
    ]
    expertise = [_expertise(found.get(r.id)) for r in reviewers]
    capacity = [max(limit - in_call[r.id], 0) for r, limit in zip(reviewers, limits, strict=True)]

    needs, costs, rows, why_not = [], [], [], []
    for proposal in proposals:
        already, counting = taken[proposal.id]
        needed = max(call.reviewers_per_proposal - counting, 0)
        shut = excluded[proposal.organisation_id] | already
        regions = {region_of.get(c) for c in proposal.countries} - {None}
        allowed, readers = {}, 0
        for j, reviewer in enumerate(reviewers):
            if proposal.language not in reads[j]:
                continue
            readers += 1
            if reviewer.id in shut or away[j] or capacity[j] == 0:
                continue
            score = _score(proposal, regions, expertise[j])
            allowed[j] = matching.MATCH_WEIGHT * (_MAX_SCORE - score)
        needs.append(needed)
        costs.append(allowed)
        rows.append(Row(proposal, needed))
        why_not.append(readers)

    solution = matching.solve(
        matching.Problem(needs, costs, capacity, [loads.get(r.id, 0) for r in reviewers])
    )
    counts = Counter(j for chosen in solution.picks for j in chosen)
    for i, row in enumerate(rows):
        proposal = row.proposal
        regions = {region_of.get(c) for c in proposal.countries} - {None}
        for j in sorted(solution.picks[i], key=lambda j: (reviewers[j].name, reviewers[j].id)):
            reasons = [_("reads %(language)s", language=_language_name(proposal.language))]
            strategies, place = expertise[j]
            for code in proposal.strategies:
                if code in strategies:
                    reasons.append(_("knows “%(strategy)s”", strategy=strategy_label(code)))
            if place & (set(proposal.countries) | regions):
                reasons.append(_("knows the country or region"))
            total = in_call[reviewers[j].id] + counts[j]
            if limits[j] < UNLIMITED:
                reasons.append(_("%(n)d of %(max)d assigned", n=total, max=limits[j]))
            else:
                reasons.append(_("%(n)d assigned in this call", n=total))
            row.picks.append(Pick(reviewers[j], reasons))
        missing = row.needed - len(row.picks)
        if missing > 0:
            row.shortfall = _shortfall(proposal, missing, why_not[i])
    return Suggestion(call, due_on, rows, drawn.own)


_MAX_SCORE = 10  # above any score: nine strategies and one place


def _expertise(profile: Any) -> tuple[set[str], set[str]]:
    """A reviewer's strategies, and its countries and regions (one set: codes never collide)."""
    if profile is None:
        return set(), set()
    return set(profile.strategies), set(profile.countries) | set(profile.regions)


def _score(proposal: Proposal, regions: set[str], expertise: tuple[set[str], set[str]]) -> int:
    strategies, place = expertise
    known = len(strategies.intersection(proposal.strategies))
    return known + (1 if place & (set(proposal.countries) | regions) else 0)


def _shortfall(proposal: Proposal, missing: int, readers: int) -> str:
    language = _language_name(proposal.language)
    if readers == 0:
        return _(
            "Nobody in the pool reads %(language)s: %(n)d place(s) left empty. Invite reviewers "
            "who read it, or assign by hand.",
            language=language,
            n=missing,
        )
    return _(
        "%(n)d place(s) left empty: the %(readers)d reviewer(s) who read %(language)s are "
        "excluded (members, conflicts, absences) or at their maximum for this call.",
        n=missing,
        readers=readers,
        language=language,
    )


def check_pairs(suggestion: Suggestion, pairs: set[tuple[int, int]]) -> None:
    """Refuse (409) picks the suggestion does not hold now: the data changed since the preview."""
    if not pairs <= set(suggestion.pairs):
        raise ReviewError(
            _("The situation changed since the suggestion was made. Look at the new one."),
            status=409,
        )


def apply(suggestion: Suggestion, actor: Any, pairs: set[tuple[int, int]] | None = None) -> int:
    """Assign the suggestion's picks (or only `pairs` of them); returns how many were made.

    Each pick goes through the same path as "Add a reviewer" (locks, checks, audit, e-mail).
    """
    wanted = set(suggestion.pairs) if pairs is None else pairs
    check_pairs(suggestion, wanted)
    proposals = [row.proposal for row in suggestion.rows]
    assignment.lock_for_assignment(proposals)
    added = 0
    for row in suggestion.rows:
        for pick in row.picks:
            if (row.proposal.id, pick.reviewer.id) in wanted:
                added += assignment.add_reviewer_locked(
                    row.proposal, pick.reviewer, suggestion.due_on, actor
                )
    return added
