"""The Portuguese catalogue: a visitor who chooses Portuguese reads the login page in Portuguese."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "fund" / "translations" / "pt" / "LC_MESSAGES"


def _compile_catalogue() -> None:
    """Compile messages.po as `pybabel compile` would, when the .mo is missing or older.

    The .mo is not in git (dev.py compiles on start). This runs at import, during collection,
    so it is in place before any test makes the app load (and cache) the Portuguese catalogue.
    """
    po, mo = CATALOGUE / "messages.po", CATALOGUE / "messages.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return
    with po.open("rb") as source:
        catalog = read_po(source, locale="pt")
    with mo.open("wb") as target:
        write_mo(target, catalog)


_compile_catalogue()

# What a person reads on the login page, in English and in Portuguese.
PORTUGUESE = [
    "<h1>Entrar</h1>",
    "Endereço de e-mail",
    "Senha",
    "Esqueceu-se da sua senha?",
    "Criar uma conta",
]
ENGLISH = ["<h1>Log in</h1>", "Forgotten your password?", "Create an account"]


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_portuguese(text: str) -> None:
    assert '<html lang="pt"' in text
    for words in PORTUGUESE:
        assert words in text
    for words in ENGLISH:
        assert words not in text


def test_visitor_who_chooses_portuguese_sees_the_login_page_in_portuguese(client):
    response = client.post("/language", data={"locale": "pt", "next": "/account/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    assert_portuguese(page_text(client.get("/account/login")))


@pytest.mark.parametrize("accept", ["pt", "pt-BR", "pt-PT,pt;q=0.9,en;q=0.5", "pt-MZ"])
def test_browser_asking_for_portuguese_gets_the_login_page_in_portuguese(client, accept):
    response = client.get("/account/login", headers={"Accept-Language": accept})
    assert response.status_code == 200
    assert_portuguese(page_text(response))


def test_english_stays_the_default(client):
    text = page_text(client.get("/account/login"))
    assert '<html lang="en"' in text
    for words in ENGLISH:
        assert words in text
