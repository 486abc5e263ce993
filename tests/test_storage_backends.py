"""The same storage behaviour on both backends, the upload folder and an S3-compatible store
(moto's server on 127.0.0.1): uploads kept under random names, downloads streamed through the
permission-checked views with their length, files deleted after the commit, the "Your data" ZIP
read through the interface, the health probe, and a failing store giving the friendly page."""

# Fixtures imported from helper modules are named as test arguments: not redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import gc
import html
import io
import os
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from fund import storage
from fund.extensions import db
from fund.models import Organisation, Role, StoredFile
from tests.conftest import login, make_organisation, make_user
from tests.live_servers import free_port
from tests.organisations.conftest import organisation_form
from tests.s3_store import S3Server, s3_server, s3_settings  # noqa: F401
from tests.uploading import PLACES, make_world, stored_files

# Large enough to be sent in many 64 KB pieces.
BIG_PDF = b"%PDF-1.4\n" + os.urandom(300_000) + b"\n%%EOF\n"


class Store:
    """The backend under test, and a way to list what it holds."""

    def __init__(self, kind: str, names, break_it) -> None:
        self.kind, self._names, self.break_it = kind, names, break_it

    def names(self) -> list[str]:
        """Every stored object's name (hidden partial files included)."""
        return self._names()


@pytest.fixture(params=["local folder", "s3"])
def store(request, app, monkeypatch, tmp_path) -> Store:
    """The app keeping uploads in the backend named by the parameter, empty at the start."""
    if request.param == "local folder":
        folder = tmp_path / "uploads"
        monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
        monkeypatch.setitem(app.config, "STORAGE_URL", "")

        def break_local():
            folder.mkdir(parents=True, exist_ok=True)
            folder.rename(tmp_path / "moved-away")
            folder.write_bytes(b"")  # a file where the folder should be

        return Store(
            "local",
            lambda: sorted(p.name for p in folder.iterdir()) if folder.is_dir() else [],
            break_local,
        )
    server = request.getfixturevalue("s3_server")
    bucket = server.new_bucket()
    for name, value in s3_settings(server, bucket).items():
        monkeypatch.setitem(app.config, name, value)

    def break_s3():  # the bucket is gone: every request to the store fails
        for key in server.keys(bucket):
            server.client.delete_object(Bucket=bucket, Key=key)
        server.client.delete_bucket(Bucket=bucket)

    return Store("s3", lambda: [k.removeprefix("uploads/") for k in server.keys(bucket)], break_s3)


def register_with_policy(client, data: bytes, name: str = "Policy 2026.pdf"):
    return client.post(
        "/organisations/new",
        data=organisation_form(safeguarding_policy=(io.BytesIO(data), name)),
        content_type="multipart/form-data",
    )


def policy_url(organisation: Organisation) -> str:
    return f"/organisations/{organisation.id}/safeguarding-policy"


def test_an_upload_is_kept_under_a_random_name_and_comes_back_byte_for_byte(client, store):
    """Uploaded through the form, downloaded through the permission-checked view: streamed in
    pieces, with its length, as an attachment that no cache keeps."""
    login(client, make_user(Role.APPLICANT))
    assert register_with_policy(client, BIG_PDF).status_code == 302
    stored = db.session.scalar(select(StoredFile))
    assert store.names() == [stored.storage_name]
    assert stored.size == len(BIG_PDF)

    organisation = db.session.scalar(select(Organisation))
    response = client.get(policy_url(organisation))
    assert response.status_code == 200
    assert response.is_streamed
    pieces = list(response.response)
    response.close()
    assert b"".join(pieces) == BIG_PDF
    assert len(pieces) > 1 and max(map(len, pieces)) <= storage.CHUNK
    assert response.headers["Content-Length"] == str(len(BIG_PDF))
    assert response.headers["Content-Disposition"] == 'attachment; filename="Policy 2026.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "application/pdf"


def test_a_download_left_unread_leaves_nothing_open(client, store):
    """A HEAD request (or a client that goes away) reads none of the file; the file or the
    store's connection is closed all the same (an open file would warn when collected, and
    warnings fail the suite)."""
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, BIG_PDF)
    organisation = db.session.scalar(select(Organisation))
    response = client.head(policy_url(organisation))
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(BIG_PDF))
    assert response.get_data() == b""
    response.close()  # as every WSGI server does after sending
    with client.application.app_context():
        opened = storage.open_stored(organisation.safeguarding_policy_file.storage_name)
    assert next(opened.chunks)
    opened.chunks.close()
    assert list(opened.chunks) == []
    gc.collect()


