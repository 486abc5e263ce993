"""The demo's proposals: drafts and submitted ones from two organisations, submitted through
the same service as real ones."""

from __future__ import annotations

from fund import demo
from fund.extensions import db
from fund.models import Proposal, ProposalState
from tests.conftest import make_call, make_organisation, make_user, outbox
from tests.proposals.submitting import load_income_groups


def test_seed_proposals_makes_drafts_and_submitted_proposals(ctx, app, tmp_path, monkeypatch):
    """Each organisation has a draft and a submitted proposal in the open call, the first also
    one in the closed call; the submitted ones have references, versions and receipts."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    load_income_groups()
    ana, kofi = make_user(), make_user()
    organisations = [
        make_organisation(ana, country_code="UG"),
        make_organisation(kofi, country_code="SN", org_type="community_based"),
    ]
    open_call, closed_call = make_call(title="Open"), make_call(open_now=False, title="Closed")
    users = {ana.email: ana, kofi.email: kofi}
    proposals = demo.seed_proposals(users, organisations, open_call, closed_call)
    db.session.commit()

    states = {(p.organisation.name, p.call.title, p.state) for p in proposals}
    for organisation in organisations:
        assert (organisation.name, "Open", ProposalState.DRAFT) in states
        assert (organisation.name, "Open", ProposalState.SUBMITTED) in states
    assert (organisations[0].name, "Closed", ProposalState.SUBMITTED) in states
    submitted = [p for p in proposals if p.state == ProposalState.SUBMITTED]
    assert all(p.reference and len(p.versions) == 1 for p in submitted)
    assert len({p.reference for p in submitted}) == len(submitted) == 3
    assert all(
        closed_call.opens_at <= p.submitted_at < closed_call.closes_at
        for p in submitted
        if p.call_id == closed_call.id
    )
    assert len(outbox(event="proposal_submitted")) == 3
    assert db.session.query(Proposal).count() == 5
