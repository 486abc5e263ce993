"""Passkeys (issue 11): who may use each endpoint, bad input answered with a clear 4xx JSON
(never a 500), rate limits, removing a passkey with the password and another factor, and the
admin's reset, the data export and the erasure, which all cover passkeys."""

from __future__ import annotations

import json
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from fund import clock
from fund.auth import erasure, personal_data
from fund.extensions import db
from fund.models import AuditEvent, Passkey, Role
from tests.auth.conftest import JSON, is_signed_in, page_text
from tests.auth.soft_authenticator import (
    SoftAuthenticator,
    add_passkey,
    post_assertion,
    sign_in_options,
    sign_in_with,
    stored_passkey,
)
from tests.auth.test_personal_data import SCHEMA
from tests.auth.test_two_factor import NOW, code_at, enrol
from tests.conftest import PASSWORD, count_queries, login, make_user, outbox

SIGNED_IN_ONLY = [
    "/account/passkeys/register/options",
    "/account/passkeys/register",
    "/account/passkeys/confirm/options",
    "/account/passkeys/remove",
]


def with_passkey(client, relying_party, user, name="Work laptop") -> SoftAuthenticator:
    authenticator = SoftAuthenticator(*relying_party)
    login(client, user)
    assert add_passkey(client, authenticator, name=name).status_code == 201
    return authenticator


@pytest.mark.parametrize("path", SIGNED_IN_ONLY)
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.post(path, json={}, headers=JSON)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_add_a_passkey(client, relying_party, role):
    login(client, make_user(role))
    assert add_passkey(client, SoftAuthenticator(*relying_party)).status_code == 201


def test_anyone_may_ask_for_sign_in_options_but_not_once_signed_in(client, relying_party):
    assert client.post("/account/passkeys/login/options", headers=JSON).status_code == 200
    login(client, make_user())
    for path in ("/account/passkeys/login/options", "/account/passkeys/login"):
        response = client.post(path, json={}, headers=JSON)
        assert response.status_code == 409
        assert response.get_json()["error"] == "You are logged in already."


def test_options_after_the_password_need_a_password_first(client):
    response = client.post(
        "/account/passkeys/login/options", json={"after_password": True}, headers=JSON
    )
    assert response.status_code == 400
    assert "Log in again" in response.get_json()["error"]


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"credential": "text"}', b'{"credential": {}}', b"{}"],
    ids=["not-json", "a-list", "credential-not-an-object", "empty-credential", "no-credential"],
)
@pytest.mark.parametrize("ceremony", ["login", "register"])
def test_malformed_answers_get_a_clear_400(client, relying_party, ceremony, body):
    if ceremony == "register":
        login(client, make_user())
    client.post(f"/account/passkeys/{ceremony}/options", headers=JSON)
    response = client.post(
        f"/account/passkeys/{ceremony}", data=body, content_type="application/json", headers=JSON
    )
    assert response.status_code == 400
    assert response.get_json()["error"]


@pytest.mark.parametrize("ceremony", ["login", "register"])
def test_an_answer_without_options_asked_first_is_refused(client, relying_party, ceremony):
    if ceremony == "register":
        login(client, make_user())
    credential = SoftAuthenticator(*relying_party).create(
        {"challenge": "AAAA", "user": {"id": "MQ"}}
    )
    response = client.post(
        f"/account/passkeys/{ceremony}",
        json={"name": "Laptop", "credential": credential},
        headers=JSON,
    )
    assert response.status_code == 400
    assert "run out or was used" in response.get_json()["error"]


def test_an_answer_to_another_challenge_is_refused(client, relying_party):
    authenticator = with_passkey(client, relying_party, make_user())
    client.post("/account/logout")
    sign_in_options(client)
    response = post_assertion(client, authenticator.get({"challenge": "b3RoZXItY2hhbGxlbmdl"}))
    assert response.status_code == 400
    assert response.get_json()["error"] == "The passkey's answer could not be checked. Try again."
    assert not is_signed_in(client)


def test_an_unknown_passkey_is_refused(client, relying_party):
    sign_in_options(client)
    unknown = SoftAuthenticator(*relying_party)
    response = post_assertion(client, unknown.get(sign_in_options(client)))
    assert response.status_code == 400
    assert "not known here" in response.get_json()["error"]


def test_sign_in_answers_are_limited(client, relying_party):
    authenticator = with_passkey(client, relying_party, make_user())
    client.post("/account/logout")
    for _ in range(5):
        sign_in_options(client)
        assert post_assertion(client, {"rawId": "AAAA"}).status_code == 400
    response = sign_in_with(client, authenticator)
    assert response.status_code == 429
    assert response.get_json()["error"] == "Too many attempts"


