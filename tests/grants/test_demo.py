"""The demo grants cover every stage the secretariat follows."""

from __future__ import annotations

from fund import demo
from fund.extensions import db
from fund.grants.status import report_timing
from fund.models import Role
from fund.models.base import utcnow
from tests.conftest import make_call, make_organisation, make_user


def test_seed_grants_makes_one_grant_in_each_stage(ctx):
    admin = make_user(Role.ADMIN)
    organisations = [make_organisation(make_user()), make_organisation(make_user())]
    grants = demo.seed_grants(admin, organisations, make_call(open_now=False))
    db.session.commit()
    today = utcnow().date()
    assert [g.state for g in grants] == [
        "pending_agreement",
        "active",
        "active",
        "active",
        "closed",
    ]
    assert report_timing(grants[1].reports[0], today) == "due_soon"
    assert report_timing(grants[2].reports[0], today) == "overdue"
    assert grants[3].reports[0].state == "submitted"
    assert all(t.paid_on for t in grants[4].tranches)
