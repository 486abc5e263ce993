"""The main menu, rendered once per kind of reader rather than on every page.

Its twenty-odd links and labels depend only on the reader's language, whether they are signed
in, their roles and whether they may approve payments (and on the app's routes and settings):
about a sixth of a short page's time went into building the same menu again. Each app keeps its
own menus, so two apps in one process (the tests) never share one; with the debugger or
template reloading on, it is rendered each time so edits show at once.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from fund import permissions

MENU_TEMPLATE = "_main_menu.html"


def main_menu() -> Markup:
    """The links of the main menu for the current reader (templates/_main_menu.html)."""
    app = current_app._get_current_object()
    if app.jinja_env.auto_reload:  # the debugger or TEMPLATES_AUTO_RELOAD: edits show at once
        return Markup(render_template(MENU_TEMPLATE))
    signed_in = bool(current_user.is_authenticated)
    key = (
        str(get_locale()),
        request.script_root,
        signed_in,
        frozenset(current_user.roles) if signed_in else frozenset(),
        signed_in and permissions.can_approve_payments(current_user),
    )
    menus = app.extensions.setdefault("fund.main_menus", {})
    menu = menus.get(key)
    if menu is None:
        menu = menus[key] = Markup(render_template(MENU_TEMPLATE))
    return menu
