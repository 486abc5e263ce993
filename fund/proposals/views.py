"""Drafting a proposal (being built)."""

from fund.proposals.blueprint import bp  # noqa: F401
