"""A call's figures counted at write time (fund/calls/figures.py keeps them): how many of its
proposals are in each state, and the money of its grants. The secretariat's overview and the
chairs' dashboard read these few rows instead of counting thousands of proposals on every view.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.base import enum_column
from fund.models.call import MONEY
from fund.models.proposal import ProposalState


class CallStateCount(db.Model):
    """How many of the call's proposals are in `state` (states with none have no row)."""

    __tablename__ = "call_state_counts"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = enum_column(ProposalState, primary_key=True)
    proposals: Mapped[int] = mapped_column(Integer)


class CallMoney(db.Model):
    """The amounts of the call's grants not cancelled (on its awarded proposals), and what was
    paid on them; a call without such a grant has no row."""

    __tablename__ = "call_money"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    awarded: Mapped[Decimal] = mapped_column(MONEY)
    paid: Mapped[Decimal] = mapped_column(MONEY)
