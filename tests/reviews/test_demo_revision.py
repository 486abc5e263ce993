"""The demo's revised proposal: version 2 lists the answers changed since version 1, and the
demo reviewer, back for round 2, sees them above the proposal."""

from __future__ import annotations

from fund.demo.revisions import SAFELY_AFTER, SAFELY_BEFORE, TITLE
from fund.extensions import db
from fund.models import Proposal, Review, User
from tests.conftest import login


def test_the_demo_shows_what_changed_in_a_revised_proposal(runner, client):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    proposal = db.session.scalar(db.select(Proposal).where(Proposal.title == TITLE))
    assert (proposal.state, len(proposal.versions)) == ("in_review", 2)
    reviewer = db.session.scalar(db.select(User).where(User.email == "reviewer@example.org"))
    again = db.session.scalar(
        db.select(Review).where(
            Review.proposal_id == proposal.id, Review.reviewer_id == reviewer.id, Review.round == 2
        )
    )
    login(client, reviewer)
    page = client.get(f"/reviews/{again.id}").get_data(as_text=True)
    since = page.split('id="since-reviewed"')[1].split("</section>")[0]
    assert "What changed since you reviewed version 1" in page
    for text in (SAFELY_BEFORE, SAFELY_AFTER, "Co-funding from other donors", "Uganda; Kenya"):
        assert text in since
    login(client, proposal.organisation.memberships[0].user)
    version = client.get(f"/proposals/{proposal.id}/versions/2").get_data(as_text=True)
    assert "Changes since version 1" in version and "answer changed" in version
