"""The forms a call defines with the question builder, and what each one is for.

Every kind is a definition in the same format (fund/forms_def/), kept in its own column of the
call: the proposal form, the report form grantees fill in, and the concept-note form of a
two-stage call. The builder, the lock and the copying of a call work the same for each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select

from fund.calls import queries
from fund.extensions import db
from fund.forms_def.schema import CORE_FIELDS
from fund.i18n import lazy_gettext as _l
from fund.models import Call, Grant, Proposal
from fund.models.report import ProgressReport


def _reports_submitted(call: Call) -> bool:
    """Whether a grantee of the call has submitted a report."""
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(ProgressReport.submitted_at.is_not(None))
                .where(ProgressReport.grant_id == Grant.id)
                .where(Grant.proposal_id == Proposal.id)
                .where(Proposal.call_id == call.id)
            )
        )
    )


@dataclass(frozen=True)
class FormKind:
    """One form of a call: the column that keeps its definition, its names on the pages, and
    when answers exist that a change could invalidate."""

    name: str
    column: str
    title: Any  # a lazy string: "Proposal form"
    heading: Any  # "Proposal questions of %(title)s"
    intro: Any
    has_answers: Callable[[Call], bool]
    core_fields: tuple[str, ...] = ()  # the typed fields the form must ask, each once

    def definition(self, call: Call) -> dict:
        """The stored definition (as saved; load it with forms_def.definition.load)."""
        return getattr(call, self.column) or {}

    def store(self, call: Call, definition: dict) -> None:
        setattr(call, self.column, definition)


KINDS: dict[str, FormKind] = {
    kind.name: kind
    for kind in (
        FormKind(
            "proposal",
            "proposal_form",
            _l("Proposal questions"),
            _l("Proposal questions of %(title)s"),
            _l(
                "Applicants answer these questions in this order. The fixed questions (title, "
                "summary, strategies, countries, dates, budget, safeguarding and attachments) "
                "can be re-labelled and moved, not removed."
            ),
            queries.has_submissions,
            CORE_FIELDS,
        ),
        FormKind(
            "report",
            "report_form",
            _l("Report questions"),
            _l("Report questions of %(title)s"),
            _l(
                "Grantees answer these questions in each progress and final report, after the "
                "period, the people reached, the spending and the attachments."
            ),
            _reports_submitted,
        ),
        FormKind(
            "concept",
            "concept_form",
            _l("Concept-note questions"),
            _l("Concept-note questions of %(title)s"),
            _l(
                "In a two-stage call, organisations answer these questions in their concept "
                "note; those shortlisted then answer the proposal form."
            ),
            queries.has_concept_submissions,
        ),
    )
}
