"""Proposal files: uploads checked by content and size, refused with a clear 400 that keeps the
saved draft, and downloads only for those who may see the proposal, only as attachments."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import ProposalAttachment, ProposalVersion, Role, StoredFile
from fund.models.base import utcnow
from tests.conftest import login, make_organisation, make_proposal, make_user
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    PDF,
    PNG,
    colleague,
    draft,
    form_data,
    member,
    organisation,
    upload,
    upload_dir,
)


def edit_url(proposal) -> str:
    return f"/proposals/{proposal.id}/edit"


def file_url(proposal, file_id) -> str:
    return f"/proposals/{proposal.id}/files/{file_id}"


def download(client, url: str):
    """GET a file and close the response (sent files hold the file open until then)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def mark_submitted(proposal) -> None:
    """Others see a proposal, and its files, only once it is submitted."""
    proposal.state, proposal.submitted_at = "submitted", utcnow()
    db.session.commit()


def attach(client, proposal, data: bytes, name: str, **fields):
    return client.post(
        edit_url(proposal),
        content_type="multipart/form-data",
        data=form_data(proposal, attachment_upload=upload(data, name), **fields),
    )


@pytest.fixture
def attached(client, member, draft, upload_dir):
    """The member attached a PDF to the draft (and stays logged in)."""
    login(client, member)
    response = attach(client, draft, PDF, "workplan.pdf", attachment_description="Work plan")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{edit_url(draft)}#attachments"
    [attachment] = draft.attachments
    return attachment


def test_an_attachment_is_stored_outside_static_under_a_random_name(attached, upload_dir):
    """The file keeps its name for people and gets a random one on disk, in the upload folder."""
    stored = attached.file
    assert (stored.original_name, stored.size, attached.description) == (
        "workplan.pdf",
        len(PDF),
        "Work plan",
    )
    assert stored.storage_name != "workplan.pdf"
    assert (upload_dir / stored.storage_name).read_bytes() == PDF
    assert stored.organisation_id == attached.proposal.organisation_id


def test_the_form_lists_the_attachment_with_its_download_link(client, attached):
    page = client.get(edit_url(attached.proposal)).get_data(as_text=True)
    assert f'href="{file_url(attached.proposal, attached.file_id)}">workplan.pdf</a>' in page
    assert f'name="remove_attachment" value="{attached.id}"' in page


