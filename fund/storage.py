"""Uploads: validated by name and by content, stored under random names outside static/,
and sent back only through permission-checked views, as attachments."""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
import zipfile
from io import BytesIO
from pathlib import Path

from flask import abort, current_app, send_file
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from fund.extensions import db
from fund.models import StoredFile

# extension -> (MIME type, content check)
ZIP_MAGIC = b"PK\x03\x04"


def _is_pdf(head: bytes, data: bytes) -> bool:
    return head.startswith(b"%PDF-")


def _is_png(head: bytes, data: bytes) -> bool:
    return head.startswith(b"\x89PNG\r\n\x1a\n")


def _is_jpeg(head: bytes, data: bytes) -> bool:
    return head.startswith(b"\xff\xd8\xff")


def _zip_with(member_prefix: str, mimetype: bytes | None = None):
    """Office Open XML and OpenDocument files are zip archives with known members."""

    def check(head: bytes, data: bytes) -> bool:
        if not head.startswith(ZIP_MAGIC):
            return False
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = archive.namelist()
                if mimetype is not None:
                    return "mimetype" in names and archive.read("mimetype").strip() == mimetype
                return any(name.startswith(member_prefix) for name in names)
        except (zipfile.BadZipFile, KeyError, OSError):
            return False

    return check


ALLOWED = {
    "pdf": ("application/pdf", _is_pdf),
    "png": ("image/png", _is_png),
    "jpg": ("image/jpeg", _is_jpeg),
    "jpeg": ("image/jpeg", _is_jpeg),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _zip_with("word/"),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _zip_with("xl/"),
    ),
    "odt": (
        "application/vnd.oasis.opendocument.text",
        _zip_with("", b"application/vnd.oasis.opendocument.text"),
    ),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        _zip_with("", b"application/vnd.oasis.opendocument.spreadsheet"),
    ),
}


class UploadError(Exception):
    """An upload that cannot be accepted; the message says why and what to do."""


def allowed_extensions_text() -> str:
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
    root = Path(current_app.config["UPLOAD_FOLDER"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def store(
    upload: FileStorage, *, organisation_id: int | None, uploaded_by_id: int | None
) -> StoredFile:
    """Check `upload` and keep it; raises UploadError with the reason the user sees."""
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
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(
            _(
                "The file is larger than %(size)s. Make it smaller and try again.",
                size=size_text(limit),
            )
        )
    if not data:
        raise UploadError(_("The file is empty."))
    mimetype, looks_right = ALLOWED[extension]
    if not looks_right(data[:16], data):
        raise UploadError(
            _(
                "The file's content is not a real .%(ext)s file. Check that you "
                "chose the right file.",
                ext=extension,
            )
        )
    storage_name = secrets.token_hex(16)
    path = upload_root() / storage_name
    path.write_bytes(data)
    os.chmod(path, 0o600)
    stored = StoredFile(
        storage_name=storage_name,
        original_name=name,
        content_type=mimetype,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        organisation_id=organisation_id,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def send(stored: StoredFile):
    """The file as a download (never shown inline), after the caller checked permission."""
    path = upload_root() / stored.storage_name
    if not path.is_file():  # the row outlived its bytes (restored backup, lost volume)
        current_app.logger.error("stored file %s is missing from %s", stored.id, path)
        abort(404)
    return send_file(
        path,
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.original_name,
        max_age=0,
    )
