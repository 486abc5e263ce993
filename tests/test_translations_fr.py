"""The French catalogue is used: pages follow the visitor's language, e-mail the recipient's.

The .mo file must be compiled first (`python3 dev.py test` does it; by hand:
`pybabel compile -d fund/translations -l fr`).
"""

from __future__ import annotations

import html

from fund.auth.services import send_verification
from tests.conftest import make_user, outbox


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_login_page_in_french(text: str) -> None:
    assert "<h1>Se connecter</h1>" in text
    assert "Adresse e-mail" in text
    assert "Mot de passe" in text
    assert "Créer un compte" in text
    assert "Log in" not in text


def test_a_french_browser_sees_the_login_page_in_french(client):
    response = client.get("/account/login", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert_login_page_in_french(page_text(response))


def test_choosing_french_for_the_session_translates_the_login_page(client):
    response = client.post("/language", data={"locale": "fr"}, headers={"Accept-Language": "en"})
    assert response.status_code == 302
    response = client.get("/account/login", headers={"Accept-Language": "en"})
    assert_login_page_in_french(page_text(response))


def test_an_english_browser_still_sees_english(client):
    text = page_text(client.get("/account/login", headers={"Accept-Language": "en"}))
    assert "<h1>Log in</h1>" in text
    assert "Se connecter" not in text


def test_a_french_user_gets_the_verification_email_in_french(ctx):
    user = make_user(locale="fr", verified=False)
    send_verification(user)
    [message] = outbox("verify_email", recipient=user.email)
    assert message.subject == "Confirmez votre adresse e-mail"
    body = message.body_text
    assert "Veuillez confirmer l'adresse e-mail de votre compte du Fonds INSPIRE" in body
    assert "Le lien ne fonctionne qu'une fois" in body
    assert "Please confirm" not in body
    assert "Veuillez confirmer" in html.unescape(message.body_html)
