"""The privacy notice and the reviewers' undertaking (issue 11, "Privacy notice and consent"):
versioned texts per language edited by the secretariat, linked from every page, accepted at
registration and again when a new version comes, and the undertaking before a first review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund import policies
from fund.extensions import db
from fund.models import AuditEvent, PolicyAcceptance, PolicyKind, PolicyVersion, Role, User
from fund.models.base import utcnow
from tests.auth.conftest import page_text, registration
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review


def publish(client, slug="privacy", **fields):
    data = {"text_en": "We keep your data safe.\n\nWrite to the secretariat."}
    data.update(fields)
    return client.post(f"/admin/policies/{slug}", data=data)


def acceptances(user, kind=PolicyKind.PRIVACY) -> list[int]:
    return sorted(
        db.session.scalars(
            select(PolicyAcceptance.number).where(
                PolicyAcceptance.user_id == user.id, PolicyAcceptance.kind == kind.value
            )
        )
    )


def test_every_page_links_the_privacy_notice(client, ctx):
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home
    page = page_text(client.get("/privacy"))
    assert "Who holds your data" in page and "Version 0" in page


def test_registration_records_the_notice_in_force(client, ctx):
    page = client.get("/account/register").get_data(as_text=True)
    assert 'By creating an account you accept the fund\'s <a href="/privacy">' in page
    client.post("/account/register", data=registration(email="new@example.org"))
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert acceptances(user) == [0]


def test_the_secretariat_publishes_a_version_per_language(client, ctx):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    assert client.get("/admin/policies/privacy").status_code == 200
    response = publish(client, text_fr="Nous protégeons vos données.")
    assert response.status_code == 302
    [version] = db.session.scalars(select(PolicyVersion)).all()
    assert (version.kind, version.number, version.published_by_id) == ("privacy", 1, admin.id)
    assert set(version.texts) == {"en", "fr"}
    assert (
        db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "published_privacy")
        ).comment
        == "v1"
    )
    english = page_text(client.get("/privacy"))
    assert "We keep your data safe." in english and "Version 1" in english
    spanish = page_text(client.get("/privacy", headers={"Accept-Language": "es"}))
    assert "We keep your data safe." in spanish  # no Spanish text: English, with a note
    assert 'lang="en"' in client.get("/privacy", headers={"Accept-Language": "es"}).get_data(
        as_text=True
    )


def test_a_version_is_never_changed_the_next_one_gets_a_new_number(client, ctx):
    login(client, make_user(Role.ADMIN))
    publish(client)
    publish(client, text_en="A shorter notice.")
    numbers = db.session.scalars(select(PolicyVersion.number).order_by(PolicyVersion.number))
    assert list(numbers) == [1, 2]
    first = db.session.scalar(select(PolicyVersion).where(PolicyVersion.number == 1))
    assert first.texts["en"].startswith("We keep your data safe.")


def test_the_english_text_is_required_and_bad_input_is_a_400(client, ctx):
    login(client, make_user(Role.ADMIN))
    assert publish(client, text_en="").status_code == 400
    assert publish(client, text_en="x\x00y").status_code == 400
    assert publish(client, text_en="x" * 50_001).status_code == 400
    assert db.session.scalar(select(PolicyVersion)) is None
    assert client.get("/admin/policies/cookies").status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_admins_publish(client, role):
    login(client, make_user(role))
    assert client.get("/admin/policies/privacy").status_code == 403
    assert publish(client).status_code == 403


def test_publishing_needs_a_login(client, ctx):
    assert client.get("/admin/policies/privacy").headers["Location"].startswith("/account/login")


def test_a_new_notice_holds_signed_in_users_until_they_accept(client, ctx):
    login(client, make_user(Role.ADMIN))
    publish(client)
    user = make_user()
    login(client, user)
    held = client.get("/dashboard")
    assert held.status_code == 303
    assert held.headers["Location"].startswith("/policies/privacy/accept?next=/dashboard")
    page = client.get(held.headers["Location"])
    assert "The fund has published a new privacy notice." in page_text(page)
    assert client.get("/privacy").status_code == 200  # the notice itself stays open
    response = client.post("/policies/privacy/accept?next=/dashboard", data={"number": "1"})
    assert response.headers["Location"] == "/dashboard"
    assert acceptances(user) == [1]
    assert client.get("/dashboard").status_code == 200


def test_the_sign_in_query_finds_whether_a_notice_waits(client, ctx):
    """Every signed-in page checks for a new notice: the check rides on the sign-in query, and
    counts the latest version accepted against the latest published."""
    login(client, make_user(Role.ADMIN))
    publish(client)
    behind, current = make_user(), make_user()
    for user, number in ((behind, 1), (current, 1)):
        db.session.add(PolicyAcceptance(user_id=user.id, kind="privacy", number=number))
    publish(client, text_en="Version two.")
    db.session.add(PolicyAcceptance(user_id=current.id, kind="privacy", number=2))
    db.session.commit()
    login(client, behind)
    assert client.get("/account/profile").status_code == 303
    login(client, current)
    with count_queries() as statements:
        assert client.get("/account/profile").status_code == 200
    asked = [s for s in statements if "policy_versions" in s]
    assert len(asked) == 1 and "login_sessions" in asked[0]


def test_accepting_an_outdated_version_asks_to_read_the_new_one(client, ctx):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    publish(client)
    publish(client, text_en="Version two.")
    user = make_user()
    login(client, user)
    response = client.post("/policies/privacy/accept", data={"number": "1"})
    assert response.status_code == 409
    assert "Version two." in page_text(response)
    assert acceptances(user) == []


def test_anonymous_visitors_are_not_asked(client, ctx):
    db.session.add(PolicyVersion(kind="privacy", number=1, texts={"en": "Notice."}))
    db.session.commit()
    assert client.get("/").status_code == 200
    assert client.get("/policies/privacy/accept").headers["Location"].startswith("/account/login")


@pytest.fixture
def assignment(ctx):
    call = make_rubric_call()
    proposal = make_reviewed(call, make_organisation(make_user()), amount="20000")
    reviewer = make_user(Role.REVIEWER, undertaking=False)
    return review(proposal, reviewer, (3, 3), submitted=False), reviewer


def test_a_reviewer_accepts_the_undertaking_before_the_first_review(client, assignment):
    row, reviewer = assignment
    login(client, reviewer)
    assert client.get("/reviews/").status_code == 200  # the queue stays open
    held = client.get(f"/reviews/{row.id}")
    assert held.status_code == 303
    location = held.headers["Location"]
    assert location.startswith("/policies/reviewer-undertaking/accept")
    page = page_text(client.get(location))
    assert "to keep confidential everything I read in proposals" in page
    response = client.post(location, data={"number": "0"})
    assert response.headers["Location"] == f"/reviews/{row.id}"
    assert acceptances(reviewer, PolicyKind.REVIEWER_UNDERTAKING) == [0]
    assert client.get(f"/reviews/{row.id}").status_code == 200


def test_a_new_undertaking_is_accepted_before_the_next_review(client, assignment):
    row, reviewer = assignment
    policies.accept(reviewer, PolicyKind.REVIEWER_UNDERTAKING, 0, utcnow())
    db.session.add(
        PolicyVersion(kind="reviewer_undertaking", number=1, texts={"en": "New promises."})
    )
    db.session.commit()
    login(client, reviewer)
    assert client.get(f"/reviews/{row.id}").status_code == 303
    assert client.post(f"/reviews/{row.id}/no-conflict").status_code == 303
