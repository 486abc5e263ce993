"""Office files are inspected without being unpacked: zip bombs are refused on every upload field
in bounded time and memory, real minimal documents pass, and documents missing the parts their
type must have are refused with a clear message."""

# The fixture imported from uploading.py is named as a test argument: not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import html
import struct
import time
import tracemalloc
import zipfile
from io import BytesIO

import pytest

from fund import filetypes
from tests.conftest import login
from tests.uploading import (  # noqa: F401  (fixture)
    ODS,
    ODT,
    OFFICE_MEMBERS,
    PLACES,
    make_world,
    office_file,
    stored_files,
    upload_folder,
)

MB = 1024 * 1024
REQUIRED = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "odt": ("mimetype", "content.xml"),
    "ods": ("mimetype", "content.xml"),
}
BIG_MEMBER = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "mimetype"}
BIG_MEMBER["ods"] = "mimetype"
START = {"docx": b"<?xml", "xlsx": b"<?xml", "odt": ODT, "ods": ODS}


def bomb(extension: str, megabytes: int) -> bytes:
    """A real-looking file of `extension` whose main member unpacks to `megabytes` of zeros
    (after the bytes that member must start with): deflate packs about 1000 zeros in a byte."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in OFFICE_MEMBERS[extension].items():
            if name != BIG_MEMBER[extension]:
                archive.writestr(name, content)
                continue
            with archive.open(name, "w") as member:
                member.write(START[extension])
                zeros = bytes(MB)
                for _ in range(megabytes):
                    member.write(zeros)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def odt_bomb() -> bytes:
    """The review's bomb, made once: an .odt of about 200 KB whose `mimetype` is 200 MB."""
    return bomb("odt", 200)


def problem(data: bytes, extension: str) -> str | None:
    return filetypes.content_problem(extension, BytesIO(data), len(data))


# --- on every upload field --------------------------------------------------------------------


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_a_zip_bomb_is_refused_on_every_upload_field_in_bounded_time_and_memory(
    client, upload_folder, odt_bomb, place
):
    """400 with the reason, under 2 s and 100 MB of memory; nothing typed or sent is kept."""
    world = make_world()
    login(client, world.member)
    place.post(client, world, (b"", "empty.odt"), "Warming up")  # the page's first rendering
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = place.post(client, world, (odt_bomb, "plan.odt"), "Typed beside a bomb")
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < 2
    assert peak < 100 * MB
    assert response.status_code == 400
    assert "This .odt file would unpack to far more than a real document does." in html.unescape(
        response.get_data(as_text=True)
    )
    assert place.saved_text(world, "Typed beside a bomb") is None
    assert stored_files() == 0 and list(upload_folder.iterdir()) == []


@pytest.mark.parametrize("extension", REQUIRED)
@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_a_real_minimal_office_file_is_accepted_on_every_upload_field(
    client, upload_folder, place, extension
):
    world = make_world()
    login(client, world.member)
    response = place.post(client, world, (office_file(extension), f"plan.{extension}"), "Kept")
    assert response.status_code == 302
    assert place.saved_text(world, "Kept") == "Kept"
    assert stored_files() == 1 and len(list(upload_folder.iterdir())) == 1


def test_an_office_file_missing_a_part_is_refused_with_the_part_named(client, upload_folder):
    world = make_world()
    login(client, world.member)
    data = office_file("docx", drop=("word/document.xml",))
    response = PLACES["report attachment"].post(client, world, (data, "report.docx"), "Typed")
    assert response.status_code == 400
    assert (
        "This .docx file is missing parts every .docx file has (word/document.xml). Save it "
        "again from your office program, or send it as a PDF."
    ) in html.unescape(response.get_data(as_text=True))
    assert stored_files() == 0 and list(upload_folder.iterdir()) == []


# --- what the inspection accepts and refuses --------------------------------------------------


@pytest.mark.parametrize("extension", REQUIRED)
def test_real_minimal_office_files_pass(app, extension):
    with app.test_request_context():
        assert problem(office_file(extension), extension) is None


def test_a_large_but_ordinary_document_passes(app):
    """Members far beyond the few KB read are fine when the archive is not absurd."""
    body = b"".join(b"<w:p>Paragraph %d of the work plan.</w:p>" % n for n in range(40_000))
    data = office_file("docx", changes={"word/document.xml": body})
    with app.test_request_context():
        assert problem(data, "docx") is None