def test_the_options_need_the_csrf_token(client, csrf):
    response = client.post("/account/passkeys/login/options", headers=JSON)
    assert response.status_code == 400
    assert "expired or was sent from elsewhere" in response.get_json()["message"]


def test_a_passkey_is_removed_with_the_password_and_another_passkey(client, relying_party):
    user = make_user()
    authenticator = with_passkey(client, relying_party, user)
    page = page_text(client.get("/account/two-factor"))
    assert "Remove a passkey" in page and "confirm with one of your passkeys" in page
    [passkey] = db.session.scalars(select(Passkey)).all()
    options = client.post("/account/passkeys/confirm/options", headers=JSON).get_json()
    form = {"passkey-passkey": passkey.id, "passkey-password": PASSWORD}
    form["passkey-assertion"] = json.dumps(authenticator.get(options))
    response = client.post("/account/passkeys/remove", data=form)
    assert response.headers["Location"] == "/account/two-factor"
    assert db.session.scalar(select(Passkey.id)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "passkey_removed"))


def test_removing_needs_the_password_and_a_second_factor(client, relying_party, monkeypatch):
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    user = make_user()
    secret, _codes = enrol(client, user)
    with_passkey(client, relying_party, user)
    passkey_id = db.session.scalar(select(Passkey.id))
    form = {"passkey-passkey": passkey_id, "passkey-password": "wrong", "passkey-code": ""}
    wrong_password = client.post("/account/passkeys/remove", data=form)
    assert wrong_password.status_code == 400
    assert "The password is not correct." in page_text(wrong_password)
    form["passkey-password"] = PASSWORD
    no_factor = client.post("/account/passkeys/remove", data=form)
    assert no_factor.status_code == 400
    assert "confirm with one of your passkeys" in page_text(no_factor)
    assert db.session.scalar(select(Passkey.id)) == passkey_id
    moment["now"] = NOW + timedelta(minutes=1)  # the code of NOW was used to enrol
    form["passkey-code"] = code_at(secret, moment["now"])
    assert client.post("/account/passkeys/remove", data=form).status_code == 302
    assert db.session.scalar(select(Passkey.id)) is None


def test_nobody_removes_another_users_passkey(client, relying_party):
    with_passkey(client, relying_party, make_user())
    theirs = db.session.scalar(select(Passkey.id))
    login(client, make_user())
    form = {"passkey-passkey": theirs, "passkey-password": PASSWORD}
    assert client.post("/account/passkeys/remove", data=form).status_code == 400
    assert db.session.scalar(select(Passkey.id)) == theirs


def test_an_admin_reset_removes_the_passkeys(client, relying_party):
    owner = make_user(Role.REVIEWER)
    with_passkey(client, relying_party, owner)
    login(client, make_user(Role.ADMIN))
    assert "Their passkeys are removed too." in page_text(client.get(f"/admin/users/{owner.id}"))
    response = client.post(f"/admin/users/{owner.id}/two-factor/reset")
    assert response.status_code == 302
    assert db.session.scalar(select(Passkey.id)) is None
    assert outbox(event="two_factor_reset", recipient=owner.email)


def test_the_data_export_lists_passkey_names_never_keys(client, relying_party):
    user = make_user()
    with_passkey(client, relying_party, user, name="Office key")
    data = personal_data.collect(user, NOW)
    [entry] = data["account"]["passkeys"]
    assert entry["name"] == "Office key" and entry["last_used_at"] is None
    assert set(entry) == {"name", "created_at", "last_used_at"}
    download = client.post("/account/data/download")
    assert download.status_code == 200
    with zipfile.ZipFile(BytesIO(download.data)) as archive:
        exported = json.loads(archive.read("data.json"))
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        exported
    )
    assert exported["account"]["passkeys"][0]["name"] == "Office key"
    assert "public_key" not in json.dumps(exported)


def test_erasure_deletes_the_passkeys(client, relying_party):
    user = make_user()
    with_passkey(client, relying_party, user)
    erasure.anonymise(user, user, NOW)
    db.session.commit()
    assert db.session.scalar(select(Passkey.id)) is None


def test_the_list_of_passkeys_takes_the_same_queries_however_long(client, relying_party):
    user = make_user()
    with_passkey(client, relying_party, user, name="Passkey 1")

    def page_queries() -> int:
        with count_queries() as statements:
            assert client.get("/account/two-factor").status_code == 200
        return len(statements)

    page_queries()  # the first visit also stores the app key offered for two-factor set-up
    one = page_queries()
    for _ in range(5):
        stored_passkey(user.id)
    db.session.commit()
    assert "Spare key" in page_text(client.get("/account/two-factor"))
    assert page_queries() == one
