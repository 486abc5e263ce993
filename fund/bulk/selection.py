"""Which rows a bulk action covers: the ticked ids, or every row matching the list's filters.
The rows are proposals of one call (screening list, ranking) or grants (the grants list).

"All matching" travels as the filters, never as ids, and is resolved again on every request,
so the confirmation and the action both see the list as it is now. Either way the rows are
bounded (MAX_ROWS) and must belong to the call (if any) and to the list the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from fund import permissions
from fund.decisions import ranking as ranking_queries
from fund.extensions import db
from fund.grants import queries as grant_queries
from fund.grants.forms import GrantFilterForm
from fund.models import CONCEPT_STAGE_STATES, Call, Proposal, ProposalState
from fund.numbers import parse_id
from fund.reviews import queries as screening_queries
from fund.reviews.forms import ScreeningFilterForm

MAX_ROWS = 1000  # one request stays bounded: a bigger choice is narrowed by the filters first
LISTS = ("screening", "ranking", "grants")


class BadSelection(Exception):
    """The choice of rows cannot be used; the message says why (answered with a 400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Selection:
    """The rows chosen on one list (of one call, except the grants list), and what to send again
    to choose them again."""

    list_name: str
    call: Call | None
    rows: list[Any]  # Proposal, or Grant on the grants list
    all_matching: bool
    carried: list[tuple[str, str]] = field(default_factory=list)


def _ids(values: list[str], invalid: str | None = None) -> list[int]:
    ids: list[int] = []
    for value in values:
        number = parse_id(value)  # an id a column can hold (PostgreSQL's integer), or None
        if number is None:
            raise BadSelection(
                invalid or _("The choice of proposals is not valid. Reload the list.")
            )
        if number not in ids:
            ids.append(number)
    return ids


def _too_many() -> BadSelection:
    return BadSelection(
        _(
            "At most %(max)d proposals can be handled at once. Narrow the list with its "
            "filters first.",
            max=MAX_ROWS,
        )
    )


def _screening_filters(args: Any) -> dict[str, str]:
    form = ScreeningFilterForm(args, states=screening_queries.LISTED_STATES)
    if not form.validate():
        raise BadSelection(_("The list's filters are not valid. Reload the list."))
    return {
        "country": form.country.data or "",
        "strategy": form.strategy.data or "",
        "state": form.state.data or "",
    }


def _matching_ids(list_name: str, call: Call, viewer: Any, args: Any) -> tuple[list[int], dict]:
    """The ids of every row the list shows with the filters in `args`, in the list's order."""
    if list_name == "screening":
        filters = _screening_filters(args)
        query = screening_queries.screening_query(call, **filters).with_only_columns(Proposal.id)
        return list(db.session.scalars(query.limit(MAX_ROWS + 1))), filters
    filters = ranking_queries.Filters.from_args(args)
    return ranking_queries.ranked_ids(call, viewer, filters), filters.as_args()


def _in_list(list_name: str, viewer: Any):
    """The conditions a proposal meets to be a row of the list `viewer` sees."""
    states = [s.value for s in screening_queries.LISTED_STATES]
    conditions = [Proposal.state.in_(states)]
    if list_name == "ranking":
        conditions.append(Proposal.state.not_in(CONCEPT_STAGE_STATES))
        conditions.append(Proposal.state != ProposalState.DRAFT)
        hidden = permissions.organisations_hidden_from(viewer)
        if hidden:  # a conflicted chair may not even learn these rows exist
            conditions.append(Proposal.organisation_id.not_in(hidden))
    return conditions


def choose(list_name: str, call: Call, viewer: Any, args: Any) -> Selection:
    """The rows chosen by `args` (a request's form or query string); raises BadSelection."""
    all_matching = args.get("all") == "1"
    if all_matching:
        ids, filters = _matching_ids(list_name, call, viewer, args)
        carried = [("all", "1")] + [(k, v) for k, v in filters.items() if v]
    else:
        ids = _ids(args.getlist("proposal"))
        carried = [("proposal", str(i)) for i in ids]
    if not ids:
        raise BadSelection(
            _("Tick at least one proposal, or choose all the proposals matching the filters.")
            if not all_matching
            else _("No proposal matches these filters.")
        )
    if len(ids) > MAX_ROWS:
        raise _too_many()
    found = {
        p.id: p
        for p in db.session.scalars(
            select(Proposal)
            .options(joinedload(Proposal.organisation))
            .where(Proposal.id.in_(ids), Proposal.call_id == call.id, *_in_list(list_name, viewer))
            .execution_options(populate_existing=True)  # the state as committed now
        )
    }
    if len(found) != len(ids) and not all_matching:
        raise BadSelection(
            _(
                "Some of the chosen proposals are not on this list. Reload the list and choose "
                "again."
            )
        )
    rows = [found[i] for i in ids if i in found]
    return Selection(list_name, call, rows, all_matching, carried)


def _grant_filters(args: Any) -> dict[str, Any]:
    form = GrantFilterForm(args, calls=grant_queries.calls_with_grants())
    if not form.validate():
        raise BadSelection(_("The list's filters are not valid. Reload the list."))
    return {
        "call": form.call.data or "",
        "state": form.state.data or "",
        "q": (form.q.data or "").strip(),
    }


def choose_grants(args: Any) -> Selection:
    """The grants chosen by `args` on the secretariat's grants list; raises BadSelection."""
    all_matching = args.get("all") == "1"
    if all_matching:
        filters = _grant_filters(args)
        ids = grant_queries.grant_ids(
            {"call_id": parse_id(filters["call"]), "state": filters["state"], "q": filters["q"]},
            MAX_ROWS + 1,
        )
        carried = [("all", "1")] + [(k, v) for k, v in filters.items() if v]
    else:
        ids = _ids(args.getlist("grant"), _("The choice of grants is not valid. Reload the list."))
        carried = [("grant", str(i)) for i in ids]
    if not ids:
        raise BadSelection(
            _("Tick at least one grant, or choose all the grants matching the filters.")
            if not all_matching
            else _("No grant matches these filters.")
        )
    if len(ids) > MAX_ROWS:
        raise BadSelection(
            _(
                "At most %(max)d grants can be handled at once. Narrow the list with its "
                "filters first.",
                max=MAX_ROWS,
            )
        )
    found = {g.id: g for g in grant_queries.grants_with_reports(ids)}
    if len(found) != len(ids) and not all_matching:
        raise BadSelection(
            _("Some of the chosen grants no longer exist. Reload the list and choose again.")
        )
    grants = [found[i] for i in ids if i in found]
    return Selection("grants", None, grants, all_matching, carried)
