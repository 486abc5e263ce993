"""The user list's rows, written out in Python for the page at once.

Each of the fifty rows had the template look up and escape a dozen values, call the row's link
and its roles' text through Jinja, and write the fixed labels again: four fifths of the page's
own work beyond its query. Here the labels, the link's two halves and each distinct set of roles
are worked out and escaped once for the page, and each row is written with one format. The HTML
is the template's own row as it wrote it, with tidier blank space between rows
(tests/admin/test_user_rows.py holds the two to each other).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from markupsafe import Markup

from fund.admin.queries import UserRow
from fund.i18n import request_translations
from fund.jinja_env import escape_output as e
from fund.models import Role
from fund.templating import id_href


def user_rows(accounts: Iterable[UserRow], role_names: Mapping[Role, str]) -> Markup:
    """The table rows of `accounts`, each role named by `role_names` (in the reader's
    language)."""
    _ = request_translations().ugettext
    # a translation is trusted markup, written as it is, as the template's `_()` writes it
    name_td, email_td, roles_td, status_td = (
        f'\n            <td data-label="{label}">'
        for label in (_("Name"), _("E-mail address"), _("Roles"), _("Status"))
    )
    unconfirmed = f' <span class="muted">({_("not confirmed")})</span>'
    active, deactivated = _("active"), _("deactivated")
    href = id_href("admin.user", "user_id")
    roles_text: dict[tuple[Role, ...], str] = {}  # each set of roles written once a page
    rows = []
    for account in accounts:
        roles = account.roles
        if roles not in roles_text:
            roles_text[roles] = e(", ".join(role_names[role] for role in roles))
        rows.append(
            f"\n          <tr>"
            f'{name_td}<a href="{href(account.id)}">{e(account.name)}</a></td>'
            f"{email_td}{e(account.email)}{'' if account.email_verified else unconfirmed}</td>"
            f"{roles_td}{roles_text[roles]}</td>"
            f"{status_td}{active if account.active else deactivated}</td>"
            f"\n          </tr>"
        )
    return Markup("".join(rows))
