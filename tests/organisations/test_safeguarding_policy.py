"""The child-safeguarding policy file: checked by content, stored safely, sent as a download."""

from __future__ import annotations

import html
import unicodedata

import pytest
from sqlalchemy import func, select

from fund import storage
from fund.extensions import db
from fund.models import Organisation, Role, StoredFile
from tests.conftest import login, make_organisation, make_user
from tests.organisations.conftest import PDF, PNG, organisation_form, upload


def register_with_policy(client, data: bytes, filename: str, **fields):
    return client.post(
        "/organisations/new",
        data=organisation_form(safeguarding_policy=upload(data, filename), **fields),
        content_type="multipart/form-data",
    )


def download(client, organisation):
    """GET the policy, reading and closing the streamed file."""
    return client.get(f"/organisations/{organisation.id}/safeguarding-policy", buffered=True)


def test_pdf_is_stored_under_a_random_name(client, upload_dir):
    """A real PDF is kept outside static/ under a random name; its row says whose and what it is."""
    applicant = make_user(Role.APPLICANT)
    login(client, applicant)

    response = register_with_policy(client, PDF, "Safeguarding policy 2026.pdf")

    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation))
    stored = organisation.safeguarding_policy_file
    assert stored.original_name == "Safeguarding policy 2026.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert stored.organisation_id == organisation.id
    assert stored.uploaded_by_id == applicant.id
    files = list(upload_dir.iterdir())
    assert [f.name for f in files] == [stored.storage_name]
    assert "policy" not in stored.storage_name and len(stored.storage_name) >= 32
    assert files[0].read_bytes() == PDF


@pytest.mark.parametrize("roles", [(Role.APPLICANT,), (Role.ADMIN,)])
def test_members_and_admins_download_the_policy_as_an_attachment(client, upload_dir, roles):
    """The file comes back byte for byte, as an attachment and never inline."""
    applicant = make_user(Role.APPLICANT)
    login(client, applicant)
    register_with_policy(client, PDF, "policy.pdf")
    organisation = db.session.scalar(select(Organisation))
    if roles != (Role.APPLICANT,):
        login(client, make_user(*roles))

    response = download(client, organisation)

    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "policy.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_detail_page_links_the_policy(client, upload_dir):
    """The detail page names the file and links the download."""
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, PDF, "policy.pdf")
    organisation = db.session.scalar(select(Organisation))

    page = client.get(f"/organisations/{organisation.id}")

    assert f'href="/organisations/{organisation.id}/safeguarding-policy"'.encode() in page.data
    assert b"No policy on file yet" not in page.data


def test_organisation_without_a_policy_has_no_download(client):
    """Asking for a policy that was never uploaded is a 404."""
    applicant = make_user(Role.APPLICANT)
    organisation = make_organisation(applicant)
    login(client, applicant)
    assert download(client, organisation).status_code == 404


def test_policy_missing_from_storage_is_a_404_not_a_500(client, upload_dir):
    """If the stored bytes have gone (restored backup, lost volume), the download says not found."""
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, PDF, "policy.pdf")
    organisation = db.session.scalar(select(Organisation))
    for path in upload_dir.iterdir():
        path.unlink()

    assert download(client, organisation).status_code == 404


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (PNG, "policy.pdf", "The file's content is not a real .pdf file."),
        (
            b"This is our safeguarding policy, in plain text.\n",
            "policy.pdf",
            "The file's content is not a real .pdf file.",
        ),
        (
            b"<html><script>alert(1)</script></html>",
            "policy.pdf",
            "The file's content is not a real .pdf file.",
        ),
        (b"MZ\x90\x00\x03\x00\x00\x00", "policy.exe", "Files of type .exe are not accepted."),
        (PDF, "policy.pdf.exe", "Files of type .exe are not accepted."),
        (PDF, "policy.html", "Files of type .html are not accepted."),
        (PDF, "policy", "The file needs a name ending in one of:"),
        (b"", "policy.pdf", "The file is empty."),
        (PDF[:4] + b"PK", "policy.docx", "The file's content is not a real .docx file."),
    ],
)
def test_unacceptable_files_are_refused_and_nothing_is_saved(
    client, upload_dir, data, filename, message
):
    """Wrong content, a forbidden type or an empty file: 400, a clear message, nothing kept."""
    login(client, make_user(Role.APPLICANT))

    response = register_with_policy(client, data, filename)

    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert list(upload_dir.iterdir()) == []
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_a_file_over_the_size_limit_is_refused(client, upload_dir, app, monkeypatch):
    """A file larger than UPLOAD_MAX_BYTES is refused with the limit in the message."""
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 2048)
    login(client, make_user(Role.APPLICANT))
    big = PDF + b"%" + b"x" * 4096 + b"\n"

    response = register_with_policy(client, big, "policy.pdf")

    assert response.status_code == 400
    assert "The file is larger than 2 KB." in html.unescape(response.get_data(as_text=True))
    assert list(upload_dir.iterdir()) == []
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_a_file_at_the_size_limit_is_accepted(client, upload_dir, app, monkeypatch):
    """The limit is inclusive: a file of exactly UPLOAD_MAX_BYTES is kept."""
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", len(PDF))
    login(client, make_user(Role.APPLICANT))

    assert register_with_policy(client, PDF, "policy.pdf").status_code == 302
    assert len(list(upload_dir.iterdir())) == 1


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/policy.pdf", "policy.pdf"),
        ("/tmp/policy.pdf", "policy.pdf"),
        ("pol\x07icy\x1b.pdf", "policy.pdf"),
        ("policy\u202egpj.pdf", "policygpj.pdf"),
        ("  ..policy.pdf  ", "policy.pdf"),
    ],
)
def test_file_names_are_cleaned(client, upload_dir, filename, expected):
    """Folders, control and direction-changing characters are dropped from the kept name."""
    login(client, make_user(Role.APPLICANT))

    assert register_with_policy(client, PDF, filename).status_code == 302

    stored = db.session.scalar(select(StoredFile))
    assert stored.original_name == expected
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert not any(unicodedata.category(ch).startswith("C") for ch in stored.original_name)
    assert [f.name for f in upload_dir.iterdir()] == [stored.storage_name]


