"""A call's screening list as a table for download (CSV or XLSX), as filtered on the page."""

from __future__ import annotations

from flask_babel import gettext as _

from fund.forms_def.definition import answerable
from fund.forms_def.display import answer_text
from fund.forms_def.localise import local_form
from fund.models import Call, Proposal
from fund.reviews.queries import reviewer_counts
from fund.workflow import state_label


def screening_header(call: Call) -> list[str]:
    """The column titles: the typed fields, then one per other question of the form (its
    label), in the form's order."""
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
        # in the reader's language, as the other columns are (the call's translations)
        *(q["label"] for q in answerable(local_form(call))),
    ]


def screening_rows(call: Call, proposals: list[Proposal]) -> list[list[object]]:
    """One line per proposal, with its reviewers assigned and reviews in (one more query)."""
    counts = reviewer_counts([p.id for p in proposals])
    rows = []
    own = list(answerable(local_form(call)))  # a choice reads as the header's language
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
