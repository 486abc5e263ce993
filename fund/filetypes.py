"""What each accepted file type must look like inside.

PDFs and images are recognised by their first bytes. Office files are zip archives: they are
inspected from the archive's central directory, reading at most a few KB of the members a real
file of that type must have, so an archive that would unpack to gigabytes (a "zip bomb") is
refused without ever being unpacked, in bounded time and memory.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _

# Nothing here reads more than this of any archive member, whatever size the member declares.
PEEK_BYTES = 4096
# Real documents hold tens of members, unpack to a few MB and compress about 3-10 to 1.
MAX_MEMBERS = 1000
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
# Under this many unpacked bytes the ratio is harmless (a nearly empty spreadsheet compresses
# well), so it is only held against archives that would unpack to more.
RATIO_FLOOR = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
END_OF_DIRECTORY = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 65535

# Anything a malformed archive can make zipfile raise while reading its directory or a member.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    struct.error,
    zlib.error,
)


@dataclass(frozen=True)
class FileType:
    """An accepted type: its MIME type, how its content starts, and for Office files the
    archive members it must have (and what an OpenDocument `mimetype` member must say)."""

    mimetype: str
    magic: bytes
    members: tuple[str, ...] = ()
    declares: bytes | None = None


ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

ALLOWED = {
    "pdf": FileType("application/pdf", b"%PDF-"),
    "png": FileType("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": FileType("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": FileType("image/jpeg", b"\xff\xd8\xff"),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP_MAGIC,
        ("[Content_Types].xml", "word/document.xml"),
    ),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP_MAGIC,
        ("[Content_Types].xml", "xl/workbook.xml"),
    ),
    "odt": FileType(ODT, ZIP_MAGIC, ("mimetype", "content.xml"), ODT.encode()),
    "ods": FileType(ODS, ZIP_MAGIC, ("mimetype", "content.xml"), ODS.encode()),
}


def not_real(extension: str) -> str:
    """The message for content that is not what its name says."""
    return _(
        "The file's content is not a real .%(ext)s file. Check that you chose the right file.",
        ext=extension,
    )


def content_problem(extension: str, stream: BinaryIO, size: int) -> str | None:
    """Why the `size` bytes of `stream` are not a real file of `extension`, or None if they are.

    Reads the first bytes and, for an archive, its directory and a few KB of the members it must
    have; leaves the stream's position anywhere.
    """
    kind = ALLOWED[extension]
    stream.seek(0)
    if stream.read(len(kind.magic)) != kind.magic:
        return not_real(extension)
    if kind.magic != ZIP_MAGIC:
        return None
    try:
        return _archive_problem(extension, kind, stream, size)
    except ARCHIVE_ERRORS:
        return not_real(extension)


def _archive_problem(extension: str, kind: FileType, stream: BinaryIO, size: int) -> str | None:
    entries, directory_size = _directory_size(stream, size)
    if entries > MAX_MEMBERS or directory_size > MAX_DIRECTORY_BYTES:
        return _too_many_parts(extension)
    # The directory is small now, so zipfile reads it quickly; no member is unpacked here.
    with zipfile.ZipFile(stream) as archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:  # the end record may understate what the directory holds
            return _too_many_parts(extension)
        unpacked = sum(member.file_size for member in members)
        if unpacked > MAX_UNPACKED_BYTES or (
            unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * size
        ):
            return _refused(
                _(
                    "This .%(ext)s file would unpack to far more than a real document does.",
                    ext=extension,
                )
            )
        if any(member.flag_bits & 0x1 for member in members):
            return _(
                "This .%(ext)s file is protected by a password. Save it without a password and "
                "try again.",
                ext=extension,
            )
        names = {member.filename for member in members}
        missing = [name for name in kind.members if name not in names]
        if missing:
            return _refused(
                _(
                    "This .%(ext)s file is missing parts every .%(ext)s file has (%(parts)s).",
                    ext=extension,
                    parts=", ".join(missing),
                )
            )
        peeks = {name: _peek(archive, name) for name in kind.members}
    if kind.declares is not None and peeks["mimetype"].strip() != kind.declares:
        return not_real(extension)
    return None


def _peek(archive: zipfile.ZipFile, name: str) -> bytes:
    """The first few KB of a member (this also proves it decompresses), never more: the size a
    member declares may lie, and zipfile stops at the declared size or at PEEK_BYTES."""
    with archive.open(name) as member:
        return member.read(PEEK_BYTES)


def _directory_size(stream: BinaryIO, size: int) -> tuple[int, int]:
    """(entries, bytes) the archive's end record declares for its central directory.

    Read before zipfile parses the directory, which it does whole: a 10 MB upload could
    otherwise hold hundreds of thousands of tiny entries. A ZIP64 archive declares 0xFFFF
    entries here, which counts as too many: no document this size needs ZIP64.
    """
    tail_size = min(size, END_RECORD_SIZE + MAX_COMMENT)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = len(tail) - END_RECORD_SIZE  # where it is when the archive has no comment, as zipfile
    if at < 0 or not tail.startswith(END_OF_DIRECTORY, at):
        at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < END_RECORD_SIZE:
        raise zipfile.BadZipFile("no end of central directory record")
    entries, directory_size = struct.unpack_from("<HI", tail, at + 10)
    return entries, directory_size


def _too_many_parts(extension: str) -> str:
    return _refused(
        _(
            "This .%(ext)s file holds more parts than a real document does (at most %(n)d).",
            ext=extension,
            n=MAX_MEMBERS,
        )
    )


def _refused(reason: str) -> str:
    """The reason, and what to do about it."""
    return reason + " " + _("Save it again from your office program, or send it as a PDF.")