def test_the_permission_checks_are_the_same_on_every_backend(client, store):
    """Another organisation's member is refused and an anonymous visitor sent to log in,
    whichever store holds the file."""
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, BIG_PDF)
    organisation = db.session.scalar(select(Organisation))
    client.post("/account/logout")
    assert client.get(policy_url(organisation)).status_code == 302
    login(client, make_user(Role.APPLICANT))
    assert client.get(policy_url(organisation)).status_code in (403, 404)


def test_a_name_beyond_ascii_is_kept_for_the_download(client, store):
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, BIG_PDF, "Política de protección.pdf")
    organisation = db.session.scalar(select(Organisation))
    disposition = client.get(policy_url(organisation), buffered=True).headers["Content-Disposition"]
    assert "filename*=UTF-8''Pol%C3%ADtica%20de%20protecci%C3%B3n.pdf" in disposition


def test_a_file_missing_from_the_store_is_a_404(client, store, app):
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, BIG_PDF)
    organisation = db.session.scalar(select(Organisation))
    with app.app_context():
        storage.delete_after_commit([organisation.safeguarding_policy_file.storage_name])
    assert store.names() == []
    assert client.get(policy_url(organisation)).status_code == 404


def test_files_are_deleted_after_the_commit_and_a_gone_file_is_fine(app, ctx, store):
    with app.test_request_context():
        kept = storage.store(
            FileStorage(io.BytesIO(BIG_PDF), "a.pdf"), organisation_id=None, uploaded_by_id=None
        )
        gone = storage.store(
            FileStorage(io.BytesIO(BIG_PDF), "b.pdf"), organisation_id=None, uploaded_by_id=None
        )
        storage.delete_after_commit([gone.storage_name, "0" * 32])
    assert store.names() == [kept.storage_name]


def test_the_personal_data_zip_reads_the_files_through_the_store(client, store):
    """The "Your data" ZIP holds the person's uploads, whichever store keeps them."""
    user = make_user(Role.APPLICANT)
    organisation = make_organisation(user)
    storage.store(
        FileStorage(io.BytesIO(BIG_PDF), "plan.pdf"),
        organisation_id=organisation.id,
        uploaded_by_id=user.id,
    )
    db.session.commit()
    login(client, user)
    response = client.post("/account/data/download")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    [member] = [name for name in archive.namelist() if name.endswith("plan.pdf")]
    assert archive.read(member) == BIG_PDF


def test_healthz_probes_the_store_and_leaves_nothing(client, store):
    assert client.get("/healthz").get_json()["uploads"] == "ok"
    assert store.names() == []
    store.break_it()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["uploads"] == "unwritable"


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_a_failing_store_keeps_the_text_and_asks_for_the_file_again(client, store, place):
    """The same friendly path as a full disk: the text is saved, the page asks for the file
    again, and no row names a file that is not there."""
    world = make_world()
    login(client, world.member)
    store.break_it()
    response = place.post(client, world, (BIG_PDF, "policy.pdf"), "Typed while it was down")
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "could not be stored on our side" in page and "add it again in a few minutes" in page
    assert place.saved_text(world, "Typed while it was down") is not None
    assert stored_files() == 0


def test_a_store_that_cannot_be_read_is_a_503_not_a_500(client, store):
    login(client, make_user(Role.APPLICANT))
    register_with_policy(client, BIG_PDF)
    organisation = db.session.scalar(select(Organisation))
    store.break_it()
    if store.kind == "local":  # a file where the folder was reads as "missing": 404
        assert client.get(policy_url(organisation)).status_code == 404
    else:
        assert client.get(policy_url(organisation)).status_code == 503


def test_a_storage_url_that_names_no_backend_stops_the_app_at_start(tmp_path):
    from fund import create_app
    from tests.conftest import test_settings

    with pytest.raises(RuntimeError, match="STORAGE_URL must be empty"):
        create_app(test_settings(Path(tmp_path), STORAGE_URL="ftp://files.example.org/x"))


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:{port}", "not a url at all"])
def test_an_unreachable_or_malformed_endpoint_is_storage_unavailable(
    app, ctx, monkeypatch, endpoint
):
    """Whatever is wrong with the store's address, uploads get the friendly path, /healthz a
    503, and deleting after a commit only logs."""
    settings = s3_settings(S3Server(endpoint.format(port=free_port()), None), "fund-nowhere")
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    with app.test_request_context(), pytest.raises(storage.StorageUnavailable):
        storage.store(
            FileStorage(io.BytesIO(BIG_PDF), "a.pdf"), organisation_id=None, uploaded_by_id=None
        )
    with app.test_request_context():
        assert storage.writable() is False
        storage.delete_after_commit(["0" * 32])
