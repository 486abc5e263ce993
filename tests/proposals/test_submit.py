"""Submitting a proposal: the reference, the frozen version, the receipt, double submissions,
and who may press the button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fund import clock, permissions, workflow
from fund.extensions import db
from fund.models import AuditEvent, Proposal, ProposalState, ProposalVersion, Role
from fund.models.base import utcnow
from fund.proposals import submission
from tests.conftest import login, make_call, make_organisation, make_user, outbox
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def submit(client, proposal):
    return client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"})


def version_count(proposal) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(ProposalVersion)
        .where(ProposalVersion.proposal_id == proposal.id)
    )


def test_submitting_gives_a_reference_freezes_version_1_and_shows_the_reference(client):
    """The member presses "Submit proposal": the proposal is submitted with its reference,
    version 1 holds its content, and the page it lands on shows the reference."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    response = submit(client, proposal)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}"
    year = proposal.call.closes_at.year
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.reference == f"INS-{year}-0001"
    assert proposal.submitted_at is not None
    [version] = proposal.versions
    assert version.number == 1
    assert version.content["title"] == "Safe schools"
    assert version.content["reference"] == proposal.reference
    assert [line["amount"] for line in version.content["budget_lines"]] == ["10000.00", "10000.00"]
    assert version.content["organisation"]["name"] == proposal.organisation.name
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert proposal.reference in page and "received" in page


def test_submission_records_the_income_group_it_was_judged_on(client):
    """The organisation's World Bank group and the list it came from are kept (Uganda: LIC)."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    submit(client, proposal)
    assert proposal.income_group == "LIC"
    assert proposal.income_list_id is not None


def test_submission_is_one_state_change_in_the_audit_trail(client):
    """Exactly one audit row, draft -> submitted, by the member."""
    proposal = complete_proposal()
    member = a_member(proposal)
    login(client, member)
    submit(client, proposal)
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.subject_id == proposal.id)).all()
    assert [(r.action, r.from_state, r.to_state, r.actor_id) for r in rows] == [
        ("submit", "draft", "submitted", member.id)
    ]


def test_every_member_receives_the_receipt_with_the_reference_and_a_summary(client):
    """Each member of the organisation gets proposal_submitted naming the reference, the call
    and the amount; nobody else does."""
    first, second, stranger = make_user(), make_user(), make_user()
    make_organisation(stranger)
    proposal = complete_proposal(make_organisation(first, second))
    login(client, first)
    submit(client, proposal)
    messages = outbox(event="proposal_submitted")
    assert sorted(m.recipient for m in messages) == sorted([first.email, second.email])
    for message in messages:
        assert proposal.reference in message.subject
        for body in (message.body_text, message.body_html):
            assert proposal.reference in body
            assert proposal.call.title in body
            assert "20,000.00" in body
    assert outbox(recipient=stranger.email) == []


def test_a_second_submit_is_refused_with_409_and_changes_nothing(client):
    """A double click: the second POST says "already submitted", and there is still one
    version, one reference and one receipt per member."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    assert submit(client, proposal).status_code == 302
    reference = proposal.reference
    response = submit(client, proposal)
    assert response.status_code == 409
    assert "already been submitted" in response.get_data(as_text=True)
    assert reference in response.get_data(as_text=True)
    assert proposal.reference == reference
    assert version_count(proposal) == 1
    assert len(outbox(event="proposal_submitted")) == 1


def test_the_submitted_version_is_frozen(client):
    """Changes made to the proposal afterwards (e.g. by the secretariat's tools) leave version 1
    as it was submitted."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    submit(client, proposal)
    proposal.title = "Something else"
    db.session.commit()
    db.session.expire_all()
    [version] = proposal.versions
    assert version.content["title"] == "Safe schools"
    page = client.get(f"/proposals/{proposal.id}/versions/1").get_data(as_text=True)
    assert "Safe schools" in page and "Something else" not in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_submitted_proposal_can_no_longer_be_edited(client, app, method):
    """The edit page answers 404 or 409 once the proposal is submitted (can_edit_proposal only
    allows drafts and revisions)."""
    proposal = complete_proposal()
    member = a_member(proposal)
    login(client, member)
    submit(client, proposal)
    assert not permissions.can_edit_proposal(member, proposal)
    if "proposals.edit" not in app.view_functions:
        pytest.skip("the edit page is not built yet")
    response = getattr(client, method)(f"/proposals/{proposal.id}/edit", data={"title": "New"})
    assert response.status_code in (404, 409)
    assert proposal.title == "Safe schools"


@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("reviewer", 404), ("admin", 404), ("chair", 404)],
)
def test_only_a_member_may_submit(client, who, status):
    """Nobody outside the organisation learns that a draft exists (404), not even the
    secretariat or a chair, who see proposals only once they are submitted."""
    proposal = complete_proposal()
    roles = {
        "outsider": Role.APPLICANT,
        "reviewer": Role.REVIEWER,
        "admin": Role.ADMIN,
        "chair": Role.CHAIR,
    }
    user = make_user(roles[who])
    if who == "outsider":
        make_organisation(user)
    login(client, user)
    assert submit(client, proposal).status_code == status
    assert proposal.state == ProposalState.DRAFT
    assert outbox() == []


def test_an_anonymous_submit_is_sent_to_the_login_page(client):
    proposal = complete_proposal()
    response = submit(client, proposal)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert proposal.state == ProposalState.DRAFT


def test_a_missing_proposal_is_404(client):
    login(client, make_user())
    assert client.post("/proposals/999999/submit").status_code == 404


def test_the_button_shows_for_members_on_a_draft_only(client):
    """ "Submit proposal" is on the page of a draft, and gone once submitted."""
    proposal = complete_proposal()
    login(client, a_member(proposal))
    assert "Submit proposal" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    submit(client, proposal)
    assert "Submit proposal" not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_the_service_submits_with_an_injected_clock(ctx):
    """submit_proposal takes `now`: the submission time and audit time are that moment."""
    proposal = complete_proposal()
    now = proposal.call.closes_at - timedelta(hours=1)
    submission.submit_proposal(proposal, a_member(proposal), now)
    db.session.commit()
    assert proposal.submitted_at == now
    assert proposal.versions[0].created_at == now


def test_the_workflow_refuses_an_incomplete_proposal_whatever_the_entry_point(ctx):
    """The completeness guard is in the workflow, so no caller can skip it."""
    proposal = complete_proposal()
    proposal.summary = ""
    db.session.commit()
    with pytest.raises(workflow.TransitionRefused) as refused:
        workflow.transition(proposal, "submit", a_member(proposal))
    assert refused.value.status == 400
    assert "Summary" in refused.value.reason
    assert db.session.get(Proposal, proposal.id).state == ProposalState.DRAFT


def test_the_view_uses_the_server_clock(client, monkeypatch):
    """The submission time comes from fund.clock.now."""
    proposal = complete_proposal(call=make_call())
    moment = utcnow().replace(microsecond=0) - timedelta(hours=2)
    monkeypatch.setattr(clock, "now", lambda: moment)
    login(client, a_member(proposal))
    assert submit(client, proposal).status_code == 302
    assert proposal.submitted_at == moment
