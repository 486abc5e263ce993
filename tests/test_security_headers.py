"""Caching and transport headers: nothing private is kept by a browser or proxy cache, public
pages and static files keep their caching, HSTS goes out when cookies are HTTPS-only, and Office
files holding HTML are still only ever downloads."""

# The fixture imported from uploading.py is named as a test argument: not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from io import BytesIO

import pytest

from fund.models import Role
from tests.conftest import login, make_user
from tests.uploading import PLACES, make_world, office_file, upload_folder  # noqa: F401

HSTS = "max-age=31536000; includeSubDomains"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = b"<html><body><script>alert(document.cookie)</script><img src=x onerror=alert(1)></html>"


def get(client, path: str):
    """GET `path`, reading and closing the body (static and sent files are streamed)."""
    response = client.get(path, buffered=True)
    response.close()
    return response


@pytest.mark.parametrize(
    "path, status",
    [
        ("/dashboard", 200),
        ("/", 200),
        ("/organisations/", 200),
        ("/account/profile", 200),
        ("/no-such-page", 404),
    ],
)
def test_every_response_to_a_signed_in_user_is_no_store(client, path, status):
    """Public pages too: once signed in they show the user's name and menu."""
    login(client, make_user(Role.APPLICANT))
    response = get(client, path)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path, status", [("/", 200), ("/account/login", 200), ("/calls/", 200), ("/nothing", 404)]
)
def test_public_pages_for_visitors_are_not_marked_no_store(client, path, status):
    response = get(client, path)
    assert response.status_code == status
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed in"])
def test_static_files_keep_their_caching(client, signed_in):
    if signed_in:
        login(client, make_user(Role.APPLICANT))
    response = get(client, "/static/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_permission_checked_download_is_no_store(client, upload_folder):
    world = make_world()
    login(client, world.member)
    PLACES["proposal attachment"].post(client, world, (office_file("docx"), "plan.docx"), "T")
    [attachment] = world.draft.attachments
    response = get(client, f"/proposals/{world.draft.id}/files/{attachment.file_id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_docx_made_of_html_is_still_sent_as_an_attachment_with_its_own_type(
    client, upload_folder
):
    """A browser never renders it: a download, its declared Office type, nosniff, no-store."""
    world = make_world()
    login(client, world.member)
    data = office_file(
        "docx", changes={"[Content_Types].xml": HTML, "word/document.xml": HTML, "index.html": HTML}
    )
    response = client.post(
        f"/proposals/{world.draft.id}/edit",
        content_type="multipart/form-data",
        data={"lock_version": "1", "title": "T", "attachment_upload": (BytesIO(data), "cv.docx")},
    )
    assert response.status_code == 302
    [attachment] = world.draft.attachments
    download = get(client, f"/proposals/{world.draft.id}/files/{attachment.file_id}")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"] == DOCX
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/account/login", "/healthz", "/static/app.css"])
def test_hsts_is_sent_when_cookies_are_https_only(app, client, monkeypatch, path):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    assert get(client, path).headers["Strict-Transport-Security"] == HSTS


def test_no_hsts_while_cookies_may_travel_over_plain_http(app, client, monkeypatch):
    """Development over http://127.0.0.1 must not pin the browser to HTTPS."""
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", False)
    assert "Strict-Transport-Security" not in get(client, "/").headers