@pytest.mark.parametrize(
    "roles, member_of_applicant",
    [
        ((Role.APPLICANT,), True),
        ((Role.ADMIN,), False),
        ((Role.CHAIR,), False),
    ],
    ids=["member", "admin", "chair"],
)
def test_those_who_may_see_the_proposal_download_its_files(
    app, attached, roles, member_of_applicant
):
    """Members, the secretariat and chairs get the file of a submitted proposal, as a download,
    never inline."""
    mark_submitted(attached.proposal)
    user = make_user(*roles)
    if member_of_applicant:
        organisation = attached.proposal.organisation
        organisation.memberships.append(type(organisation.memberships[0])(user_id=user.id))
        db.session.commit()
    other = app.test_client()
    login(other, user)
    response = download(other, file_url(attached.proposal, attached.file_id))
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "workplan.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "roles", [(Role.APPLICANT,), (Role.REVIEWER,)], ids=["other organisation", "reviewer"]
)
def test_others_get_not_found(app, attached, roles):
    """A member of another organisation or an unassigned reviewer: 404."""
    outsider = make_user(*roles)
    make_organisation(outsider)
    other = app.test_client()
    login(other, outsider)
    assert download(other, file_url(attached.proposal, attached.file_id)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(app, attached):
    response = app.test_client().get(file_url(attached.proposal, attached.file_id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_an_admin_neither_downloads_nor_edits_a_draft(app, attached):
    """A draft, its files and its form are the organisation's alone, even for the secretariat."""
    admin = make_user(Role.ADMIN)
    other = app.test_client()
    login(other, admin)
    assert download(other, file_url(attached.proposal, attached.file_id)).status_code == 404
    assert other.get(edit_url(attached.proposal)).status_code == 404
    assert (
        other.post(
            edit_url(attached.proposal),
            data={"remove_attachment": attached.id, "lock_version": "2"},
        ).status_code
        == 404
    )
    assert len(attached.proposal.attachments) == 1


def test_a_file_of_another_proposal_is_not_found_through_this_one(client, attached, member):
    """The file must belong to the proposal in the address, even for a member of both."""
    second = make_proposal(attached.proposal.organisation, title="Second")
    assert download(client, file_url(second, attached.file_id)).status_code == 404
    assert download(client, file_url(attached.proposal, 9999)).status_code == 404


def test_the_organisation_policy_is_a_file_of_the_proposal_that_relies_on_it(
    app, client, member, draft, upload_dir
):
    """A chair reading the submitted proposal can open the organisation's safeguarding policy
    through it; the form names it."""
    organisation = draft.organisation
    login(client, member)
    response = client.post(
        f"/organisations/{organisation.id}/edit",
        content_type="multipart/form-data",
        data={
            "name": organisation.name,
            "country_code": "UG",
            "org_type": "ngo",
            "budget_band": "under_50k",
            "safeguarding_policy": upload(PDF, "policy.pdf"),
        },
    )
    assert response.status_code == 302
    policy_id = organisation.safeguarding_policy_file_id
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert "Your organisation's policy on file goes with this proposal" in page
    assert f'href="{file_url(draft, policy_id)}">policy.pdf</a>' in page
    mark_submitted(draft)
    chair = app.test_client()
    login(chair, make_user(Role.CHAIR))
    assert download(chair, file_url(draft, policy_id)).status_code == 200


def test_a_policy_uploaded_with_the_proposal_replaces_the_organisation_one(
    client, member, draft, upload_dir
):
    """The proposal's own policy is stored on it and offered for download."""
    login(client, member)
    response = client.post(
        edit_url(draft),
        content_type="multipart/form-data",
        data=form_data(draft, safeguarding_upload=upload(PDF, "our-policy.pdf")),
    )
    assert response.status_code == 302
    stored = draft.safeguarding_file
    assert stored.original_name == "our-policy.pdf"
    assert download(client, file_url(draft, stored.id)).data == PDF
    assert "Policy uploaded with this proposal:" in client.get(edit_url(draft)).get_data(
        as_text=True
    )


def test_a_file_of_a_submitted_version_stays_available(client, attached):
    """Removing an attachment from the draft keeps it downloadable if a version lists it."""
    proposal = attached.proposal
    db.session.add(
        ProposalVersion(
            proposal_id=proposal.id,
            number=1,
            content={
                "attachments": [{"file_id": attached.file_id}],
                "safeguarding": {"file_id": None},
            },
        )
    )
    db.session.commit()
    file_id = attached.file_id
    client.post(edit_url(proposal), data=form_data(proposal, remove_attachment=attached.id))
    assert proposal.attachments == []
    assert download(client, file_url(proposal, file_id)).status_code == 200


def test_removing_an_attachment_takes_it_off_the_proposal(client, attached):
    """ "Remove" detaches the file (saving the draft) and its download stops."""
    proposal, file_id = attached.proposal, attached.file_id
    response = client.post(
        edit_url(proposal),
        data=form_data(proposal, title="Still saved", remove_attachment=attached.id),
    )
    assert response.status_code == 302
    assert proposal.attachments == [] and proposal.title == "Still saved"
    assert db.session.scalar(db.select(db.func.count(ProposalAttachment.id))) == 0
    assert download(client, file_url(proposal, file_id)).status_code == 404


def saved(proposal) -> tuple:
    db.session.refresh(proposal)
    return (
        proposal.title,
        proposal.lock_version,
        proposal.safeguarding_file_id,
        [a.file_id for a in proposal.attachments],
    )


BAD_FILES = {
    "content not matching the name": (PNG, "budget.pdf", "is not a real .pdf file"),
    "a program": (b"MZ\x90\x00", "tool.exe", "Files of type .exe are not accepted"),
    "no extension": (PDF, "budget", "The file needs a name ending in one of"),
    "empty": (b"", "empty.pdf", "The file is empty."),
    "a path": (PDF, "../../etc/passwd.pdf", "Rename the file before uploading it"),
    "a control character": (PDF, "bud\x07get.pdf", "Rename the file before uploading it"),
}


@pytest.mark.parametrize("field", ["attachment_upload", "safeguarding_upload"])
@pytest.mark.parametrize("data, name, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_refused_and_the_draft_is_intact(
    client, attached, upload_dir, field, data, name, message
):
    """400 with the reason next to the field; the typed text comes back; nothing saved changes
    and no new file is kept."""
    proposal = attached.proposal
    before = saved(proposal)
    files_before = db.session.scalar(db.select(db.func.count(StoredFile.id)))
    response = client.post(
        edit_url(proposal),
        content_type="multipart/form-data",
        data=form_data(proposal, title="Typed title", **{field: upload(data, name)}),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Typed title"' in page
    assert saved(proposal) == before
    assert db.session.scalar(db.select(db.func.count(StoredFile.id))) == files_before


def test_a_file_over_the_limit_is_refused(app, client, attached, monkeypatch):
    """Over the configured size: 400 saying the limit, and the draft keeps what it had."""
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 100)
    proposal = attached.proposal
    before = saved(proposal)
    response = attach(client, proposal, PDF + b" " * 100, "big.pdf")
    assert response.status_code == 400
    assert "The file is larger than 0.1 KB" in response.get_data(as_text=True)
    assert saved(proposal) == before


def test_a_request_over_the_server_limit_is_a_clear_413(app, client, attached, monkeypatch):
    """A body beyond MAX_CONTENT_LENGTH is cut off with 413, not a 500."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    proposal = attached.proposal
    before = saved(proposal)
    response = attach(client, proposal, PDF + b" " * 5000, "huge.pdf")
    assert response.status_code == 413
    assert saved(proposal) == before


def test_the_number_of_attachments_is_limited(client, attached, monkeypatch):
    """Past the limit the upload is refused with the reason."""
    from fund.proposals import drafts

    monkeypatch.setattr(drafts, "MAX_ATTACHMENTS", 1)
    proposal = attached.proposal
    response = attach(client, proposal, PDF, "second.pdf")
    assert response.status_code == 400
    assert "A proposal can have at most 1 attachments." in response.get_data(as_text=True)
    assert len(proposal.attachments) == 1
