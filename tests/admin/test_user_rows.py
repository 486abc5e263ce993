"""The user list's rows, written in Python (fund/admin/user_rows.py): the same HTML as the
template's row wrote for each account, in every language."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from flask_login import login_user

from fund.admin.queries import users_page
from fund.extensions import db
from fund.models import Role, UserRole
from fund.templating import ROLE_LABELS
from tests.conftest import login, make_user

# The row as admin/users.html wrote it before its rows were written in Python.
TEMPLATE_ROW = """
{% set label = namespace(name=_("Name"), email=_("E-mail address"), roles=_("Roles"), status=_("Status")) %}
{% set active, deactivated, unconfirmed = _("active"), _("deactivated"), _("not confirmed") %}
{% set user_url = id_url("admin.user", "user_id") %}
{% for account in accounts %}
  <tr>
    <td data-label="{{ label.name }}"><a href="{{ user_url(account.id) }}">{{ account.name }}</a></td>
    <td data-label="{{ label.email }}">{{ account.email }}{% if not account.email_verified %} <span class="muted">({{ unconfirmed }})</span>{% endif %}</td>
    <td data-label="{{ label.roles }}">{{ roles_text(account.roles) }}</td>
    <td data-label="{{ label.status }}">{{ active if account.active else deactivated }}</td>
  </tr>
{% endfor %}
"""  # noqa: E501 (the template's own lines)


def tidy(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def body(page: str) -> str:
    return page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]


@pytest.mark.parametrize("locale", ["en", "fr", "es", "pt"])
def test_each_row_is_the_templates_row(app, client, locale):
    """Accounts unconfirmed, deactivated, with several roles or a name and address to escape:
    each row reads as the template wrote it, in the reader's language."""
    admin = make_user(Role.ADMIN, name="A <admin> & co", locale=locale)
    make_user(Role.REVIEWER, Role.CHAIR, name='Zoë "Z" O\'Neil', verified=False)
    make_user(Role.APPLICANT, name="Bea <b>", email="bea+<x>@example.org", active=False)
    bare = make_user(name="Carl")
    db.session.execute(UserRole.__table__.delete().where(UserRole.user_id == bare.id))
    db.session.commit()
    login(client, admin)
    page = client.get("/admin/users").get_data(as_text=True)
    with app.test_request_context():
        login_user(admin)  # the reader's language is the account's
        accounts = users_page().items
        role_names = {role: str(label) for role, label in ROLE_LABELS.items()}
        expected = render_template_string(
            TEMPLATE_ROW,
            accounts=accounts,
            roles_text=lambda roles: ", ".join(role_names[role] for role in roles),
        )
    assert len(accounts) == 4
    assert tidy(body(page)) == tidy(expected)
    assert "&lt;admin&gt; &amp; co" in page and "<b>" not in page


def test_no_account_matching_says_so(client):
    login(client, make_user(Role.ADMIN))
    page = client.get("/admin/users?q=nobody-has-this").get_data(as_text=True)
    assert tidy(body(page)) == '<tr><td colspan="4">No account matches these filters.</td></tr>'
