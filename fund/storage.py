"""Uploads: validated by name and by content, stored under random names outside static/ (in the
upload folder or an S3-compatible store: fund/storage_backends.py), and sent back only through
permission-checked views, as attachments streamed through the app."""

from __future__ import annotations

import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, abort, current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from fund.extensions import db
from fund.filetypes import ALLOWED, content_problem
from fund.models import StoredFile
from fund.storage_backends import (  # noqa: F401  (StorageUnavailable: callers catch it here)
    CHUNK,
    Backend,
    LocalFolder,
    Opened,
    StorageUnavailable,
    backend_for,
)


class UploadError(Exception):
    """An upload that cannot be accepted; the message says why and what to do."""


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
    return LocalFolder(Path(current_app.config["UPLOAD_FOLDER"])).root()


def store(
    upload: FileStorage,
    *,
    organisation_id: int | None,
    uploaded_by_id: int | None,
    extensions: tuple[str, ...] | None = None,
    max_bytes: int | None = None,
) -> StoredFile:
    """Check `upload` and keep it; raises UploadError with the reason the user sees, and
    StorageUnavailable when the store cannot take it. `extensions` and `max_bytes`
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
    # A new random name, the SHA-256; StorageUnavailable if the store fails (nothing is left).
    storage_name, sha256 = backend().put(stream)
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


def backend() -> Backend:
    """The store the settings name: the upload folder, or an S3-compatible object store."""
    return backend_for(current_app.config)


def writable() -> bool:
    """Whether the store takes a file now: a small probe written the way uploads are, then
    removed (for /healthz)."""
    try:
        return backend().probe()
    except StorageUnavailable:
        return False


def delete_after_commit(storage_names: list[str]) -> None:
    """Remove stored files whose rows were deleted; call only after the commit, so a rolled
    back transaction never loses a file its rows still name. A file already gone is fine."""
    if not storage_names:
        return
    try:
        store_ = backend()
    except StorageUnavailable as error:  # the rows are gone already: the files are orphans
        current_app.logger.error("%d stored files not deleted: %s", len(storage_names), error)
        return
    for name in storage_names:
        store_.delete(name)


def open_stored(storage_name: str) -> Opened | None:
    """A stored file's size and bytes in pieces, or None when the row outlived its bytes;
    StorageUnavailable when the store cannot be read. Every reader of files goes through here."""
    return backend().open(storage_name)


def send(stored: StoredFile) -> Response:
    """The file as a download (never shown inline, never kept by a cache), after the caller
    checked permission: streamed from the store in pieces, whichever store it is."""
    try:
        opened = open_stored(stored.storage_name)
    except StorageUnavailable as error:
        current_app.logger.error("stored file %s could not be read: %s", stored.id, error)
        abort(503)
    if opened is None:  # the row outlived its bytes (restored backup, lost volume)
        current_app.logger.error("stored file %s is missing from the store", stored.id)
        abort(404)
    response = Response(opened.chunks, mimetype=stored.content_type, direct_passthrough=True)
    response.content_length = opened.size
    response.headers.set("Content-Disposition", "attachment", **_filename(stored.original_name))
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(name: str) -> dict[str, str]:
    """Content-Disposition parameters for `name`, as Werkzeug's send_file writes them: an ASCII
    fallback, and the UTF-8 name for browsers that read it."""
    try:
        name.encode("ascii")
        return {"filename": name}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple, "filename*": "UTF-8''" + quote(name, safe="!#$&+^`|~")}
