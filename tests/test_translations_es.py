"""The Spanish catalogue: a visitor who chooses Spanish reads the login page in Spanish."""

import html
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CATALOGUE = Path(__file__).parent.parent / "fund/translations/es/LC_MESSAGES/messages.mo"


@pytest.fixture(autouse=True)
def _compiled():
    """The .mo file is not in git: `dev.py` (or `pybabel compile`) builds it from the .po."""
    if not CATALOGUE.exists():
        skip_or_fail(
            "the Spanish catalogue is not compiled: run "
            "`.venv/bin/pybabel compile -d fund/translations`"
        )


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_visitor_who_chooses_spanish_sees_the_login_page_in_spanish(client):
    response = client.post("/language", data={"locale": "es", "next": "/account/login"})
    assert response.status_code == 302

    text = page_text(client.get("/account/login"))
    assert '<html lang="es"' in text
    assert "Iniciar sesión" in text
    assert "¿Olvidó su contraseña?" in text
    assert "Crear una cuenta" in text
    assert "Forgotten your password?" not in text


def test_browser_asking_for_spanish_gets_the_login_page_in_spanish(client):
    text = page_text(client.get("/account/login", headers={"Accept-Language": "es-419,es;q=0.9"}))
    assert "Correo electrónico" in text
    assert "Mantener la sesión iniciada en este dispositivo" in text
    assert "Log in" not in text
