"""/upload-too-large: the page nginx shows in place of a request over its body limit
(deploy/nginx/fund.conf). Everyone gets the app's own 413 page, in their language; it changes
nothing, and only GET is answered."""

from __future__ import annotations

import pytest

from fund.models import Role
from tests.conftest import login, make_user


@pytest.mark.parametrize(
    "roles", [(), (Role.APPLICANT,), (Role.ADMIN,)], ids=["anonymous", "applicant", "admin"]
)
def test_everyone_gets_the_friendly_413_page(client, roles):
    if roles:
        login(client, make_user(*roles))
    response = client.get("/upload-too-large")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "The upload is too large" in page
    assert "Files may be at most the size shown next to the upload field." in page


def test_it_is_in_the_visitors_language(client):
    response = client.get("/upload-too-large", headers={"Accept-Language": "fr"})
    assert response.status_code == 413
    assert '<html lang="fr"' in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_are_refused_with_a_clear_405(client, method):
    response = getattr(client, method)("/upload-too-large", data={"x": "y" * 1000})
    assert response.status_code == 405
    assert "This page cannot be used that way" in response.get_data(as_text=True)


def test_a_query_string_changes_nothing(client):
    response = client.get("/upload-too-large?next=//evil.example&size=-1")
    assert response.status_code == 413
    assert "Location" not in response.headers
    assert "Files may be at most the size shown" in response.get_data(as_text=True)
