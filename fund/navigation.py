"""The frame of every page (head, header with the main menu, footer), rendered once per kind of
reader rather than on every page.

Its menu links, labels, language choice and footer depend only on the reader's language, whether
they are signed in, their roles and whether they may approve payments (and on the app's routes
and settings): building the same frame again, some thirty calls from the template, was about a
sixth of a list page's work. Only the CSRF token and the path the language form returns to are
each request's own; the cached rendering keeps a mark where each goes. Each app keeps its own
frames, so two apps in one process (the tests) never share one; with the debugger or template
reloading on, it is rendered each time so edits show at once.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from fund import permissions

FRAME_TEMPLATE = "_page_frame.html"

# Marks left in the shared rendering: where the page's own parts go (`cut`), and where each
# request's token and path go. A NUL character cannot come from a template's text or a
# translation, so a mark is never confused with the page.
_CUT = "\x00cut\x00"
_MARK = re.compile("\x00(csrf|path)\x00")


class Frame(NamedTuple):
    """The page around its title (`top` ... `header`) and its content (... `footer`)."""

    top: Markup
    header: Markup
    footer: Markup


def page_frame() -> Frame:
    """The frame for the current reader and request (templates/_page_frame.html)."""
    app = current_app._get_current_object()
    if app.jinja_env.auto_reload:  # the debugger or TEMPLATES_AUTO_RELOAD: edits show at once
        parts = _render()
    else:
        key = _reader_kind()
        frames = app.extensions.setdefault("fund.page_frames", {})
        parts = frames.get(key)
        if parts is None:
            parts = frames[key] = _render()
    values = {"csrf": escape(generate_csrf()), "path": escape(current_path())}
    return Frame(*(Markup("".join(_filled(pieces, values))) for pieces in parts))


def _reader_kind() -> tuple:
    """What the frame depends on besides the app: language, the application's root, and the
    reader's sign-in, roles and payment rights."""
    signed_in = bool(current_user.is_authenticated)
    return (
        str(get_locale()),
        request.script_root,
        signed_in,
        frozenset(current_user.roles) if signed_in else frozenset(),
        signed_in and permissions.can_approve_payments(current_user),
    )


def _render() -> tuple[tuple[str, ...], ...]:
    """The frame's three parts, each cut at its marks: (text, name, text, name, ..., text)."""
    text = render_template(
        FRAME_TEMPLATE,
        cut=Markup(_CUT),
        csrf_token=lambda: Markup("\x00csrf\x00"),
        current_path=Markup("\x00path\x00"),
    )
    top, header, footer = text.split(_CUT)
    return tuple(tuple(_MARK.split(part)) for part in (top, header, footer))


def _filled(pieces: tuple[str, ...], values: dict[str, Markup]):
    """The pieces with each mark's name (at the odd places) replaced by its value."""
    for index, piece in enumerate(pieces):
        yield values[piece] if index % 2 else piece


def current_path() -> str:
    """The path and query of the request: where the language form sends the reader back, and
    where logging in returns to (templates see it as `current_path`)."""
    return request.full_path.rstrip("?")
