"""Applicants answer a file question: the form shows the kinds and size up front and the file
kept, a save stores the file like an attachment, a wrong, oversized or forged file gets a 400
beside the field that keeps the typing, and the file goes wherever the proposal goes."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import secrets
import stat
from datetime import timedelta

import pytest

from fund.calls import form_builder
from fund.extensions import db
from fund.models import Proposal, ProposalVersion, Role, StoredFile
from fund.proposals import file_answers, submission
from fund.rules import proposal_content as content
from tests.conftest import count_queries, login, make_organisation, make_user
from tests.proposals.drafting import PDF, PNG, form_data, upload, upload_dir  # noqa: F401
from tests.proposals.file_questions import (
    LETTER,
    letter_call,
    letter_draft,
    save_with_file,
    saved_letter,
)
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups
from tests.reviews.conftest import assign
from tests.uploading import office_file


@pytest.fixture(autouse=True)
def _income_groups(ctx, upload_dir):
    load_income_groups()


def download(client, url: str):
    """GET a file and close the response (sent files hold the file open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def uploaded(client):
    """A member saved the draft with a PDF letter (and stays logged in): (proposal, letter id,
    note id, the letter's stored answer)."""
    proposal, letter, note = letter_draft()
    login(client, a_member(proposal))
    response = save_with_file(client, proposal, letter, PDF, "letter.pdf", **{note: "Hello"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}/edit#{letter}"
    return proposal, letter, note, saved_letter(proposal, letter)


def test_the_form_shows_the_kinds_and_size_before_a_file_is_chosen(client):
    proposal, letter, _note = letter_draft()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert f'<label for="{letter}">{LETTER}</label>' in page
    assert "One file of at most 1 MB: PDF, Image (PNG, JPG)." in page
    field = f'<input type="file" id="{letter}" name="{letter}-file"'
    assert f'{field} accept=".pdf,.png,.jpg,.jpeg"' in page
    assert "Current file:" not in page
    assert 'enctype="multipart/form-data"' in page


def test_a_file_is_stored_like_an_attachment_and_listed_with_its_link(client, uploaded, upload_dir):
    proposal, letter, note, answer = uploaded
    stored = db.session.get(StoredFile, answer["file_id"])
    assert answer == {"file_id": stored.id, "name": "letter.pdf", "size": len(PDF)}
    assert stored.organisation_id == proposal.organisation_id
    path = upload_dir / stored.storage_name
    assert path.read_bytes() == PDF and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert saved_letter(proposal, note) == "Hello"
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    link = f"/proposals/{proposal.id}/files/{stored.id}"
    assert f'Current file: <a href="{link}">letter.pdf</a>' in page
    assert f'<input type="hidden" name="{letter}" value="{stored.id}">' in page
    assert ">Replace<" in page and ">Remove<" in page
    assert download(client, link).data == PDF


def test_a_save_without_a_new_file_keeps_the_file(client, uploaded):
    """Save draft and autosave send the kept file's id, never the file."""
    proposal, letter, note, answer = uploaded
    data = form_data(proposal, **{letter: str(answer["file_id"]), note: "Changed"})
    assert client.post(f"/proposals/{proposal.id}/edit", data=data).status_code == 302
    assert saved_letter(proposal, letter) == answer
    data = form_data(proposal, **{letter: str(answer["file_id"]), note: "Autosaved"})
    assert client.post(f"/proposals/{proposal.id}/autosave", data=data).status_code == 200
    assert saved_letter(proposal, letter) == answer
    assert saved_letter(proposal, note) == "Autosaved"


def test_replacing_keeps_the_old_file_and_remove_takes_it_off(client, uploaded):
    proposal, letter, _note, first = uploaded
    extra = {letter: str(first["file_id"])}
    assert save_with_file(client, proposal, letter, PNG, "scan.png", **extra).status_code == 302
    second = saved_letter(proposal, letter)
    assert second["name"] == "scan.png" and second["file_id"] != first["file_id"]
    assert db.session.get(StoredFile, first["file_id"]) is not None  # a version may give it
    data = form_data(proposal, **{letter: str(second["file_id"]), "remove_file": letter})
    assert client.post(f"/proposals/{proposal.id}/edit", data=data).status_code == 302
    assert saved_letter(proposal, letter) is None


def test_a_required_file_question_offers_no_remove(client):
    proposal, letter, _note = letter_draft(required=True)
    login(client, a_member(proposal))
    assert save_with_file(client, proposal, letter, PDF, "letter.pdf").status_code == 302
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert ">Replace<" in page and 'name="remove_file"' not in page


@pytest.mark.parametrize(
    "content, name, message",
    [
        (office_file("docx"), "letter.docx", "Files of type .docx are not accepted here."),
        (office_file("docx"), "letter.pdf", "The file&#39;s content is not a real .pdf file."),
        (PDF + b"0" * 2048, "big.pdf", "The file is larger than 1 KB."),
    ],
    ids=["kind not accepted", "content not the kind named", "over the question's size"],
)
def test_a_refused_file_is_a_400_beside_the_field_and_keeps_the_typing(
    client, monkeypatch, content, name, message
):
    # The question's 1 MB read as 1 KB: the test client spools a real megabyte to a file it
    # never closes, which the warnings-as-errors setting would report.
    monkeypatch.setattr(file_answers, "MB", 1024)
    proposal, letter, note = letter_draft()
    login(client, a_member(proposal))
    response = save_with_file(client, proposal, letter, content, name, **{note: "Typed text"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<p class="error" id="{letter}-error">{message}' in page
    assert f'<a href="#{letter}">{LETTER}: {message}' in page
    assert 'value="Typed text"' in page
    assert saved_letter(proposal, letter) is None and saved_letter(proposal, note) is None


def test_when_the_storage_cannot_take_the_file_the_typing_and_the_old_file_are_kept(
    app, client, uploaded, monkeypatch, tmp_path
):
    proposal, letter, note, first = uploaded
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(blocker / "uploads"))
    extra = {letter: str(first["file_id"]), note: "Kept"}
    response = save_with_file(client, proposal, letter, PNG, "scan.png", **extra)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "the file could not be stored on our side" in page
    assert saved_letter(proposal, letter) == first and saved_letter(proposal, note) == "Kept"


def test_a_file_of_another_proposal_posted_as_the_answer_is_refused(client, uploaded):
    """A forged answer: the id of a file the draft does not give this question."""
    proposal, letter, note, answer = uploaded
    other, other_letter, _ = letter_draft()
    login(client, a_member(other))
    data = form_data(other, **{other_letter: str(answer["file_id"]), _: "Typed"})
    response = client.post(f"/proposals/{other.id}/edit", data=data)
    assert response.status_code == 400
    assert "That file is not part of this proposal." in response.get_data(as_text=True)
    assert saved_letter(other, other_letter) is None
    response = client.post(f"/proposals/{other.id}/autosave", data=data)
    assert response.status_code == 400 and saved_letter(other, other_letter) is None
    assert download(client, f"/proposals/{other.id}/files/{answer['file_id']}").status_code == 404


def test_a_required_file_missing_stops_the_submission_with_a_message(client):
    proposal, letter, _note = letter_draft(required=True)
    login(client, a_member(proposal))
    response = client.post(f"/proposals/{proposal.id}/submit", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"{LETTER}: Add the file." in page or "Add the file." in page
    assert db.session.get(Proposal, proposal.id).state == "draft"


def submit(proposal: Proposal) -> None:
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()


def test_the_frozen_version_keeps_the_file_it_was_submitted_with(client, uploaded):
    """Replacing the file in a revision never changes what version 1 shows or downloads."""
    proposal, letter, _note, first = uploaded
    submit(proposal)
    version = db.session.query(ProposalVersion).filter_by(proposal_id=proposal.id).one()
    assert version.content["answers"][letter] == first
    proposal.state = "revision_requested"
    db.session.commit()
    extra = {letter: str(first["file_id"])}
    assert save_with_file(client, proposal, letter, PNG, "new.png", **extra).status_code == 302
    page = client.get(f"/proposals/{proposal.id}/versions/1").get_data(as_text=True)
    assert f'<a href="/proposals/{proposal.id}/files/{first["file_id"]}">letter.pdf</a>' in page
    assert "new.png" not in page
    assert download(client, f"/proposals/{proposal.id}/files/{first['file_id']}").data == PDF


def test_the_version_diff_names_the_file_replaced(client, uploaded):
    proposal, letter, _note, first = uploaded
    submit(proposal)
    proposal.state = "revision_requested"
    db.session.commit()
    extra = {letter: str(first["file_id"])}
    assert save_with_file(client, proposal, letter, PNG, "scan.png", **extra).status_code == 302
    second = saved_letter(proposal, letter)
    old = content.snapshot(db.session.get(Proposal, proposal.id))
    old["answers"] = {**old["answers"], letter: first}
    new = content.snapshot(db.session.get(Proposal, proposal.id))
    [change] = [c for c in content.diff(old, new) if c.field == letter]
    assert (change.question, change.old, change.new) == (LETTER, "letter.pdf", "scan.png")
    same_name = {**new, "answers": {**new["answers"], letter: {**second, "name": "letter.pdf"}}}
    [change] = [c for c in content.diff(old, same_name) if c.field == letter]
    assert change.new == "letter.pdf (another file of the same name)"


def member_of(proposal):
    user = make_user(Role.APPLICANT)
    organisation = proposal.organisation
    organisation.memberships.append(type(organisation.memberships[0])(user_id=user.id))
    db.session.commit()
    return user


def reviewer(proposal, *, conflicted: bool = False):
    user = make_user(Role.REVIEWER)
    review = assign(proposal, user)
    if conflicted:
        review.conflict_declared_at = review.no_conflict_at
        review.no_conflict_at = None
        db.session.commit()
    return user


def outsider(proposal):
    user = make_user(Role.APPLICANT)
    make_organisation(user)
    return user


WHO = {
    "applicant member": (member_of, 200),
    "other applicant": (outsider, 404),
    "assigned reviewer": (reviewer, 200),
    "conflicted reviewer": (lambda p: reviewer(p, conflicted=True), 404),
    "unassigned reviewer": (lambda p: make_user(Role.REVIEWER), 404),
    "chair": (lambda p: make_user(Role.CHAIR), 200),
    "admin": (lambda p: make_user(Role.ADMIN), 200),
}


@pytest.mark.parametrize("who", list(WHO))
def test_who_downloads_the_file_of_a_submitted_proposal(app, uploaded, who):
    proposal, _letter, _note, answer = uploaded
    submit(proposal)
    proposal.state = "in_review"
    db.session.commit()
    make, status = WHO[who]
    other = app.test_client()
    login(other, make(proposal))
    response = download(other, f"/proposals/{proposal.id}/files/{answer['file_id']}")
    assert response.status_code == status
    if status == 200:
        assert response.data == PDF
        assert response.headers["Content-Disposition"].startswith("attachment;")


def test_an_anonymous_visitor_is_sent_to_log_in(app, uploaded):
    proposal, _letter, _note, answer = uploaded
    response = app.test_client().get(f"/proposals/{proposal.id}/files/{answer['file_id']}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_pages_and_the_export_show_the_file(client, uploaded):
    proposal, letter, _note, answer = uploaded
    submit(proposal)
    link = f'<a href="/proposals/{proposal.id}/files/{answer["file_id"]}">letter.pdf</a>'
    login(client, make_user(Role.ADMIN))
    for url in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/versions/1"):
        page = client.get(url).get_data(as_text=True)
        assert LETTER in page and link in page
    text = client.get(f"/screening/calls/{proposal.call_id}/proposals.csv").get_data(as_text=True)
    header, row = text.splitlines()[:2]
    assert LETTER in header and '"letter.pdf","Hello"' in row


def test_a_file_name_in_the_export_cannot_start_a_formula(client):
    proposal, letter, _note = letter_draft()
    login(client, a_member(proposal))
    assert save_with_file(client, proposal, letter, PDF, "=cmd.pdf").status_code == 302
    submit(proposal)
    login(client, make_user(Role.ADMIN))
    text = client.get(f"/screening/calls/{proposal.call_id}/proposals.csv").get_data(as_text=True)
    assert '"\'=cmd.pdf"' in text and '"=cmd.pdf"' not in text


def edit_page_queries(client, questions: int) -> int:
    """Queries of the edit page of a draft answering `questions` file questions."""
    call, letter, _note = letter_call()
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "More files")
    ids = [letter] + [
        form_builder.add_question(call, admin, section, "file", f"File {n}", [])
        for n in range(questions - 1)
    ]
    proposal = complete_proposal(call=call)
    answers = dict(proposal.answers or {})
    for n, qid in enumerate(ids):
        stored = StoredFile(
            storage_name=secrets.token_hex(16),
            original_name=f"file-{n}.pdf",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            organisation_id=proposal.organisation_id,
        )
        db.session.add(stored)
        db.session.flush()
        answers[qid] = {"file_id": stored.id, "name": stored.original_name, "size": 100}
    proposal.answers = answers
    db.session.commit()
    login(client, a_member(proposal))
    url = f"/proposals/{proposal.id}/edit"
    assert f"file-{questions - 1}.pdf" in client.get(url).get_data(as_text=True)  # warm caches
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_query_count_of_the_edit_page_does_not_grow_with_file_questions(client):
    assert edit_page_queries(client, 1) == edit_page_queries(client, 6)
