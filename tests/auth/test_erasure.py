"""Erasing an account (issue 11, "Your data"): at once for a person with no organisation
history; otherwise through the secretariat's queue, which confirms or explains what is kept.
After erasure no text column and no file in the upload folder holds the person's name or
address, and the audit log and the grants still add up."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, cast, func, or_, select
from werkzeug.datastructures import FileStorage

from fund import audit, storage
from fund.extensions import db
from fund.models import (
    AuditEvent,
    ErasureRequest,
    Grant,
    LoginSession,
    Membership,
    OutgoingMessage,
    Role,
    StoredFile,
    User,
)
from fund.notifications import queue_email
from tests.auth.conftest import is_signed_in, page_text
from tests.conftest import (
    PASSWORD,
    login,
    make_grant,
    make_organisation,
    make_proposal,
    make_user,
    outbox,
)

NAME = "Wanjiru Kamau-Odhiambo"
EMAIL = "wanjiru@example.org"


def erase(client, password=PASSWORD, code=""):
    return client.post("/account/data/erase", data={"password": password, "code": code})


def traces(app, name: str, email: str) -> list[str]:
    """Every text or JSON cell of every table, and every file of the upload folder, holding
    `name` or `email` (any case)."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            text = cast(column, Text)
            hits = db.session.scalar(
                select(func.count())
                .select_from(table)
                .where(or_(text.ilike(f"%{name}%"), text.ilike(f"%{email}%")))
            )
            if hits:
                found.append(f"{table.name}.{column.name}")
    for path in Path(app.config["UPLOAD_FOLDER"]).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if name.encode() in data or email.encode() in data:
                found.append(str(path))
    return found


def personal_file(user: User) -> StoredFile:
    stored = storage.store(
        FileStorage(io.BytesIO(b"%PDF-1.4\n" + f"CV of {NAME}".encode() + b"\n%%EOF\n"), "cv.pdf"),
        organisation_id=None,
        uploaded_by_id=user.id,
    )
    db.session.commit()
    return stored


def test_a_person_without_history_is_erased_at_once(client, app, ctx):
    user = make_user(Role.APPLICANT, name=NAME, email=EMAIL)
    stored_id = personal_file(user).id
    queue_email(user, "password_changed")
    audit.record("user", user.id, "roles_changed", comment=f"invited {EMAIL} ({NAME})")
    db.session.commit()
    outbox()
    login(client, user)
    assert "Erase my account" in page_text(client.get("/account/data/"))
    response = erase(client)
    assert response.headers["Location"] == "/"
    assert not is_signed_in(client)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.name, user.active) == (f"Former user {user.id}", False)
    assert user.email.endswith("@erased.invalid") and not user.check_password(PASSWORD)
    assert user.roles == frozenset()
    assert db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id)) is None
    assert db.session.get(StoredFile, stored_id) is None
    assert traces(app, NAME, EMAIL) == []
    comment = db.session.scalar(
        select(AuditEvent.comment).where(AuditEvent.action == "roles_changed")
    )
    assert comment == f"invited Former user {user.id} (Former user {user.id})"
    assert (
        client.post("/account/login", data={"email": EMAIL, "password": PASSWORD}).status_code
        == 400
    )


def test_the_password_and_a_code_are_needed(client, ctx):
    user = make_user(name=NAME, email=EMAIL)
    login(client, user)
    response = erase(client, password="wrong")
    assert response.status_code == 400
    assert "The password is not correct." in page_text(response)
    assert db.session.get(User, user.id).name == NAME
    user.totp_enabled_at = user.created_at  # enrolled, without a secret: no code can match
    db.session.commit()
    refused = erase(client, code="123456")
    assert refused.status_code == 400
    assert db.session.get(User, user.id).name == NAME


@pytest.fixture
def grantee(ctx):
    """A member of an organisation with an awarded grant: organisation history."""
    user = make_user(Role.APPLICANT, name=NAME, email=EMAIL)
    organisation = make_organisation(user, name="Safe Homes Kenya")
    organisation.safeguarding_focal_point = f"{NAME}, director"
    proposal = make_proposal(organisation, state="awarded", title="Safe homes")
    proposal.created_by_id = user.id
    proposal.answers = {"q1": f"Contact: {NAME} <{EMAIL}>"}
    grant = make_grant(proposal)
    grant.amount = Decimal("24000.00")
    audit.record("proposal", proposal.id, "submit", actor=user, comment=f"sent by {NAME}")
    db.session.commit()
    return user