@pytest.mark.parametrize(
    "extension, missing",
    [(extension, name) for extension, names in REQUIRED.items() for name in names],
)
def test_an_office_file_without_a_part_its_type_must_have_is_refused(app, extension, missing):
    with app.test_request_context():
        message = problem(office_file(extension, drop=(missing,)), extension)
    assert message.startswith(f"This .{extension} file is missing parts every .{extension}")
    assert f"({missing})" in message


@pytest.mark.parametrize(
    "extension, declared",
    [("odt", ODS), ("ods", ODT), ("odt", b"text/html"), ("odt", ODT + b"\0" * 10)],
    ids=["odt saying ods", "ods saying odt", "html", "type followed by more"],
)
def test_an_opendocument_file_must_declare_its_own_type(app, extension, declared):
    with app.test_request_context():
        message = problem(office_file(extension, changes={"mimetype": declared}), extension)
    assert message.startswith(f"The file's content is not a real .{extension} file.")


@pytest.mark.parametrize("extension", REQUIRED)
def test_an_archive_that_unpacks_to_over_100_times_its_size_is_refused(app, extension):
    """20 MB of zeros in a 20 KB file: under the 100 MB total, but no document compresses so."""
    data = bomb(extension, 20)
    assert len(data) < 100 * 1024
    with app.test_request_context():
        message = problem(data, extension)
    assert message.startswith(f"This .{extension} file would unpack to far more than a real")


def test_a_member_whose_declared_size_lies_is_read_only_a_few_kb(app, odt_bomb):
    """The directory says the `mimetype` member is 39 bytes; it holds 200 MB. Only the declared
    bytes are read, their checksum does not match, and the file is refused, quickly."""
    data = patch_directory(odt_bomb, "mimetype", size=len(ODT))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with app.test_request_context():
            message = problem(data, "odt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith("The file's content is not a real .odt file.")
    assert time.perf_counter() - started < 2
    assert peak < 10 * MB


def many_members(count: int, name_length: int = 8) -> bytes:
    buffer = BytesIO(office_file("docx"))
    with zipfile.ZipFile(buffer, "a") as archive:
        for n in range(count):
            archive.writestr(f"word/media/{n:0{name_length}d}.xml", b"")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: many_members(1000), id="1003 members"),
        pytest.param(lambda: set_entry_count(many_members(1000), 3), id="1003 declared as 3"),
        pytest.param(lambda: many_members(990, name_length=1100), id="a 1 MB directory"),
    ],
)
def test_an_archive_with_too_many_members_is_refused(app, data):
    with app.test_request_context():
        message = problem(data(), "docx")
    assert message.startswith("This .docx file holds more parts than a real document does")


def test_a_password_protected_document_is_refused_as_such(app):
    data = patch_directory(office_file("docx"), "word/document.xml", flags=0x1)
    with app.test_request_context():
        message = problem(data, "docx")
    assert message.startswith("This .docx file is protected by a password.")


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not a zip", office_file("docx")[:-30], b"PK\x03\x04" + bytes(100)],
    ids=["no directory", "cut short", "zeros"],
)
def test_a_broken_archive_is_not_a_real_office_file(app, data):
    with app.test_request_context():
        assert problem(data, "docx").startswith("The file's content is not a real .docx file.")


# --- crafting archives ------------------------------------------------------------------------


def _end_record(raw: bytearray) -> int:
    return raw.rindex(b"PK\x05\x06")


def set_entry_count(data: bytes, count: int) -> bytes:
    """`data` whose end record declares `count` members, whatever its directory holds."""
    raw = bytearray(data)
    struct.pack_into("<HH", raw, _end_record(raw) + 8, count, count)
    return bytes(raw)


def patch_directory(data: bytes, name: str, *, flags: int | None = None, size: int | None = None):
    """`data` with the central-directory entry of member `name` declaring other flags or an
    other unpacked size (what a crafted archive can say)."""
    raw = bytearray(data)
    end = _end_record(raw)
    count = struct.unpack_from("<H", raw, end + 10)[0]
    at = struct.unpack_from("<I", raw, end + 16)[0]
    for _ in range(count):
        name_length, extra_length, comment_length = struct.unpack_from("<HHH", raw, at + 28)
        if raw[at + 46 : at + 46 + name_length].decode() == name:
            if flags is not None:
                struct.pack_into("<H", raw, at + 8, flags)
            if size is not None:
                struct.pack_into("<I", raw, at + 24, size)
            return bytes(raw)
        at += 46 + name_length + extra_length + comment_length
    raise KeyError(name)
