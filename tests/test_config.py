"""Settings: production fails fast without its secrets; the factory accepts test settings."""

import pytest

from fund import create_app


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing, monkeypatch):
    """Production settings name the variable that is missing instead of starting insecurely."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://fund@127.0.0.1/fund")
    monkeypatch.delenv(missing)
    with pytest.raises(RuntimeError, match=missing):
        create_app({"FUND_ENV": "production"})


def test_production_starts_with_its_settings(monkeypatch, tmp_path):
    """With both variables set, production builds an app with secure cookies."""
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite3'}")
    app = create_app({"FUND_ENV": "production", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path / 'prod.sqlite3'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not app.debug
    assert app.config["SECRET_KEY"] == "s" * 40


def test_unknown_environment_is_refused():
    with pytest.raises(RuntimeError, match="FUND_ENV"):
        create_app({"FUND_ENV": "staging"})
