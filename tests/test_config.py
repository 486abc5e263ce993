"""Settings: production fails fast without its secrets; the factory accepts test settings."""

import pytest
from cryptography.fernet import Fernet

from fund import create_app


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "DATA_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without(missing, monkeypatch):
    """Production settings name the variable that is missing instead of starting insecurely."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", Fernet.generate_key().decode())
    monkeypatch.delenv("DATA_ENCRYPTION_KEYS", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://fund@127.0.0.1/fund")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app({"FUND_ENV": "production"})


def test_production_starts_with_its_settings(monkeypatch, tmp_path):
    """With its variables set, production builds an app with secure cookies."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATA_ENCRYPTION_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    app = create_app(
        {
            "FUND_ENV": "production",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.debug
    assert app.config["SECRET_KEY"] == "s" * 40


def test_unknown_environment_is_refused():
    with pytest.raises(RuntimeError, match="FUND_ENV"):
        create_app({"FUND_ENV": "staging"})


def test_trusted_proxy_headers_give_the_client_address(tmp_path):
    """Behind one proxy, the client's address (not the proxy's) is what the app sees."""
    from flask import request

    app = create_app(
        {
            "FUND_ENV": "testing",
            "TRUSTED_PROXIES": 1,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.sqlite3'}",
        }
    )
    client = app.test_client()

    @app.get("/_whoami")
    def whoami():
        return request.remote_addr

    response = client.get(
        "/_whoami",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.text == "203.0.113.9"


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path):
    """A client cannot pick its own address (and dodge rate limits) with a forged header."""
    from flask import request

    app = create_app(
        {
            "FUND_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.sqlite3'}",
        }
    )

    @app.get("/_whoami")
    def whoami():
        return request.remote_addr

    response = app.test_client().get(
        "/_whoami",
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    assert response.text == "127.0.0.1"


@pytest.mark.parametrize("name", ["SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"])
def test_compressed_pages_need_same_site_cookies(name):
    with pytest.raises(RuntimeError, match=name):
        create_app({name: "None", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_cross_site_cookies_are_allowed_once_pages_are_not_compressed():
    app = create_app(
        {
            "SESSION_COOKIE_SAMESITE": "None",
            "COMPRESS_MIMETYPES": ["text/css"],
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    assert app.config["SESSION_COOKIE_SAMESITE"] == "None"
