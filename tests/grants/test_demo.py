"""The demo grants cover every stage the secretariat follows."""

from __future__ import annotations

from fund import demo
from fund.extensions import db
from fund.grants.status import report_timing
from fund.models.base import utcnow
from tests.conftest import make_organisation, make_user
from tests.proposals.submitting import policy_file


def test_seed_grants_makes_one_grant_in_each_stage(ctx):
    """Each grant was submitted, reviewed and awarded through the app's services."""
    from fund import income_groups
    from fund.models import AuditEvent

    income_groups.load_shipped()
    users = {
        email: make_user(*roles, email=email)
        for email, _name, roles in demo.ACCOUNTS
        if not email.startswith("applicant")
    }
    organisations = []
    for country in ("UG", "SN"):
        organisation = make_organisation(make_user(), country_code=country)
        organisation.safeguarding_policy_file_id = policy_file(organisation.id).id
        organisations.append(organisation)
    db.session.commit()
    grants = demo.seed_grants(users, organisations)
    db.session.commit()
    for grant in grants:
        assert grant.proposal.reference and grant.proposal.versions
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(
                AuditEvent.subject_type == "proposal", AuditEvent.subject_id == grant.proposal_id
            )
        ).all()
        assert {"submit", "screen_in", "complete_review", "award"} <= set(actions)
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
