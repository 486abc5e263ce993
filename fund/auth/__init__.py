"""Accounts: registration, e-mail verification, login, password reset, profile."""

from __future__ import annotations

from flask_login import LoginManager

from fund.auth import sessions
from fund.i18n import lazy_gettext as _l
from fund.models import User


def configure_login(login_manager: LoginManager) -> None:
    """Load users from their server-side sign-in; an ended, expired or deactivated one loads
    nobody."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str) -> User | None:
        return sessions.load(identity)
