"""Submitting and withdrawing a proposal, and the applicant's view of it (being built)."""

from fund.proposals.blueprint import bp  # noqa: F401
