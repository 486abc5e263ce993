"""When the upload folder cannot take a file (unwritable, full, not a folder), what the user typed
is saved, the page says the file must be sent again, and no partial file is left; files are
written with mode 0600 from the start, in a folder of mode 0700; /healthz reports the storage."""

# The fixture imported from uploading.py is named as a test argument: not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import errno
import html
import os
import stat
from io import BytesIO
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from fund import storage
from tests.conftest import login
from tests.uploading import PLACES, make_world, stored_files, upload_folder  # noqa: F401

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NOT_STORED = "could not be stored on our side"


def writes_into(folder: Path, descriptor: int) -> bool:
    """Whether `descriptor` is a file in `folder` (so only the upload's writes are broken)."""
    return Path(os.readlink(f"/proc/self/fd/{descriptor}")).parent == folder


def full_disk(monkeypatch, folder: Path, *, at: str = "write") -> None:
    """The disk fills up while an upload is written: half of the first write lands, then ENOSPC
    (or the error comes only when the data is flushed, as on some file systems)."""
    real_write, real_fsync = os.write, os.fsync
    state = {"written": False}

    def write(descriptor, data):
        if not writes_into(folder, descriptor):
            return real_write(descriptor, data)
        if at == "write" and state["written"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        state["written"] = True
        return real_write(descriptor, data[: max(1, len(data) // 2)])

    def fsync(descriptor):
        if at == "fsync" and writes_into(folder, descriptor):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(descriptor)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)


def not_a_folder(app, monkeypatch, tmp_path) -> Path:
    """UPLOAD_FOLDER under a regular file: nothing can be created there, even by root."""
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"")
    folder = blocker / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder


def read_only(folder: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into a folder of mode 0500; the other ways of failing run")
    folder.chmod(0o500)


FAILURES = ["disk full", "disk full at flush", "not a folder", "read-only folder"]


@pytest.fixture
def broken_storage(request, app, monkeypatch, tmp_path, upload_folder):
    """The upload folder failing in the way named by the test's `failure` parameter; yields
    the folder a file would have gone to."""
    failure = request.param
    if failure == "disk full":
        full_disk(monkeypatch, upload_folder)
    elif failure == "disk full at flush":
        full_disk(monkeypatch, upload_folder, at="fsync")
    elif failure == "not a folder":
        yield not_a_folder(app, monkeypatch, tmp_path)
        return
    else:
        read_only(upload_folder)
    yield upload_folder
    upload_folder.chmod(0o700)


def leftovers(folder: Path) -> list[str]:
    """Every file in `folder`, hidden ones included (a partial upload would be hidden)."""
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("broken_storage", FAILURES, indirect=True)
@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_the_text_is_saved_and_the_page_asks_for_the_file_again(client, broken_storage, place):
    """A redirect to the form saying the file was not stored; the text typed in the same
    request is in the database; no file, partial or whole, and no row for one."""
    world = make_world()
    login(client, world.member)
    response = place.post(client, world, (PDF, "policy.pdf"), "Typed before the disk filled")
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert NOT_STORED in page and "add it again in a few minutes" in page
    assert place.saved_text(world, "Typed before the disk filled") is not None
    assert leftovers(broken_storage) == []
    assert stored_files() == 0


@pytest.mark.parametrize("point", ["open", "write", "fsync", "replace"])
def test_a_failed_write_leaves_nothing_behind(app, ctx, monkeypatch, upload_folder, point):
    """Wherever the write fails, the partial file is removed and StorageUnavailable raised."""
    real = getattr(os, point)

    def failing(*args, **kwargs):
        if point == "write":
            real(*args, **kwargs)  # some bytes land before the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, point, failing)
    with app.test_request_context(), pytest.raises(storage.StorageUnavailable):
        storage.store(
            FileStorage(BytesIO(PDF), "plan.pdf"), organisation_id=None, uploaded_by_id=None
        )
    monkeypatch.undo()
    assert leftovers(upload_folder) == []


def test_files_are_written_with_mode_0600_from_the_start_in_a_folder_of_mode_0700(
    app, ctx, monkeypatch, upload_folder
):
    """Never readable by others, not even for the moment between creating and narrowing; an
    existing folder open to others is narrowed."""
    upload_folder.chmod(0o755)
    real_write = os.write
    modes_while_writing = set()

    def write(descriptor, data):
        if writes_into(upload_folder, descriptor):
            modes_while_writing.add(stat.S_IMODE(os.fstat(descriptor).st_mode))
        return real_write(descriptor, data)

    monkeypatch.setattr(os, "write", write)
    old_umask = os.umask(0)  # so nothing but the code itself decides the modes
    try:
        with app.test_request_context():
            stored = storage.store(
                FileStorage(BytesIO(PDF), "plan.pdf"), organisation_id=None, uploaded_by_id=None
            )
    finally:
        os.umask(old_umask)
    assert modes_while_writing == {0o600}
    assert stat.S_IMODE((upload_folder / stored.storage_name).stat().st_mode) == 0o600
    assert stat.S_IMODE(upload_folder.stat().st_mode) == 0o700
    assert (upload_folder / stored.storage_name).read_bytes() == PDF


def test_a_new_upload_folder_is_created_with_mode_0700(app, ctx, monkeypatch, tmp_path):
    folder = tmp_path / "new" / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    with app.test_request_context():
        storage.store(
            FileStorage(BytesIO(PDF), "plan.pdf"), organisation_id=None, uploaded_by_id=None
        )
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


# --- /healthz ---------------------------------------------------------------------------------


def test_healthz_reports_the_upload_storage_and_leaves_no_probe(client, upload_folder):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "uploads": "ok"}
    assert leftovers(upload_folder) == []


@pytest.mark.parametrize("broken_storage", FAILURES, indirect=True)
def test_healthz_answers_503_when_the_upload_folder_cannot_be_written(client, broken_storage):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "ok", "uploads": "unwritable"}
    assert leftovers(broken_storage) == []


def test_healthz_recovers_without_a_restart_once_the_folder_is_fixed(
    app, client, monkeypatch, tmp_path
):
    folder = not_a_folder(app, monkeypatch, tmp_path)
    assert client.get("/healthz").status_code == 503
    (tmp_path / "a-file").unlink()
    assert client.get("/healthz").status_code == 200
    assert leftovers(folder) == []
