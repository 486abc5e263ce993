"""A call's screening list as a table for download (CSV or XLSX), as filtered on the page."""

from __future__ import annotations

from flask_babel import gettext as _

from fund.forms_def.definition import questions
from fund.forms_def.display import answer_text
from fund.models import Call, Proposal
from fund.reviews.queries import reviewer_counts
from fund.workflow import state_label


def screening_header(call: Call) -> list[str]:
    """The column titles: the fixed ones, then one per question of the call's own (its label)."""
    return [
        _("Reference"),
        _("Title"),
        _("Organisation"),
        _("Country"),
        _("Strategies"),
        _("Amount requested"),
        _("Currency"),
        _("Submitted"),
        _("State"),
        _("Reviewers assigned"),
        _("Reviews submitted"),
        *(q["label"] for q in questions(call.proposal_form)),
    ]


def screening_rows(call: Call, proposals: list[Proposal]) -> list[list[object]]:
    """One line per proposal, with its reviewers assigned and reviews in (one more query)."""
    counts = reviewer_counts([p.id for p in proposals])
    rows = []
    own = list(questions(call.proposal_form))
    for p in proposals:
        assigned, done = counts.get(p.id, (0, 0))
        rows.append(
            [
                p.reference,
                p.title,
                p.organisation.name,
                p.organisation.country_code,
                " ".join(p.strategies or []),
                p.amount_requested,
                call.currency,
                p.submitted_at,
                state_label(p.state),
                assigned,
                done,
                # keyed by question id: a relabelled question keeps its answers
                *(answer_text(q, (p.answers or {}).get(q["id"]), call.currency) for q in own),
            ]
        )
    return rows
