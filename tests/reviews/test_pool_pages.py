"""The call's reviewer pool, the answer by link, the reviewer profile and the assignment
preview: who reaches each page, what bad input gets, and what each does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import PoolMember, Review, ReviewerProfile, Role
from fund.models.base import utcnow
from fund.reviews import pool
from tests.conftest import count_queries, login, make_user, outbox
from tests.reviews.conftest import make_in_review, make_rubric_call

DUE = (utcnow() + timedelta(days=14)).date().isoformat()


@pytest.fixture
def world(ctx):
    """A call with one proposal in review, an admin, an invited reviewer and another one."""
    call = make_rubric_call(reviewers=1)
    invited = make_user(Role.REVIEWER, name="Invited Reviewer")
    member = PoolMember(call_id=call.id, user_id=invited.id)
    db.session.add(member)
    db.session.commit()
    return {
        "call": call,
        "proposal": make_in_review(call),
        "admin": make_user(Role.ADMIN),
        "invited": invited,
        "other": make_user(Role.REVIEWER, name="Other Reviewer"),
        "applicant": make_user(Role.APPLICANT),
        "member": member,
        "token": pool.answer_token(member),
    }


def pages(w):
    """(method, url, data, who may) for every new page."""
    call_id, token = w["call"].id, w["token"]
    return [
        ("get", f"/screening/calls/{call_id}/pool", None, "admin"),
        ("post", f"/screening/calls/{call_id}/pool", {"reviewer_id": w["other"].id}, "admin"),
        ("get", f"/screening/calls/{call_id}/suggestion?due_on={DUE}", None, "admin"),
        ("get", f"/screening/reviewers/{w['invited'].id}", None, "admin"),
        ("get", f"/pool/answer/{token}", None, "invited"),
        ("post", f"/pool/answer/{token}", {"action": "accept"}, "invited"),
        ("get", "/reviews/profile", None, "invited"),
        ("post", "/reviews/profile", {"languages": "en"}, "invited"),
    ]


ROLES = ("admin", "invited", "other", "applicant")


@pytest.mark.parametrize("index", range(8))
@pytest.mark.parametrize("who", ROLES)
def test_each_page_answers_its_people_and_refuses_the_others(client, world, index, who):
    method, url, data, allowed = pages(world)[index]
    login(client, world[who])
    response = getattr(client, method)(url, data=data)
    if who == allowed or (allowed == "invited" and who == "other" and "profile" in url):
        assert response.status_code in (200, 302), response.data[:300]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("index", range(8))
def test_anonymous_visitors_are_sent_to_log_in(client, world, index):
    method, url, data, _ = pages(world)[index]
    response = getattr(client, method)(url, data=data)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_apply_post_is_refused_to_all_but_the_secretariat(client, world):
    url = f"/screening/calls/{world['call'].id}/suggestion"
    for who in ("invited", "applicant"):
        login(client, world[who])
        assert client.post(url, data={"due_on": DUE, "shown": "x"}).status_code == 403


def test_inviting_sends_the_link_and_the_link_accepts(client, world):
    login(client, world["admin"])
    call = world["call"]
    response = client.post(
        f"/screening/calls/{call.id}/pool", data={"reviewer_id": world["other"].id}
    )
    assert response.status_code == 302
    [mail] = outbox(event="pool_invitation")
    assert mail.recipient == world["other"].email and call.title in mail.subject
    link = mail.body_text.split("/pool/answer/")[1].split()[0]
    login(client, world["other"])
    assert b"Accept" in client.get(f"/pool/answer/{link}").data
    assert client.post(f"/pool/answer/{link}", data={"action": "accept"}).status_code == 302
    member = db.session.scalar(select(PoolMember).where(PoolMember.user_id == world["other"].id))
    assert member.state == "accepted"


def test_declining_is_final_and_a_second_answer_is_refused(client, world):
    login(client, world["invited"])
    url = f"/pool/answer/{world['token']}"
    assert client.post(url, data={"action": "decline"}).status_code == 302
    db.session.refresh(world["member"])
    assert world["member"].state == "declined"
    response = client.post(url, data={"action": "accept"})
    assert response.status_code == 409 and b"declined" in response.data


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"reviewer_id": "abc"}, 400, b"Invalid Choice"),
        ({"reviewer_id": "999999"}, 400, b"Choose a reviewer from the list."),
        ({}, 400, b"Reviewer"),
    ],
)
def test_bad_invitations_get_a_clear_4xx(client, world, data, status, message):
    login(client, world["admin"])
    response = client.post(f"/screening/calls/{world['call'].id}/pool", data=data)
    assert response.status_code == status and message in response.data


def test_inviting_a_non_reviewer_or_twice_is_refused(client, world):
    login(client, world["admin"])
    url = f"/screening/calls/{world['call'].id}/pool"
    response = client.post(url, data={"reviewer_id": world["applicant"].id})
    assert response.status_code == 400 and b"is not an active reviewer" in response.data
    response = client.post(url, data={"reviewer_id": world["invited"].id})
    assert response.status_code == 409 and b"already been invited" in response.data


def test_bad_answers_get_a_clear_4xx(client, world):
    login(client, world["invited"])
    response = client.post(f"/pool/answer/{world['token']}", data={"action": "maybe"})
    assert response.status_code == 400 and b"Choose Accept or Decline" in response.data
    response = client.get("/pool/answer/not-a-token")
    assert response.status_code == 404 and b"This link is not valid" in response.data


@pytest.mark.parametrize(
    ("query", "message"),
    [("due_on=yesterday", b"Not a valid date value"), ("", b"Give the due date"),
     ("due_on=2000-01-01", b"Give a date between")],
)  # fmt: skip
def test_a_bad_due_date_for_the_preview_is_a_400_with_the_reason(client, world, query, message):
    login(client, world["admin"])
    response = client.get(f"/screening/calls/{world['call'].id}/suggestion?{query}")
    assert response.status_code == 400 and message in response.data


def test_the_preview_shows_the_reasons_and_applying_it_assigns_them(client, world):
    login(client, world["admin"])
    call = world["call"]
    page = client.get(f"/screening/calls/{call.id}/suggestion?due_on={DUE}")
    assert page.status_code == 200
    assert b"This call has no reviewer pool" not in page.data  # someone was invited
    db.session.get(PoolMember, world["member"].id).state = "accepted"
    db.session.commit()
    page = client.get(f"/screening/calls/{call.id}/suggestion?due_on={DUE}")
    assert b"Invited Reviewer</strong>: reads English; 1 assigned in this call" in page.data
    shown = page.data.split(b'name="shown" type="hidden" value="')[1].split(b'"')[0].decode()
    response = client.post(
        f"/screening/calls/{call.id}/suggestion", data={"due_on": DUE, "shown": shown}
    )
    assert response.status_code == 302
    [review] = db.session.scalars(select(Review)).all()
    assert review.reviewer_id == world["invited"].id


def test_applying_a_suggestion_that_changed_meanwhile_is_refused_with_the_new_one(client, world):
    login(client, world["admin"])
    response = client.post(
        f"/screening/calls/{world['call'].id}/suggestion", data={"due_on": DUE, "shown": "old"}
    )
    assert response.status_code == 409 and b"The situation changed" in response.data
    assert db.session.scalars(select(Review)).all() == []


def test_the_reviewer_saves_its_profile(client, world):
    login(client, world["invited"])
    response = client.post(
        "/reviews/profile",
        data={
            "languages": ["en", "fr"],
            "strategies": ["parent_support"],
            "regions": ["Africa"],
            "countries": ["UG"],
            "max_per_call": "8",
            "unavailable": "2027-03-01 2027-03-15",
        },
    )
    assert response.status_code == 302
    profile = db.session.get(ReviewerProfile, world["invited"].id)
    assert (profile.languages, profile.max_per_call) == (["en", "fr"], 8)
    assert profile.unavailable == [["2027-03-01", "2027-03-15"]]
    login(client, world["admin"])
    shown = client.get(f"/screening/reviewers/{world['invited'].id}").data
    assert b"Fran" in shown and b"Parent and caregiver support" in shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"Choose at least one language."),
        ({"languages": "xx"}, b"not a valid choice"),
        ({"languages": "en", "max_per_call": "-1"}, b"Most proposals you can review per call"),
        ({"languages": "en", "max_per_call": "many"}, b"Give a whole number"),
        ({"languages": "en", "unavailable": "next week"}, b"Line 1: give the first and the last"),
        ({"languages": "en", "unavailable": "2027-03-15 2027-03-01"}, b"must end on or after"),
    ],
)
def test_a_bad_profile_gets_a_400_with_the_reason_next_to_the_field(client, world, data, message):
    login(client, world["invited"])
    response = client.post("/reviews/profile", data=data)
    assert response.status_code == 400 and message in response.data


def test_a_profile_page_of_someone_who_is_not_a_reviewer_is_not_found(client, world):
    login(client, world["admin"])
    assert client.get(f"/screening/reviewers/{world['applicant'].id}").status_code == 404


def test_the_pool_page_makes_the_same_number_of_queries_for_more_members(client, world):
    call = world["call"]
    url = f"/screening/calls/{call.id}/pool"
    login(client, world["admin"])
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for _ in range(12):
        user = make_user(Role.REVIEWER)
        db.session.add(ReviewerProfile(user_id=user.id, languages=["en", "es"]))
        db.session.add(PoolMember(call_id=call.id, user_id=user.id, state="accepted"))
    db.session.commit()
    with count_queries() as large:
        page = client.get(url)
    assert page.status_code == 200
    assert b'<option value="fr" lang="fr"' in page.data  # the language menu is intact
    assert len(large) == len(small), [s[:150] for s in large]


@pytest.mark.parametrize(
    "locale, accepted, declined",
    [("fr", "acceptée", "refusée"), ("es", "aceptada", "rechazada"), ("pt", "aceito", "recusado")],
)
def test_an_answer_agrees_with_the_invitation_in_each_language(
    client, world, locale, accepted, declined
):
    """ "accepted" said of an invitation (feminine in French and Spanish, "convite" masculine in
    Portuguese) is its own entry, not the report's or the proposal's word."""
    reader = make_user(Role.REVIEWER, locale=locale)
    db.session.add(PoolMember(call_id=world["call"].id, user_id=reader.id, state="declined"))
    world["member"].state = "accepted"
    db.session.commit()
    login(client, make_user(Role.ADMIN, locale=locale))
    cells = client.get(f"/screening/calls/{world['call'].id}/pool").get_data(as_text=True)
    assert f">{accepted}</td>" in cells and f">{declined}</td>" in cells
    login(client, reader)
    token = pool.answer_token(db.session.scalar(select(PoolMember).filter_by(user_id=reader.id)))
    page = client.get(f"/pool/answer/{token}").get_data(as_text=True)
    assert declined in page


def test_the_preview_shows_50_proposals_a_page_and_the_button_assigns_them_all(client, world):
    """A big call's preview stays a short page; the suggestion shown (its fingerprint) and
    applied is the whole call's, whichever page the button is pressed on."""
    call = world["call"]
    world["member"].state = "accepted"
    for i in range(54):
        make_in_review(call, title=f"Extra {i:02d}")
    db.session.commit()
    login(client, world["admin"])
    url = f"/screening/calls/{call.id}/suggestion?due_on={DUE}"
    first, second = client.get(url).text, client.get(url + "&page=2").text
    assert first.count("<tr>") - 1 == 50 and second.count("<tr>") - 1 == 5
    assert "assigns the reviewers suggested for all 55" in first
    assert f"due_on={DUE}" in first.split('aria-label="Pages"')[1][:400]  # the date is kept
    fingerprint = [p.split('name="shown" type="hidden" value="')[1][:40] for p in (first, second)]
    assert fingerprint[0] == fingerprint[1]
    shown = second.split('name="shown" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        f"/screening/calls/{call.id}/suggestion", data={"due_on": DUE, "shown": shown}
    )
    assert response.status_code == 302
    assert len(db.session.scalars(select(Review)).all()) > 5
