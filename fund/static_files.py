"""Static files under names that carry a hash of their content, cached by browsers for a year.

`url_for("static", filename="app.css")` gives `/static/app.<hash>.css`. A new release changes
the hash of every file it changes, so browsers may keep each name for ever and never re-check
it (on slow 3G a re-check costs a round trip per file per page). The plain name and a name with
an outdated hash (a page from before a release) are still served, under a short cache only.

The files are read once when the app starts (they are a few kilobytes); in debug mode they are
read again on each use, so edits show without a restart.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import Flask, Response, abort, current_app, request

IMMUTABLE = "public, max-age=31536000, immutable"
# Not the hashed name: another release may change the file under this name within minutes.
SHORT = "public, max-age=300"
DIGEST_LENGTH = 12
HASHED_NAME = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.\w+)$"
)


@dataclass(frozen=True)
class StaticFile:
    """One file of static/, with what serving it needs."""

    data: bytes
    digest: str
    mimetype: str
    hashed_name: str


def register(app: Flask, generated: dict[str, bytes] | None = None) -> None:
    """Build static URLs with hashed names and serve static files with the right cache;
    `generated` files (name: content), made when the app starts, are served like the others."""
    app.extensions["fund_static_generated"] = generated or {}
    app.extensions["fund_static_files"] = load(Path(app.static_folder), generated)
    app.url_defaults(_hashed_filename)
    app.view_functions["static"] = serve


def load(folder: Path, generated: dict[str, bytes] | None = None) -> dict[str, StaticFile]:
    """Every file under `folder`, by its path relative to it (with `/` separators), and the
    `generated` ones."""
    contents = {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    files = {}
    for name, data in {**contents, **(generated or {})}.items():
        digest = hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
        suffix = PurePosixPath(name).suffix
        # A file without a suffix keeps its name (and the short cache); static/ has none.
        hashed = f"{name.removesuffix(suffix)}.{digest}{suffix}" if suffix else name
        mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        files[name] = StaticFile(data, digest, mimetype, hashed)
    return files


def _files() -> dict[str, StaticFile]:
    if current_app.debug:
        current_app.extensions["fund_static_files"] = load(
            Path(current_app.static_folder), current_app.extensions["fund_static_generated"]
        )
    return current_app.extensions["fund_static_files"]


def _hashed_filename(endpoint: str, values: dict) -> None:
    """`url_for("static", filename=...)` names the file by its content."""
    if endpoint != "static":
        return
    known = _files().get(values.get("filename", ""))
    if known:
        values["filename"] = known.hashed_name


def serve(filename: str) -> Response:
    """The file, for a year under its current hashed name, for minutes under any other."""
    files = _files()
    match = HASHED_NAME.match(filename)
    if match:
        original = match["stem"] + match["suffix"]
        known = files.get(original)
        if known and known.digest == match["digest"] and filename == known.hashed_name:
            return _response(known, IMMUTABLE)
        if known and filename not in files:
            return _response(known, SHORT)
    known = files.get(filename)
    if known is None:
        abort(404)
    return _response(known, SHORT)


def _response(known: StaticFile, cache_control: str) -> Response:
    response = Response(known.data, mimetype=known.mimetype)
    response.headers["Cache-Control"] = cache_control
    response.set_etag(known.digest)
    return response.make_conditional(request)
