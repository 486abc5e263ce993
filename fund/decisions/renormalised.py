"""A conflicted viewer's normalised scores, worked out once per version of a call's statistics.

A chair or reviewer with declared conflicts sees the ranking without the conflicted
organisations' proposals, and without their reviews in anyone's statistics: every reviewer's
mean and spread change, so each proposal's normalised score is worked out again from the stored
weighted scores of the visible reviews (16,000 in a big call, about 100 ms). Each refresh of a
call's statistics gives it a new version token (fund/decisions/scores.py), so the result can be
kept per call, token and set of hidden organisations until a review changes.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from threading import Lock

from fund.decisions.scores import counted_reviews, version
from fund.decisions.stats import ScoredReview, normalised, standardise
from fund.extensions import db

# Normalised scores worked out for conflicted viewers: {(call, version token, hidden): scores}.
_MEMO: OrderedDict[tuple[int, str, frozenset[int]], dict[int, float | None]] = OrderedDict()
_MEMO_SIZE = 32
_memo_lock = Lock()


def normalised_without(call_id: int, hidden: frozenset[int]) -> dict[int, float | None]:
    """Each proposal's normalised score without the hidden organisations' reviews: their
    reviews leave every reviewer's mean and spread, so each z-score is worked out again from
    the stored weighted scores of the visible reviews (16,000 in a big call).

    The result is kept per call, version token and set of hidden organisations: the token is
    new at every refresh of the call's statistics (fund/decisions/scores.py), so a chair paging
    through the ranking works it out once, and never sees it after a review changed.
    """
    connection = db.session.connection()
    token = version(connection, call_id)
    key = (call_id, token or "", hidden)
    if token is not None:
        with _memo_lock:
            if key in _MEMO:
                _MEMO.move_to_end(key)
                return _MEMO[key]
    reviews, _ = counted_reviews(connection, call_id, hidden)
    standardise(reviews)
    by_proposal: dict[int, list[ScoredReview]] = defaultdict(list)
    for review in reviews:
        by_proposal[review.proposal_id].append(review)
    scores = {pid: normalised(own) for pid, own in by_proposal.items()}
    if token is not None:
        with _memo_lock:
            _MEMO[key] = scores
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)
    return scores
