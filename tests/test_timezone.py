"""Times are shown in the visitor's time zone, which the browser reports in the `tz` cookie."""

from fund.extensions import db
from fund.models import User


def test_visitor_time_zone_comes_from_the_browser_cookie(app):
    """A valid zone from the cookie is used; a forged one falls back to UTC."""
    from fund.i18n import select_timezone

    with app.test_request_context("/", headers={"Cookie": "tz=Africa/Nairobi"}):
        assert select_timezone() == "Africa/Nairobi"
    with app.test_request_context("/", headers={"Cookie": "tz=Mars/Olympus"}):
        assert select_timezone() == "UTC"


def test_new_account_takes_the_browser_time_zone(client):
    """Registering from a browser in Dakar gives the account the Africa/Dakar zone."""
    client.set_cookie("tz", "Africa/Dakar")
    response = client.post(
        "/account/register",
        data={
            "name": "Awa Diop",
            "email": "awa@example.org",
            "password": "a long passphrase",
            "confirm": "a long passphrase",
            "locale": "fr",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "awa@example.org"))
    assert user.timezone == "Africa/Dakar"
