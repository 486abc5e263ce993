"""What the dashboard shows: one panel per role the user holds, each read in a query or two."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from fund import income_groups, permissions
from fund.admin import late_reviews, overview
from fund.decisions import queries as decision_queries
from fund.decisions import waiting
from fund.grants import queries as grant_queries
from fund.main.overview_calls import calls_html
from fund.models import Role
from fund.organisations import queries as organisation_queries
from fund.per_value import PerValue
from fund.proposals import queries as proposal_queries
from fund.reviews import concepts
from fund.reviews import queries as review_queries

# The roles that have a panel of their own.
PANEL_ROLES = (Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN)


def panels(user: Any, now: datetime) -> dict[str, Any]:
    """The data of the panels `user` sees; panels of roles it does not hold are not read."""
    data: dict[str, Any] = {
        "organisations": [],
        "proposals": [],
        "letters": [],
        "grants": [],
        "review_counts": None,
        "missing_income_list": None,
        "concept_calls": [],
        "overview": None,
        "chair_waiting": None,
    }
    # the roles asked once here, for the panels read below and for the template's choices
    held = {role: permissions.has_role(user, role) for role in PANEL_ROLES}
    data["roles_held"] = held
    data["sees_portfolio"] = permissions.can_view_portfolio(user)
    if permissions.can_screen_concepts(user):
        data["concept_calls"] = concepts.calls_with_concepts(user)
    if held[Role.APPLICANT]:
        data["organisations"] = organisation_queries.mine(user)["organisations"]
        if data["organisations"]:
            data["proposals"] = proposal_queries.dashboard_rows(user, now)
            data["letters"] = decision_queries.letters_for(user)
            data["grants"] = grant_queries.grants_of(user)
    if held[Role.REVIEWER]:
        data["review_counts"] = review_queries.queue_counts(user)
    if held[Role.CHAIR]:
        data["chair_waiting"] = {
            "calls": waiting.reviewed_per_call(user),
            "approvals": waiting.awaiting_approval(user),
            # "n of needed approvals" translated once per distinct tally, not once per award
            "approvals_text": PerValue(
                lambda tally: _("%(n)d of %(needed)d approvals", n=tally[0], needed=tally[1])
            ),
        }
    if permissions.can_see_overview(user):
        calls = overview.calls(now)
        data["overview"] = {
            "calls": calls,
            "calls_html": calls_html(calls, now),
            "reviewers": late_reviews.reviews_by_reviewer(now.date()),
            "grants": overview.grants(now.date()),
        }
        # Without a list every country is "not classified": applications stall until one is.
        if not income_groups.has_current_list():
            data["missing_income_list"] = income_groups.current_fiscal_year()
    return data
