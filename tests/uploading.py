"""The places an applicant sends a file, driven one way, and small real Office files.

Each `Place` posts a file together with some typed text, and reads back the text saved, so the
upload tests can check every upload field the same way: the proposal's attachment and its
safeguarding policy, the organisation's policy (registering and editing) and a report's
attachment (every caller of `storage.store` that a user reaches).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Organisation, ProgressReport, Proposal, StoredFile, User
from tests.conftest import make_call, make_proposal
from tests.grants.conftest import build_grant
from tests.organisations.conftest import organisation_form
from tests.proposals.drafting import form_data

ODT = b"application/vnd.oasis.opendocument.text"
ODS = b"application/vnd.oasis.opendocument.spreadsheet"

# The members a minimal real file of each type has (those the check requires, and a few more).
OFFICE_MEMBERS = {
    "docx": {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
        b'openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
    },
    "xlsx": {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook><sheets/></workbook>',
    },
    "odt": {
        "mimetype": ODT,
        "content.xml": b'<?xml version="1.0"?><office:document-content/>',
        "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>',
    },
    "ods": {
        "mimetype": ODS,
        "content.xml": b'<?xml version="1.0"?><office:document-content/>',
        "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>',
    },
}


def office_file(
    extension: str, *, drop: tuple[str, ...] = (), changes: dict[str, bytes] | None = None
) -> bytes:
    """A minimal real file of `extension`, without the members in `drop` and with `changes`
    (member name -> content) replacing or adding members."""
    members = {**OFFICE_MEMBERS[extension], **(changes or {})}
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if name not in drop:  # OpenDocument stores `mimetype` first and uncompressed
                kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                archive.writestr(name, content, compress_type=kind)
    return buffer.getvalue()


@dataclass
class World:
    """A grantee member, its organisation, a draft proposal and a report it may edit."""

    member: User
    organisation: Organisation
    draft: Proposal
    report: ProgressReport


def make_world() -> World:
    grant_world = build_grant()
    organisation = db.session.get(Organisation, grant_world.grant.organisation_id)
    draft = make_proposal(organisation, make_call(title="Open call"))
    return World(grant_world.member, organisation, draft, grant_world.interim)


@dataclass(frozen=True)
class Place:
    """One upload field: `post(client, world, file, typed)` sends `file` (content, name) with
    the text `typed`; `saved_text(world, typed)` is that text if it was saved, else None."""

    post: Callable
    saved_text: Callable


def _multipart(client, url: str, data: dict):
    return client.post(url, data=data, content_type="multipart/form-data")


def _file(file: tuple[bytes, str]) -> tuple[BytesIO, str]:
    content, name = file
    return BytesIO(content), name


def _saved_title(world: World, typed: str) -> str | None:
    db.session.expire_all()
    title = db.session.get(Proposal, world.draft.id).title
    return title if title == typed else None


def _saved_organisation_name(world: World, typed: str) -> str | None:
    db.session.expire_all()
    return db.session.scalar(select(Organisation.name).where(Organisation.name == typed))


def _saved_narrative(world: World, typed: str) -> str | None:
    db.session.expire_all()
    narrative = db.session.get(ProgressReport, world.report.id).narrative
    return narrative if narrative == typed else None


PLACES = {
    "proposal attachment": Place(
        lambda client, world, file, typed: _multipart(
            client,
            f"/proposals/{world.draft.id}/edit",
            form_data(world.draft, title=typed, attachment_upload=_file(file)),
        ),
        _saved_title,
    ),
    "proposal safeguarding policy": Place(
        lambda client, world, file, typed: _multipart(
            client,
            f"/proposals/{world.draft.id}/edit",
            form_data(world.draft, title=typed, safeguarding_upload=_file(file)),
        ),
        _saved_title,
    ),
    "new organisation's policy": Place(
        lambda client, world, file, typed: _multipart(
            client,
            "/organisations/new",
            organisation_form(name=typed, safeguarding_policy=_file(file)),
        ),
        _saved_organisation_name,
    ),
    "organisation's policy": Place(
        lambda client, world, file, typed: _multipart(
            client,
            f"/organisations/{world.organisation.id}/edit",
            organisation_form(name=typed, safeguarding_policy=_file(file)),
        ),
        _saved_organisation_name,
    ),
    "report attachment": Place(
        lambda client, world, file, typed: _multipart(
            client,
            f"/reports/{world.report.id}",
            {"action": "save", "narrative": typed, "attachment": _file(file)},
        ),
        _saved_narrative,
    ),
}


def stored_files() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredFile))


@pytest.fixture
def upload_folder(app) -> Path:
    """The upload folder, emptied before the test so it sees only its own files."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        path.unlink()
    return folder
