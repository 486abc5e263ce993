"""Uploads: validated by name and by content, stored under random names outside static/,
and sent back only through permission-checked views, as attachments."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import tempfile
import unicodedata
from contextlib import suppress
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from flask import abort, current_app, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from fund.extensions import db
from fund.filetypes import ALLOWED, content_problem
from fund.models import StoredFile

CHUNK = 64 * 1024


class UploadError(Exception):
    """An upload that cannot be accepted; the message says why and what to do."""


class StorageUnavailable(Exception):
    """The upload folder could not take a file (unwritable, full, missing); nothing of the file
    was kept. Callers save the rest of what the user sent and say the file must be sent again."""


def allowed_extensions_text() -> str:
    """The accepted types as people name them ("DOCX, JPG, ODS, ...") for hints and errors."""
    return ", ".join(sorted({ext.upper() for ext in ALLOWED if ext != "jpeg"}))


def clean_filename(name: str) -> str:
    """A display name without folders, control characters or surrounding dots and spaces."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip(" .")
    if len(name) > 200:  # shorten the stem, keeping the extension the type check needs
        stem, dot, extension = name.rpartition(".")
        name = stem[: 200 - len(dot + extension)] + dot + extension if dot else name[:200]
    return name


def size_text(size: int) -> str:
    """A byte count as people say it: "10 MB", "2.5 MB", "512 KB"."""
    if size >= 1024 * 1024:
        return _("%(n)s MB", n=f"{size / 1024 / 1024:.1f}".removesuffix(".0"))
    return _("%(n)s KB", n=f"{size / 1024:.1f}".removesuffix(".0"))


def upload_root() -> Path:
    """The upload folder, created with mode 0700 (and narrowed to it) if need be."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if stat.S_IMODE(root.stat().st_mode) & 0o077:
        try:
            os.chmod(root, 0o700)
        except PermissionError:  # someone else's folder: still usable, and not ours to change
            current_app.logger.warning("upload folder %s is open to others", root)
    return root


def store(
    upload: FileStorage,
    *,
    organisation_id: int | None,
    uploaded_by_id: int | None,
    extensions: tuple[str, ...] | None = None,
    max_bytes: int | None = None,
) -> StoredFile:
    """Check `upload` and keep it; raises UploadError with the reason the user sees, and
    StorageUnavailable when the upload folder cannot take it. `extensions` and `max_bytes`
    narrow what is accepted (a file question's kinds and size), never widen it."""
    name = clean_filename(upload.filename or "")
    if not name or "." not in name:
        raise UploadError(
            _("The file needs a name ending in one of: %(types)s.", types=allowed_extensions_text())
        )
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in ALLOWED:
        raise UploadError(
            _(
                "Files of type .%(ext)s are not accepted. Use one of: %(types)s.",
                ext=extension,
                types=allowed_extensions_text(),
            )
        )
    if extensions is not None and extension not in extensions:
        raise UploadError(
            _(
                "Files of type .%(ext)s are not accepted here. Use one of: %(types)s.",
                ext=extension,
                types=", ".join(sorted({e.upper() for e in extensions if e != "jpeg"})),
            )
        )
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    stream, size = _measured(upload.stream, min(limit, max_bytes or limit))
    problem = content_problem(extension, stream, size)
    if problem:
        raise UploadError(problem)
    storage_name, sha256 = _write(stream)
    stored = StoredFile(
        storage_name=storage_name,
        original_name=name,
        content_type=ALLOWED[extension].mimetype,
        size=size,
        sha256=sha256,
        organisation_id=organisation_id,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def _measured(stream: BinaryIO, limit: int) -> tuple[BinaryIO, int]:
    """The upload as a seekable stream, and its size; UploadError if empty or over `limit`.

    Werkzeug spools uploads to a temporary file already, so the bytes are not read into memory
    here: the checks and the copy into the upload folder read the stream in small pieces.
    """
    if not stream.seekable():
        spooled = tempfile.SpooledTemporaryFile(max_size=CHUNK)  # returned, closed when dropped
        while (chunk := stream.read(CHUNK)) and spooled.tell() <= limit:
            spooled.write(chunk)
        stream = spooled
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    if size > limit:
        raise UploadError(
            _(
                "The file is larger than %(size)s. Make it smaller and try again.",
                size=size_text(limit),
            )
        )
    if not size:
        raise UploadError(_("The file is empty."))
    return stream, size


def _write(stream: BinaryIO) -> tuple[str, str]:
    """Copy `stream` into the upload folder under a new random name; (name, SHA-256).

    The file is created with mode 0600 under a temporary name and renamed only once complete,
    so a failed write (full disk, unwritable folder) leaves nothing behind and never a
    half-written file under a name a row could point at.
    """
    storage_name = secrets.token_hex(16)
    digest = hashlib.sha256()
    partial: Path | None = None
    descriptor: int | None = None
    try:
        root = upload_root()
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        descriptor = os.open(root / f".partial-{storage_name}", flags, 0o600)
        partial = root / f".partial-{storage_name}"  # ours to remove from here on
        stream.seek(0)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            _write_all(descriptor, chunk)
        os.fsync(descriptor)  # some file systems report a full disk only here
        os.close(descriptor)
        descriptor = None
        os.replace(partial, root / storage_name)
    except BaseException as error:
        if descriptor is not None:
            with suppress(OSError):
                os.close(descriptor)
        if partial is not None:
            with suppress(OSError):
                os.unlink(partial)
        if isinstance(error, OSError):
            current_app.logger.error("upload could not be stored: %s", error)
            raise StorageUnavailable(str(error)) from error
        raise
    return storage_name, digest.hexdigest()


def _write_all(descriptor: int, data: bytes) -> None:
    """os.write may write less than it was given; write until all of it is written."""
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def writable() -> bool:
    """Whether the upload folder takes a file now: a small probe written the way uploads are,
    then removed (for /healthz)."""
    try:
        name, _digest = _write(BytesIO(b"probe"))
        os.unlink(Path(current_app.config["UPLOAD_FOLDER"]) / name)
    except (StorageUnavailable, OSError):
        return False
    return True


def delete_after_commit(storage_names: list[str]) -> None:
    """Remove stored files whose rows were deleted; call only after the commit, so a rolled
    back transaction never loses a file its rows still name. A file already gone is fine."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    for name in storage_names:
        try:
            os.unlink(folder / name)
        except FileNotFoundError:
            pass


def send(stored: StoredFile):
    """The file as a download (never shown inline, never kept by a cache), after the caller
    checked permission."""
    path = Path(current_app.config["UPLOAD_FOLDER"]) / stored.storage_name
    if not path.is_file():  # the row outlived its bytes (restored backup, lost volume)
        current_app.logger.error("stored file %s is missing from %s", stored.id, path)
        abort(404)
    response = send_file(
        path,
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.original_name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
