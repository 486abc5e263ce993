"""Decision letters: what they say, to whom, and that nothing confidential is in them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.decisions.letters import fill
from fund.extensions import db
from fund.models import Decision, Role
from tests.conftest import login, make_organisation, make_user, outbox
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call, review

CONFIDENTIAL = "Confidential: the director is my cousin."


@pytest.fixture
def setting(ctx):
    members = [make_user(Role.APPLICANT), make_user(Role.APPLICANT, locale="fr")]
    gone = make_user(Role.APPLICANT, active=False)
    organisation = make_organisation(*members, gone, name="Safe Childhoods Uganda")
    call = make_rubric_call()
    proposal = make_reviewed(
        call, organisation, title="Parents together", amount="12000", reference="INS-2027-0042"
    )
    review(
        proposal,
        make_user(Role.REVIEWER, name="Zed Hiddenname"),
        (5, 4),
        comments="Clear plan for parents.",
        confidential=CONFIDENTIAL,
    )
    review(
        proposal,
        make_user(Role.REVIEWER, name="Yara Hiddenname"),
        (2, 3),
        comments="Budget needs detail.",
        confidential="Weak.",
    )
    return proposal, members, gone


OUTCOMES = [
    ("award", {"amount": "12000", "reasons": "An excellent fit."}, "decision_award"),
    ("decline", {"reasons": "Outside the call's scope."}, "decision_decline"),
    ("request-revision", {"reasons": "Add a safeguarding plan."}, "decision_request_revision"),
]


@pytest.mark.parametrize(("path", "data", "event"), OUTCOMES)
def test_the_letter_says_what_it_should_and_nothing_confidential(
    client, setting, path, data, event
):
    proposal, members, gone = setting
    login(client, make_user(Role.CHAIR, name="Carla Chairname"))
    assert decide(client, proposal.id, path, **data).status_code == 302
    decision = db.session.scalar(select(Decision))
    messages = outbox(event=event)
    assert sorted(m.recipient for m in messages) == sorted(m.email for m in members)
    for text in [decision.letter_text, decision.letter_subject] + [
        part for m in messages for part in (m.subject, m.body_text, m.body_html)
    ]:
        for secret in (
            CONFIDENTIAL,
            "Weak.",
            "Zed Hiddenname",
            "Yara Hiddenname",
            "Carla Chairname",
            "score",
        ):
            assert secret not in text
    letter = decision.letter_text
    for expected in (
        "Safe Childhoods Uganda",
        "Parents together",
        "INS-2027-0042",
        data["reasons"],
        "Clear plan for parents.",
        "Budget needs detail.",
        "Reviewer 1",
        "Reviewer 2",
    ):
        assert expected in letter
    if path == "award":
        assert "12,000.00 USD" in letter
    assert "INS-2027-0042" in decision.letter_subject
    assert all(letter.splitlines()[0] in m.body_text for m in messages)


def test_the_call_template_is_used_with_its_placeholders(client, setting):
    proposal, members, gone = setting
    proposal.call.letter_templates = {
        "decline": {
            "subject": "About {reference}",
            "body": "To {organisation}: {title} no. {reasons} {unknown}",
        }
    }
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    decide(client, proposal.id, "decline", reasons="Sorry {title}")
    decision = db.session.scalar(select(Decision))
    assert decision.letter_subject == "About INS-2027-0042"
    assert decision.letter_text == (
        "To Safe Childhoods Uganda: Parents together no. Sorry {title} {unknown}"
    )


def test_fill_replaces_known_placeholders_once():
    assert fill("{a} {b} {a}", {"a": "{b}", "b": "x"}) == "{b} x {b}"


def test_the_applicant_reads_the_letter_on_the_dashboard(client, setting):
    proposal, members, gone = setting
    login(client, make_user(Role.CHAIR))
    decide(client, proposal.id, "decline", reasons="Out of scope.")
    decision_id = db.session.scalar(select(Decision.id))
    login(client, members[0])
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert f"/decisions/{decision_id}/letter" in dashboard
    page = client.get(f"/decisions/{decision_id}/letter")
    assert page.status_code == 200
    assert "Out of scope." in page.get_data(as_text=True)


@pytest.mark.parametrize("who", ["outsider", "reviewer", "conflicted_chair", "anonymous"])
def test_others_cannot_read_the_letter(client, setting, who):
    proposal, members, gone = setting
    login(client, make_user(Role.CHAIR))
    decide(client, proposal.id, "decline", reasons="Out of scope.")
    decision_id = db.session.scalar(select(Decision.id))
    from fund.models import Conflict

    users = {
        "outsider": make_user(Role.APPLICANT),
        "reviewer": make_user(Role.REVIEWER),
        "conflicted_chair": make_user(Role.CHAIR),
    }
    if who == "conflicted_chair":
        db.session.add(
            Conflict(
                user_id=users[who].id, organisation_id=proposal.organisation_id, reason="Trustee"
            )
        )
        db.session.commit()
    client.get("/")  # a fresh cookie jar would do; logging out is the auth tests' business
    with client.session_transaction() as session:
        session.clear()
    if who != "anonymous":
        login(client, users[who])
    response = client.get(f"/decisions/{decision_id}/letter")
    assert response.status_code in ((302,) if who == "anonymous" else (404,))


def test_dashboard_lists_only_decisions_that_sent_a_letter(client, ctx):
    """A decision recorded without a letter (e.g. imported history) is not listed as one."""
    from decimal import Decimal

    from fund.extensions import db
    from fund.models import Decision
    from tests.conftest import login, make_organisation, make_proposal, make_user

    member = make_user()
    proposal = make_proposal(make_organisation(member), state="awarded")
    db.session.add(
        Decision(
            proposal_id=proposal.id,
            outcome="award",
            amount=Decimal("100"),
            currency="USD",
            reasons="History.",
        )
    )
    db.session.commit()
    login(client, member)
    assert "Decision letters" not in client.get("/dashboard").text
