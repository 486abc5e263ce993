"""Broadcasts: audiences, the preview with its count, each recipient's language, the outbox, the
audit row and the list of past broadcasts; access per role and bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Grant, Role
from tests.conftest import (
    count_queries,
    login,
    make_call,
    make_organisation,
    make_proposal,
    make_user,
    outbox,
)
from tests.reviews.conftest import assign, make_in_review


def texts(**extra) -> dict:
    return {
        "subject_en": "The call closes soon",
        "body_en": "Please submit your draft.\n\nThe secretariat",
        "subject_fr": "L'appel ferme bientôt",
        "body_fr": "Merci de soumettre votre brouillon.",
        **extra,
    }


@pytest.fixture
def call_with_drafts(ctx):
    call = make_call()
    french = make_user(Role.APPLICANT, email="fatou@example.org")
    french.locale = "fr"
    spanish = make_user(Role.APPLICANT, email="sofia@example.org")
    spanish.locale = "es"
    english = make_user(Role.APPLICANT, email="ann@example.org")
    make_proposal(make_organisation(french, spanish), call)
    make_proposal(make_organisation(english), call)
    make_proposal(make_organisation(make_user(Role.APPLICANT)), call, state="submitted")
    db.session.commit()
    return call


def test_the_preview_counts_the_audience_and_sends_nothing(client, call_with_drafts):
    login(client, make_user(Role.ADMIN))
    response = client.post(
        "/broadcasts/new", data={"audience": "drafts", "call_id": call_with_drafts.id, **texts()}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 people will receive it." in html
    assert "English · 2 recipients" in html and "Français · 1 recipient" in html
    assert "Send to 3 people" in html
    assert outbox(event="broadcast") == []


def test_each_recipient_gets_the_text_in_their_language_else_the_default(client, call_with_drafts):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    data = {"audience": "drafts", "call_id": call_with_drafts.id, "confirmed": "1", **texts()}
    response = client.post("/broadcasts/new", data=data)
    assert response.status_code == 302
    messages = {m.recipient: m for m in outbox(event="broadcast")}
    assert set(messages) == {"fatou@example.org", "sofia@example.org", "ann@example.org"}
    assert messages["fatou@example.org"].subject == "L'appel ferme bientôt"
    assert "Merci de soumettre" in messages["fatou@example.org"].body_text
    assert "Dear" not in messages["fatou@example.org"].body_text  # greeted in French too
    # no Spanish text given: the default (English) one
    assert messages["sofia@example.org"].subject == "The call closes soon"
    assert "<p>Please submit your draft.</p>" in messages["ann@example.org"].body_html
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "broadcast")).one()
    assert event.actor_id == admin.id and event.subject_id == call_with_drafts.id
    assert "3 recipients" in event.comment and "The call closes soon" in event.comment
    page = client.get("/broadcasts/").get_data(as_text=True)
    assert "3 recipients" in page


def test_the_audiences(client, ctx):
    call = make_call()
    submitted = make_in_review(call, state="submitted")
    make_proposal(make_organisation(make_user(Role.APPLICANT)), call)  # a draft only
    reviewer = make_user(Role.REVIEWER, email="rev@example.org")
    assign(submitted, reviewer)
    grantee = make_user(Role.APPLICANT, email="grantee@example.org")
    organisation = make_organisation(grantee)
    grant_proposal = make_proposal(organisation, call, state="awarded")
    db.session.add(
        Grant(proposal_id=grant_proposal.id, organisation_id=organisation.id, state="active")
    )
    db.session.commit()
    from fund.bulk.broadcasts import recipients

    assert [u.email for u in recipients("reviewers", call)] == ["rev@example.org"]
    assert [u.email for u in recipients("grantees", None)] == ["grantee@example.org"]
    submitters = {u.id for u in recipients("submitted", call)}
    member_ids = {m.user_id for m in submitted.organisation.memberships}
    assert submitters == member_ids


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.CHAIR, 403), (Role.REVIEWER, 403), (Role.APPLICANT, 403)],
)
def test_only_the_secretariat_broadcasts(client, ctx, role, status):
    login(client, make_user(role))
    assert client.get("/broadcasts/").status_code == status
    assert client.get("/broadcasts/new").status_code == status
    data = {"audience": "grantees", "call_id": "0", "confirmed": "1", **texts()}
    assert client.post("/broadcasts/new", data=data).status_code in (
        (302, 409) if status == 200 else (status,)
    )


def test_anonymous_visitors_are_sent_to_log_in(client, ctx):
    assert "/login" in client.get("/broadcasts/").headers["Location"]
    assert "/login" in client.post("/broadcasts/new", data={}).headers["Location"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"audience": "drafts", "call_id": "0", **texts()}, "Choose the call for this audience."),
        ({"audience": "everyone", "call_id": "0", **texts()}, "Not a valid choice"),
        ({"audience": "grantees", "call_id": "0", **texts(subject_en="")}, "Give the text"),
        (
            {"audience": "grantees", "call_id": "0", **texts(body_fr="")},
            "Give both the subject and the message.",
        ),
        ({"audience": "grantees", "call_id": "abc", **texts()}, "Call: Invalid Choice"),
        ({"audience": "drafts", "call_id": str(2**31), **texts()}, "Call: Invalid Choice"),
    ],
)
def test_bad_input_is_a_400_with_the_message_next_to_the_field(client, ctx, data, message):
    login(client, make_user(Role.ADMIN))
    response = client.post("/broadcasts/new", data={**data, "confirmed": "1"})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert outbox(event="broadcast") == []


def test_an_empty_audience_sends_nothing(client, ctx):
    login(client, make_user(Role.ADMIN))
    data = {"audience": "grantees", "call_id": "0", **texts()}
    preview = client.post("/broadcasts/new", data=data).get_data(as_text=True)
    assert "Nobody is in this audience" in preview
    response = client.post("/broadcasts/new", data={**data, "confirmed": "1"})
    assert response.status_code == 409


def test_the_list_of_broadcasts_makes_the_same_queries_for_more_of_them(client, ctx):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    make_in_review(make_call(), state="submitted")

    def send(n):
        for _ in range(n):
            client.post(
                "/broadcasts/new",
                data={"audience": "grantees", "call_id": "0", "confirmed": "1", **texts()},
            )

    organisation = make_organisation(make_user(Role.APPLICANT))
    proposal = make_proposal(organisation, state="awarded")
    db.session.add(Grant(proposal_id=proposal.id, organisation_id=organisation.id, state="active"))
    db.session.commit()
    send(1)
    with count_queries() as few:
        client.get("/broadcasts/")
    send(4)
    with count_queries() as more:
        assert client.get("/broadcasts/").get_data(as_text=True).count("1 recipients") == 5
    assert len(few) == len(more)
