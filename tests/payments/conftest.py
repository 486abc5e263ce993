"""A grant whose second tranche is payable, and payments recorded on it by its admin."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from fund.extensions import db
from fund.grants import services
from fund.models import Payment, Role, User
from fund.models.base import utcnow
from tests.conftest import make_user
from tests.grants.conftest import TODAY, GrantWorld, build_grant


def payable_world(amount: Decimal = Decimal("10000")) -> GrantWorld:
    """build_grant's world with the final report accepted: tranche 2 can be paid now."""
    world = build_grant(amount=amount)
    world.final.state = "accepted"
    db.session.commit()
    return world


def record(
    world: GrantWorld, *, by: User | None = None, paid_on=TODAY, reference: str = "TX-2"
) -> Payment:
    """Tranche 2 recorded as paid (by the world's admin unless `by`), awaiting approval."""
    tranche = world.grant.tranches[1]
    payment = services.record_payment(
        tranche,
        by or world.admin,
        paid_on=paid_on,
        amount=tranche.amount,
        reference=reference,
        now=utcnow() + timedelta(seconds=1),
    )
    db.session.commit()
    return payment


def second_admin() -> User:
    return make_user(Role.ADMIN, name="Bea Approver")
