"""The page frame with the main menu (fund/navigation.py) is rendered once per kind of reader,
and each reader still gets the menu of their own roles and language, and their own CSRF token
and return path."""

from __future__ import annotations

import re
from contextlib import contextmanager

from flask import template_rendered

from fund.extensions import db
from fund.models import Role, UserRole
from tests.conftest import login, make_user


@contextmanager
def menus_rendered(app):
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def menu_of(client) -> str:
    html = client.get("/account/profile").get_data(as_text=True)
    return html[html.index('<ul class="nav">') : html.index("</ul>")]


def links(menu: str) -> list[str]:
    """The menu's links (its log-out form carries a token signed with the time: left out)."""
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', menu)


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', html))


def test_readers_with_the_same_roles_and_language_share_one_rendering(app, client):
    app.extensions.pop("fund.page_frames", None)  # the app is the session's: start afresh
    first, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    with menus_rendered(app) as names:
        login(client, first)
        one = menu_of(client)
        other = app.test_client()
        login(other, second)
        two = menu_of(other)
    assert names.count("_page_frame.html") == 1
    assert links(one) == links(two) and "Reviews" in links(one) and "Users" not in one
    assert "csrf_token" in one  # the log-out form is in the menu's list, with the reader's token


def test_each_reader_gets_their_own_token_and_it_works(app, client, csrf):
    """The shared rendering keeps no token: each page carries its reader's, which logs out."""
    first, second = make_user(Role.REVIEWER), make_user(Role.REVIEWER)
    other = app.test_client()
    login(client, first)
    login(other, second)
    mine = client.get("/account/profile").get_data(as_text=True)
    theirs = other.get("/account/profile").get_data(as_text=True)
    assert len(tokens(mine)) == 1 and len(tokens(theirs)) == 1  # log-out and language forms
    assert tokens(mine) != tokens(theirs)
    refused = client.post("/account/logout", data={"csrf_token": tokens(theirs).pop()})
    assert refused.status_code == 400
    signed_out = client.post("/account/logout", data={"csrf_token": tokens(mine).pop()})
    assert signed_out.status_code == 302
    assert "Dashboard" not in client.get("/").get_data(as_text=True)


def test_the_language_form_returns_to_each_pages_own_path_escaped(app, client):
    """The path is each request's own, put into the shared frame escaped."""
    first = client.get("/calls/?q=one").get_data(as_text=True)
    second = client.get('/calls/?q=<b>"two').get_data(as_text=True)
    assert 'name="next" value="/calls/?q=one"' in first
    assert 'name="next" value="/calls/?q=&lt;b&gt;&#34;two"' in second
    assert "<b>" not in second


def test_each_role_and_language_gets_its_own_menu(app, client):
    admin, reviewer = make_user(Role.ADMIN), make_user(Role.REVIEWER)
    french_admin = make_user(Role.ADMIN, locale="fr")
    login(client, admin)
    english = menu_of(client)
    login(client, reviewer)
    reviewing = menu_of(client)
    login(client, french_admin)
    french = menu_of(client)
    assert "Users" in english and "Audit log" in english and "Users" not in reviewing
    assert "Journal d" in french and "Audit log" not in french
    anonymous = app.test_client().get("/").get_data(as_text=True)
    assert "Log in" in anonymous and "Dashboard" not in anonymous


def test_a_new_role_shows_in_the_menu_at_once(app, client):
    user = make_user(Role.REVIEWER)
    login(client, user)
    assert "Decisions" not in menu_of(client)
    db.session.add(UserRole(user_id=user.id, role=Role.CHAIR.value))
    db.session.commit()
    assert "Decisions" in menu_of(client)


def test_with_template_reloading_on_the_frame_is_rendered_each_time(app, client):
    app.jinja_env.auto_reload = True
    try:
        user = make_user(Role.REVIEWER)
        login(client, user)
        with menus_rendered(app) as names:
            menu_of(client)
            menu_of(client)
        assert names.count("_page_frame.html") == 2
    finally:
        app.jinja_env.auto_reload = False
