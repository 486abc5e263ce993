"""Static files under content-hashed names with a one-year cache, and compressed responses."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

from fund.models import Role
from tests.conftest import login, make_user

STATIC = Path(__file__).resolve().parents[1] / "fund" / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


def digest(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def get(client, path: str, **headers):
    """GET `path`, reading and closing the body."""
    response = client.get(path, headers=headers, buffered=True)
    response.close()
    return response


def test_pages_link_static_files_by_a_hash_of_their_content(client):
    page = client.get("/").get_data(as_text=True)
    assert f'href="/static/app.{digest("app.css")}.css"' in page
    assert f'src="/static/app.{digest("app.js")}.js"' in page
    assert 'href="/static/app.css"' not in page


@pytest.mark.parametrize("name", ["app.css", "app.js", "proposal.js", "review.css"])
def test_a_hashed_name_is_cached_for_a_year(client, name):
    stem, suffix = name.rsplit(".", 1)
    response = get(client, f"/static/{stem}.{digest(name)}.{suffix}")
    assert response.status_code == 200
    assert response.data == (STATIC / name).read_bytes()
    assert response.headers["Cache-Control"] == IMMUTABLE


def test_the_plain_name_still_works_under_a_short_cache(client):
    response = get(client, "/static/app.css")
    assert response.status_code == 200
    assert response.data == (STATIC / "app.css").read_bytes()
    assert response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_an_outdated_hash_gets_the_current_file_under_a_short_cache(client):
    """A page cached from before a release still gets its stylesheet, but not for a year."""
    response = get(client, "/static/app.0123456789ab.css")
    assert response.status_code == 200
    assert response.data == (STATIC / "app.css").read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    "path", ["/static/nothing.css", "/static/nothing.0123456789ab.css", "/static/../config.py"]
)
def test_an_unknown_static_file_is_404(client, path):
    assert get(client, path).status_code == 404


def test_a_static_file_revalidates_by_its_hash(client):
    path = f"/static/app.{digest('app.css')}.css"
    etag = get(client, path).headers["ETag"]
    assert get(client, path, **{"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed in"])
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_pages_leave_compressed_when_the_browser_accepts_it(client, signed_in, encoding):
    if signed_in:
        login(client, make_user(Role.APPLICANT))
    plain = get(client, "/calls/")
    response = get(client, "/calls/", **{"Accept-Encoding": encoding})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    unpack = gzip.decompress if encoding == "gzip" else brotli.decompress
    body = unpack(response.data)
    assert re.sub(rb'value="[^"]+"', b"", body) == re.sub(rb'value="[^"]+"', b"", plain.data)
    assert len(response.data) < len(plain.data) / 2


@pytest.mark.parametrize("name", ["app.css", "proposal.js"])
def test_styles_and_scripts_leave_compressed(client, name):
    stem, suffix = name.rsplit(".", 1)
    response = get(client, f"/static/{stem}.{digest(name)}.{suffix}", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == (STATIC / name).read_bytes()
    assert response.headers["Cache-Control"] == IMMUTABLE


def test_nothing_is_compressed_for_a_client_that_does_not_ask(client):
    assert "Content-Encoding" not in get(client, "/calls/").headers


def test_another_app_s_compression_settings_leave_this_app_s_alone(client):
    """Each app has its own Flask-Compress: an app made later in the same process without
    text/html in COMPRESS_MIMETYPES (as tests/test_config.py makes one) does not stop this
    one compressing its pages."""
    from fund import create_app

    create_app(
        {
            "COMPRESS_MIMETYPES": ["text/css"],
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SESSION_COOKIE_SAMESITE": "None",
        }
    )
    response = get(client, "/calls/", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
