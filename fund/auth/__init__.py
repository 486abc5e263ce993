"""Accounts: registration, e-mail verification, login, password reset, profile."""

from __future__ import annotations

from flask_login import LoginManager

from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import User


def configure_login(login_manager: LoginManager) -> None:
    """Load users from the session; a deactivated user or an old session version loads nobody."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str) -> User | None:
        user_id, _, version = identity.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user
