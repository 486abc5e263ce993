"""A person downloads everything the fund holds about them (issue 11, "Your data"): one ZIP,
streamed, with a README, data.json in its documented shape, and the files they uploaded; none
of anybody else's data."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from fund import audit, storage
from fund.extensions import db
from fund.models import AuditEvent, Conflict, Role
from tests.conftest import count_queries, login, make_organisation, make_proposal, make_user
from tests.decisions.conftest import make_reviewed, make_rubric_call, review

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "fund" / "data" / "personal_data.schema.json").read_text()
)
PDF = b"%PDF-1.4\n" + os.urandom(200_000) + b"\n%%EOF\n"  # large enough to stream in pieces


def download(client):
    return client.post("/account/data/download")


def unzip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def upload(user, organisation, name="plan.pdf", data=PDF):
    stored = storage.store(
        FileStorage(io.BytesIO(data), filename=name),
        organisation_id=organisation.id,
        uploaded_by_id=user.id,
    )
    db.session.commit()
    return stored


@pytest.fixture
def reviewer(ctx):
    """A reviewer with a review, a conflict and an uploaded file, among other people's data."""
    user = make_user(Role.REVIEWER, Role.APPLICANT, name="Rosa Reviewer", email="rosa@example.org")
    other = make_user(Role.APPLICANT, name="Otto Other", email="otto@example.org")
    call = make_rubric_call()
    theirs = make_organisation(other, name="Otto's NGO")
    proposal = make_reviewed(call, theirs, amount="20000")
    review(proposal, user, (4, 5), comments="Clear plan.", confidential="Budget padded?")
    review(proposal, other, (2, 2), comments="Otto's own review.")
    mine = make_organisation(user, name="Rosa's Network")
    upload(user, mine)
    upload(other, theirs, name="otto.pdf")
    db.session.add(Conflict(user_id=user.id, organisation_id=mine.id, reason="I work there."))
    audit.record("user", user.id, "roles_changed", actor=other, comment="reviewer added")
    db.session.commit()
    return user


def test_the_zip_holds_a_readme_the_data_and_the_files(client, reviewer):
    login(client, reviewer)
    archive = unzip(download(client))
    names = archive.namelist()
    assert names[:2] == ["README.txt", "data.json"]
    data = json.loads(archive.read("data.json"))
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(data)
    assert data["account"]["email"] == "rosa@example.org"
    assert {r["role"] for r in data["account"]["roles"]} == {"reviewer", "applicant"}
    [the_review] = data["reviews"]
    assert the_review["confidential_comments"] == "Budget padded?"
    assert [s["score"] for s in the_review["scores"]] == [4, 5]
    assert data["memberships"][0]["organisation"] == "Rosa's Network"
    assert data["conflicts_declared"][0]["reason"] == "I work there."
    assert any(a["action"] == "roles_changed" and not a["by_you"] for a in data["activity"])
    [file] = data["files"]
    assert archive.read(file["in_zip"]) == PDF
    assert "data.json holds" in archive.read("README.txt").decode()


def test_nobody_elses_data_is_in_it(client, reviewer):
    login(client, reviewer)
    archive = unzip(download(client))
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for theirs in (b"otto@example.org", b"Otto's own review", b"otto.pdf"):
        assert theirs not in everything
    assert len([n for n in archive.namelist() if n.startswith("files/")]) == 1


def test_the_zip_is_streamed_in_pieces(client, reviewer):
    login(client, reviewer)
    response = download(client)
    assert response.is_streamed
    pieces = [piece for piece in response.response if piece]
    assert len(pieces) > 2  # README and data, then the file piece by piece
    assert max(len(p) for p in pieces) < len(PDF)


def test_the_download_is_in_the_audit_log(client, reviewer):
    login(client, reviewer)
    download(client).get_data()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "personal_data_export"))
    assert (event.subject_id, event.actor_id) == (reviewer.id, reviewer.id)


def test_the_page_says_what_is_in_it(client, reviewer):
    login(client, reviewer)
    page = client.get("/account/data/").get_data(as_text=True)
    assert "the 1 file you uploaded" in page
    assert 'action="/account/data/download"' in page
    assert "/account/data/" in client.get("/account/profile").get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN])
def test_every_role_downloads_its_own_data(client, role):
    user = make_user(role)
    login(client, user)
    assert client.get("/account/data/").status_code == 200
    data = json.loads(unzip(download(client)).read("data.json"))
    assert data["account"]["id"] == user.id


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/account/data/").headers["Location"].startswith("/account/login")
    assert download(client).headers["Location"].startswith("/account/login")


def test_the_download_is_a_post(client, ctx):
    login(client, make_user())
    assert client.get("/account/data/download").status_code == 405


def test_the_query_count_does_not_grow_with_the_data(client, ctx):
    user = make_user(Role.REVIEWER, Role.APPLICANT)
    login(client, user)
    organisation = make_organisation(user)

    def queries() -> int:
        with count_queries() as statements:
            download(client).get_data()
        return len(statements)

    make_proposal(organisation).created_by_id = user.id
    db.session.commit()
    few = queries()
    for n in range(5):
        make_proposal(organisation, title=f"P{n}").created_by_id = user.id
        upload(user, organisation, name=f"f{n}.pdf", data=b"%PDF-1.4\nx\n%%EOF\n")
    db.session.commit()
    assert queries() == few
