"""What the ranking shows and in which order (its filters and sort), read from the query string
and written back into its links; fund/decisions/ranking_statements.py builds the statements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fund.models import ProposalState, Strategy

SORT_KEYS = (
    "mean",
    "median",
    "std_dev",
    "spread",
    "normalised",
    "reviews",
    "amount_requested",
    "reference",
    "title",
    "organisation",
    "country",
    "fund",
    "do_not_fund",
)


@dataclass
class Filters:
    """What the ranking shows and in which order; built from the query string."""

    state: str = ProposalState.REVIEWED.value  # "all" for every submitted state
    country: str = ""
    strategy: str = ""
    disagreement_only: bool = False
    sort: str = "mean"
    descending: bool = True

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        state = args.get("state", ProposalState.REVIEWED.value)
        if state != "all" and state not in {s.value for s in ProposalState}:
            state = ProposalState.REVIEWED.value
        sort = args.get("sort", "mean")
        country = args.get("country", "").strip().upper()
        strategy = args.get("strategy", "")
        return cls(
            state=state,
            country=country
            if len(country) == 2 and country.isascii() and country.isalpha()
            else "",
            strategy=strategy if strategy in {s.value for s in Strategy} else "",
            disagreement_only=args.get("disagreement") == "1",
            sort=sort if sort in SORT_KEYS else "mean",
            descending=args.get("order", "desc") != "asc",
        )

    def as_args(self) -> dict[str, str]:
        """The query string that gives these filters back (empty filters left out), for links."""
        args = {
            "state": self.state,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
        }
        if self.country:
            args["country"] = self.country
        if self.strategy:
            args["strategy"] = self.strategy
        if self.disagreement_only:
            args["disagreement"] = "1"
        return args
