"""An invited organisation's full proposal starts with its concept note, which stays visible,
read-only and labelled "From the concept note", on the proposal's pages and the review page."""

from __future__ import annotations

from fund.extensions import db
from fund.models import ProposalState, Role
from tests.concepts.test_screening import submitted_note
from tests.conftest import login, make_user
from tests.proposals.submitting import fill_in, load_income_groups
from tests.reviews.conftest import assign


def invited_note():
    """A concept note submitted then shortlisted by the secretariat (through the page)."""
    member, proposal = submitted_note()
    return member, proposal


def invite(client, proposal) -> None:
    login(client, make_user(Role.ADMIN))
    assert client.post(f"/concept-notes/{proposal.id}/invite").status_code == 302
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.INVITED


def test_the_full_proposal_form_starts_with_the_concept_notes_answers(client):
    member, proposal = invited_note()
    invite(client, proposal)
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'value="Safe schools"' in page
    assert "Parents and teachers learn positive discipline." in page  # the summary, typed in
    assert "From the concept note" in page
    assert "Harsh discipline is common in the district." in page  # the concept answer
    detail = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "invited to submit a full proposal" in detail
    assert "Submit proposal" in detail


def test_the_invited_full_proposal_is_submitted_as_today_and_keeps_its_reference(client):
    load_income_groups()
    member, proposal = invited_note()
    reference = proposal.reference
    invite(client, proposal)
    fill_in(proposal)
    db.session.commit()
    login(client, member)
    response = client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.reference == reference and proposal.versions[0].number == 1
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "From the concept note" in page


def test_the_concept_note_stays_as_sent_when_the_full_proposal_changes(client):
    member, proposal = invited_note()
    invite(client, proposal)
    proposal.title, proposal.summary = "Safe homes and schools", "A wider project."
    db.session.commit()
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    note = page[page.index('id="concept-note"') :]
    assert "Parents and teachers learn positive discipline." in note
    assert "Safe schools" in note


def test_the_secretariat_does_not_read_the_invited_full_draft_only_the_concept_note(client):
    _member, proposal = invited_note()
    invite(client, proposal)
    proposal.target_groups = "Private draft words."
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "From the concept note" in page
    assert "Private draft words." not in page


def test_the_reviewer_sees_the_concept_note_beside_the_proposal(client):
    _member, proposal = invited_note()
    proposal.state = ProposalState.IN_REVIEW
    fill_in(proposal)
    db.session.commit()
    reviewer = make_user(Role.REVIEWER)
    review = assign(proposal, reviewer)
    login(client, reviewer)
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "From the concept note" in page
    assert "Harsh discipline is common in the district." in page