def test_a_refused_upload_keeps_what_the_user_typed(client, upload_dir):
    """The re-rendered form still holds every other value the user entered."""
    login(client, make_user(Role.APPLICANT))

    response = register_with_policy(
        client,
        PNG,
        "policy.pdf",
        name="Ensemble pour l'Enfance",
        country_code="SN",
        org_type="community_based",
        budget_band="50k_250k",
        registration_number="SN-4242",
        website="https://ensemble.example.org",
        safeguarding_review_date="2026-02-14",
        safeguarding_focal_point="Awa Diop, coordinator",
    )

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert 'value="Ensemble pour l\'Enfance"' in page
    assert '<option selected value="SN">' in page
    assert '<option selected value="community_based">' in page
    assert '<option selected value="50k_250k">' in page
    assert 'value="SN-4242"' in page
    assert 'value="https://ensemble.example.org"' in page
    assert 'value="2026-02-14"' in page
    assert 'value="Awa Diop, coordinator"' in page


def test_a_member_replaces_the_policy_when_editing(client, upload_dir):
    """Uploading on the edit page points the organisation at the new file."""
    applicant = make_user(Role.APPLICANT)
    organisation = make_organisation(applicant)
    login(client, applicant)
    new_pdf = PDF.replace(b"1.4", b"1.7")

    response = client.post(
        f"/organisations/{organisation.id}/edit",
        data=organisation_form(safeguarding_policy=upload(new_pdf, "policy-2027.pdf")),
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert organisation.safeguarding_policy_file.original_name == "policy-2027.pdf"
    assert download(client, organisation).data == new_pdf


def test_a_refused_upload_on_edit_changes_nothing(client, upload_dir):
    """A bad file on the edit page leaves the saved details as they were."""
    applicant = make_user(Role.APPLICANT)
    organisation = make_organisation(applicant, name="Old name")
    login(client, applicant)

    response = client.post(
        f"/organisations/{organisation.id}/edit",
        data=organisation_form(name="New name", safeguarding_policy=upload(PNG, "policy.pdf")),
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert 'value="New name"' in response.get_data(as_text=True)
    assert organisation.name == "Old name"
    assert organisation.safeguarding_policy_file_id is None
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C:\\Users\\ana\\policy.pdf", "policy.pdf"),
        ("..\\..\\policy.pdf", "policy.pdf"),
        ("a/b/../policy.pdf", "policy.pdf"),
        ("policy\n.pdf", "policy.pdf"),
        ("...", ""),
        ("", ""),
        ("é" * 300 + ".pdf", "é" * 196 + ".pdf"),
        ("x" * 300, "x" * 200),
    ],
)
def test_clean_filename(name, expected):
    """Only the last path part is kept, without control characters, at most 200 characters."""
    assert storage.clean_filename(name) == expected


@pytest.mark.parametrize(
    ("size", "text"),
    [(10 * 1024 * 1024, "10 MB"), (2621440, "2.5 MB"), (2048, "2 KB"), (512 * 1024, "512 KB")],
)
def test_size_text(app, size, text):
    """The limit is shown in the unit people expect."""
    with app.test_request_context():
        assert storage.size_text(size) == text
