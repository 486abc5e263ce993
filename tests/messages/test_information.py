""" "Ask for more information": the secretariat's question with a due date, the applicant's
answer sent back as a new version, and what the secretariat does when the answer is overdue."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fund.extensions import db
from fund.models import AuditEvent, Message, ProposalVersion, Role
from fund.models.base import utcnow
from fund.rules.proposal_content import snapshot
from tests.conftest import login, make_organisation, make_user, outbox
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups

QUESTION = "Please explain the budget line for facilitators."


def _ask(client, proposal, question=QUESTION, due_on=None):
    due_on = due_on or (date.today() + timedelta(days=14)).isoformat()
    return client.post(
        f"/messages/proposals/{proposal.id}/ask", data={"question": question, "due_on": due_on}
    )


def _waiting(proposal, *, days: int = 14):
    """The proposal waiting for an answer due in `days` days (negative: overdue)."""
    proposal.state = "information_requested"
    proposal.information_due_at = utcnow() + timedelta(days=days)
    db.session.commit()
    return proposal


@pytest.fixture
def submitted(ctx):
    """A complete proposal as submitted: reference, version 1, in screening."""
    load_income_groups()
    proposal = complete_proposal()
    proposal.state = "submitted"
    proposal.reference = "INS-2027-0042"
    proposal.submitted_at = utcnow()
    proposal.versions.append(ProposalVersion(number=1, content=snapshot(proposal)))
    db.session.commit()
    return proposal


# --- asking -----------------------------------------------------------------------------------


def test_the_secretariat_asks_and_the_question_goes_to_the_thread_and_the_members(
    client, submitted
):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    response = _ask(client, submitted)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{submitted.id}")
    db.session.refresh(submitted)
    assert submitted.state == "information_requested"
    assert submitted.information_due_at.date() == date.today() + timedelta(days=15)
    message = db.session.scalar(db.select(Message))
    assert (message.body, message.is_information_request, message.from_secretariat) == (
        QUESTION,
        True,
        True,
    )
    event = db.session.scalar(
        db.select(AuditEvent).where(AuditEvent.action == "request_information")
    )
    assert (event.from_state, event.to_state, event.comment) == (
        "submitted",
        "information_requested",
        QUESTION,
    )
    mail = outbox("information_requested")
    assert [m.recipient for m in mail] == [a_member(submitted).email]
    assert QUESTION in mail[0].body_text and "INS-2027-0042" in mail[0].subject
    assert outbox("message_to_applicant") == []  # one e-mail for the question, not two


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("member", 403), ("chair", 403), ("reviewer", 403), ("anonymous", 302)],
)
def test_only_the_secretariat_may_ask(client, submitted, role, status):
    users = {
        "admin": lambda: make_user(Role.ADMIN),
        "member": lambda: a_member(submitted),
        "chair": lambda: make_user(Role.CHAIR),
        "reviewer": lambda: make_user(Role.REVIEWER),
    }
    if role != "anonymous":
        login(client, users[role]())
    assert client.get(f"/messages/proposals/{submitted.id}/ask").status_code == status
    assert _ask(client, submitted).status_code == (302 if role == "admin" else status)
    db.session.refresh(submitted)
    expected = "information_requested" if role == "admin" else "submitted"
    assert submitted.state == expected


@pytest.mark.parametrize(
    ("question", "due_on", "message"),
    [
        ("", None, "Write the question the applicant should answer."),
        ("x" * 10_001, None, "10000"),
        (
            QUESTION,
            (date.today() - timedelta(days=1)).isoformat(),
            "Give a due date in the future.",
        ),
        (QUESTION, "2027-13-45", "request-due_on-error-1"),
        (QUESTION, "9999-01-01", "Give a date between"),
    ],
    ids=["no-question", "too-long", "past-date", "not-a-date", "far-future"],
)
def test_a_bad_request_for_information_is_refused_with_the_reason(
    client, submitted, question, due_on, message
):
    login(client, make_user(Role.ADMIN))
    response = _ask(client, submitted, question, due_on)
    assert response.status_code == 400
    assert message in response.text
    db.session.refresh(submitted)
    assert submitted.state == "submitted"
    assert outbox() == []


def test_asking_about_a_proposal_already_in_review_is_a_conflict(client, submitted):
    submitted.state = "in_review"
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    response = _ask(client, submitted)
    assert response.status_code == 409
    assert "in review" in response.text


def test_asking_about_a_missing_proposal_is_not_found(client, ctx):
    login(client, make_user(Role.ADMIN))
    assert client.get("/messages/proposals/999999/ask").status_code == 404


# --- the applicant's answer -------------------------------------------------------------------


def test_the_applicant_sees_the_question_and_may_edit_the_proposal(client, submitted):
    _waiting(submitted)
    login(client, a_member(submitted))
    page = client.get(f"/proposals/{submitted.id}").text
    assert "more information requested" in page
    assert "Answer due by" in page
    assert f'href="/proposals/{submitted.id}/edit"' in page
    assert "Send to the secretariat" in page
    assert client.get(f"/proposals/{submitted.id}/edit").status_code == 200


def test_sending_back_makes_a_new_version_and_returns_to_screening(client, submitted):
    _waiting(submitted)
    admin = make_user(Role.ADMIN)
    member = a_member(submitted)
    login(client, member)
    response = client.post(f"/proposals/{submitted.id}/send-information", data={"declaration": "y"})
    assert response.status_code == 302
    db.session.refresh(submitted)
    assert submitted.state == "submitted"
    assert submitted.information_due_at is None
    assert [v.number for v in submitted.versions] == [1, 2]
    assert [m.recipient for m in outbox("information_sent")] == [admin.email]
    assert (
        db.session.scalar(
            db.select(AuditEvent.to_state).where(AuditEvent.action == "send_information")
        )
        == "submitted"
    )


def test_an_incomplete_answer_is_refused_with_every_problem(client, submitted):
    _waiting(submitted)
    submitted.summary = ""
    db.session.commit()
    login(client, a_member(submitted))
    response = client.post(f"/proposals/{submitted.id}/send-information", data={"declaration": "y"})
    assert response.status_code == 400
    db.session.refresh(submitted)
    assert submitted.state == "information_requested"
    assert len(submitted.versions) == 1


@pytest.mark.parametrize(
    ("role", "status"), [("admin", 403), ("outsider", 404), ("anonymous", 302)]
)
def test_only_the_organisation_sends_its_answer(client, submitted, role, status):
    _waiting(submitted)
    if role == "admin":
        login(client, make_user(Role.ADMIN))
    elif role == "outsider":
        outsider = make_user()
        make_organisation(outsider)
        login(client, outsider)
    response = client.post(f"/proposals/{submitted.id}/send-information", data={"declaration": "y"})
    assert response.status_code == status
    db.session.refresh(submitted)
    assert submitted.state == "information_requested"


def test_sending_back_twice_is_a_conflict(client, submitted):
    login(client, a_member(submitted))  # the proposal is submitted, not waiting for an answer
    response = client.post(f"/proposals/{submitted.id}/send-information", data={"declaration": "y"})
    assert response.status_code == 409


# --- overdue: the secretariat decides ---------------------------------------------------------


def test_the_screening_list_marks_an_overdue_answer(client, submitted):
    other = complete_proposal(call=submitted.call)
    _waiting(other, days=3)
    other.reference, other.submitted_at = "INS-2027-0043", utcnow()
    _waiting(submitted, days=-1)
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/screening/calls/{submitted.call_id}").text
    assert page.count("answer overdue") == 1
    filtered = client.get(f"/screening/calls/{submitted.call_id}?state=information_requested").text
    assert "INS-2027-0042" in filtered and "INS-2027-0043" in filtered


def test_the_secretariat_returns_an_overdue_proposal_to_screening(client, submitted):
    _waiting(submitted, days=-1)
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/proposals/{submitted.id}").text
    assert "Return to screening without an answer" in page and "overdue" in page
    response = client.post(
        f"/messages/proposals/{submitted.id}/return", data={"reason": "No answer by the date."}
    )
    assert response.status_code == 302
    db.session.refresh(submitted)
    assert submitted.state == "submitted" and submitted.information_due_at is None


def test_returning_needs_a_reason(client, submitted):
    _waiting(submitted, days=-1)
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/messages/proposals/{submitted.id}/return", data={"reason": " "})
    assert response.status_code == 400
    assert "Give a reason" in response.text
    db.session.refresh(submitted)
    assert submitted.state == "information_requested"


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("chair", 403), ("anonymous", 302)])
def test_only_the_secretariat_returns_a_proposal(client, submitted, role, status):
    _waiting(submitted, days=-1)
    if role == "member":
        login(client, a_member(submitted))
    elif role == "chair":
        login(client, make_user(Role.CHAIR))
    response = client.post(
        f"/messages/proposals/{submitted.id}/return", data={"reason": "No answer."}
    )
    assert response.status_code == status


def test_returning_a_proposal_not_waiting_is_a_conflict(client, submitted):
    login(client, make_user(Role.ADMIN))
    response = client.post(f"/messages/proposals/{submitted.id}/return", data={"reason": "x"})
    assert response.status_code == 409


def test_an_overdue_proposal_can_be_screened_out(client, submitted):
    _waiting(submitted, days=-1)
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/screening/proposals/{submitted.id}/screen-out",
        data={"reason": "No answer to our question.", "confirmed": "1"},
    )
    assert response.status_code == 302
    db.session.refresh(submitted)
    assert submitted.state == "ineligible"
    assert len(outbox("proposal_screened_out")) == 1