def test_with_history_the_request_waits_for_the_secretariat(client, grantee):
    admin = make_user(Role.ADMIN, email="sec@example.org")
    login(client, grantee)
    response = erase(client)
    assert response.headers["Location"] == "/account/data/"
    assert db.session.get(User, grantee.id).name == NAME
    [request] = db.session.scalars(select(ErasureRequest)).all()
    assert request.state == "pending"
    assert outbox(event="erasure_requested", recipient=admin.email)
    page = page_text(client.get("/account/data/"))
    assert "The secretariat will reply by e-mail." in page
    erase(client)  # asking twice keeps one request
    assert db.session.scalar(select(func.count(ErasureRequest.id))) == 1


def test_after_the_secretariat_confirms_nothing_personal_is_left(client, app, grantee):
    login(client, grantee)
    erase(client)
    before = traces(app, NAME, EMAIL)
    for place in ("users.name", "proposals.answers", "organisations.safeguarding_focal_point"):
        assert place in before  # the search finds what it must remove
    audit_rows = db.session.scalar(select(func.count(AuditEvent.id)))
    money = db.session.scalar(select(func.sum(Grant.amount)))
    admin = make_user(Role.ADMIN)
    login(client, admin)
    page = page_text(client.get("/admin/erasure-requests/"))
    assert NAME in page
    [request] = db.session.scalars(select(ErasureRequest)).all()
    ask = client.post(f"/admin/erasure-requests/{request.id}/confirm")
    assert ask.status_code == 200 and "This cannot be undone." in page_text(ask)
    assert db.session.get(User, grantee.id).name == NAME  # nothing done before confirming
    done = client.post(f"/admin/erasure-requests/{request.id}/confirm", data={"confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert traces(app, NAME, EMAIL) == []
    # the request's "erase" transition and the "anonymised" row; none is lost
    assert db.session.scalar(select(func.count(AuditEvent.id))) == audit_rows + 2
    assert db.session.scalar(select(func.sum(Grant.amount))) == money
    assert db.session.scalar(select(Membership).where(Membership.user_id == grantee.id)) is None
    assert db.session.get(ErasureRequest, request.id).state == "erased"
    again = client.post(f"/admin/erasure-requests/{request.id}/confirm", data={"confirmed": "1"})
    assert again.status_code == 409


def test_the_secretariat_keeps_the_data_and_explains(client, grantee):
    login(client, grantee)
    erase(client)
    login(client, make_user(Role.ADMIN))
    [request] = db.session.scalars(select(ErasureRequest)).all()
    empty = client.post(f"/admin/erasure-requests/{request.id}/keep", data={})
    assert empty.status_code == 400
    reason = "The grant is under audit until 2030."
    response = client.post(
        f"/admin/erasure-requests/{request.id}/keep",
        data={f"keep{request.id}-explanation": reason},
    )
    assert response.status_code == 302
    assert db.session.get(User, grantee.id).name == NAME
    [mail] = outbox(event="erasure_kept", recipient=EMAIL)
    assert reason in mail.body_text


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_admins_answer_requests(client, grantee, role):
    request = ErasureRequest(user_id=grantee.id)
    db.session.add(request)
    db.session.commit()
    login(client, make_user(role))
    assert client.get("/admin/erasure-requests/").status_code == 403
    for action in ("confirm", "keep"):
        url = f"/admin/erasure-requests/{request.id}/{action}"
        assert client.post(url, data={"confirmed": "1"}).status_code == 403
    assert db.session.get(User, grantee.id).name == NAME


def test_anonymous_visitors_are_sent_to_log_in(client, ctx):
    assert erase(client).headers["Location"].startswith("/account/login")
    response = client.get("/admin/erasure-requests/")
    assert response.headers["Location"].startswith("/account/login")
    login(client, make_user(Role.ADMIN))
    assert client.post("/admin/erasure-requests/99999/keep").status_code == 404


def test_other_people_are_untouched(client, app, ctx):
    other = make_user(name="Wanjiru Otieno", email="otieno@example.org")
    queue_email(other, "password_changed")
    db.session.commit()
    user = make_user(name=NAME, email=EMAIL)
    login(client, user)
    erase(client)
    db.session.expire_all()
    assert db.session.get(User, other.id).name == "Wanjiru Otieno"
    assert (
        db.session.scalar(
            select(func.count(OutgoingMessage.id)).where(
                OutgoingMessage.recipient == "otieno@example.org"
            )
        )
        == 1
    )
