"""Every form's errors reach a screen reader: each error message is named by the
aria-describedby of its field, and each link of the error summary lands on something that takes
the focus.

Rather than a list of forms that would miss the next one, the test walks the demo as a visitor
and as one person holding every role, sends every form it finds with its fields emptied, and
checks each page that answers with errors. Table-question cells, budget lines and the core
fields of the proposal form are among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from fund.extensions import db
from fund.models import User
from tests import crawling
from tests.conftest import login

FOCUSABLE = {"input", "select", "textarea", "button"}
TYPED = {"text", "email", "password", "date", "number", "url", "time", "search", "tel", ""}
SKIP_ACTIONS = re.compile(r"/logout|/language|/files/")
# buttons that only change the form's shape (rows added or removed), not validate it
SHAPE_BUTTONS = {"add_line", "remove_line", "more_rows", "remove_row"}


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # hidden ones, kept
    emptied: list[str] = field(default_factory=list)  # what a person types, sent empty
    buttons: list[tuple[str, str] | None] = field(default_factory=list)  # None: no name
    removes: bool = False


class PageParser(HTMLParser):
    """The elements of a page by id, the ids named by aria-describedby, the error messages,
    the error summaries' links, and the page's POST forms."""

    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, tuple[str, dict]] = {}
        self.described: set[str] = set()
        self.errors: list[tuple[str | None, str]] = []  # (id, start of the message)
        self.summary_links: list[str] = []  # "#id", or "/path#id" on another page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._summary_depth = 0
        self._error_open: list = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {name: value or "" for name, value in attrs}
        classes = a.get("class", "").split()
        if "id" in a:
            self.by_id[a["id"]] = (tag, a)
        self.described.update(a.get("aria-describedby", "").split())
        if tag == "div" and "error-summary" in classes:
            self._summary_depth = 1
        elif self._summary_depth and tag == "div":
            self._summary_depth += 1
        if self._summary_depth and tag == "a" and "#" in a.get("href", ""):
            self.summary_links.append(a["href"])
        if tag == "p" and "error" in classes:
            self._error_open = [a.get("id"), ""]
            self.errors.append(self._error_open)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is not None and (tag == "button" or a.get("type") == "submit"):
            if "danger" in classes:
                # it removes something: nothing typed to check, and later forms may need it
                self._form.removes = True
            elif a.get("name") not in SHAPE_BUTTONS:
                self._form.buttons.append((a["name"], a.get("value", "")) if "name" in a else None)
        elif self._form is not None and "name" in a:
            kind = a.get("type", "text" if tag == "input" else "")
            if kind == "hidden":
                self._form.fields.append((a["name"], a.get("value", "")))
            elif tag in ("textarea", "select") or kind in TYPED:
                self._form.emptied.append(a["name"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._summary_depth:
            self._summary_depth -= 1
        if tag == "form":
            self._form = None
        if tag == "p":
            self._error_open = []

    def handle_data(self, data: str) -> None:
        if self._error_open:
            self._error_open[1] += data.strip()


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    return parser


def focusable(tag: str, attrs: dict) -> bool:
    if "tabindex" in attrs or (tag == "a" and "href" in attrs):
        return True
    return tag in FOCUSABLE and attrs.get("type") != "hidden" and "disabled" not in attrs


def link_problems(page: PageParser, client) -> list[str]:
    """Errors no field names, and summary links that land nowhere focusable (on this page, or
    on the page they lead to: the edit page, from the problems that stop a submission)."""
    problems = [
        f"error {text[:60]!r} has no id" if not error_id else
        f"error {text[:60]!r} (#{error_id}) is named by no aria-describedby"
        for error_id, text in page.errors
        if not error_id or error_id not in page.described
    ]  # fmt: skip
    for link in page.summary_links:
        path, target = link.split("#", 1)
        there = parse(client.get(path).text) if path else page
        if target not in there.by_id:
            problems.append(f"summary link {link} leads to no element")
        elif not focusable(*there.by_id[target]):
            problems.append(f"summary link {link} leads to a {there.by_id[target][0]} "
                            "that takes no focus")  # fmt: skip
    return problems


def same_site(href: str) -> str | None:
    parts = urlsplit(href)
    return None if parts.scheme or parts.netloc else urldefrag(href)[0]


def send_every_form_empty(client, start: str) -> tuple[dict[str, list[str]], set[str]]:
    """Crawl from `start`; send each distinct form once per validating button with every typed
    field empty. The problems per page answered, and the pages that showed errors."""
    forms: dict[str, tuple[str, Form]] = {}

    def collect(path: str, html: str) -> None:
        for form in parse(html).forms:
            action = same_site(form.action) or path
            if not SKIP_ACTIONS.search(action) and (form.buttons or not form.removes):
                kind = re.sub(r"\d+", "N", action) + str(len(form.emptied))
                forms.setdefault(kind, (action, form))

    crawling.crawl(client, start, on_page=collect)
    problems: dict[str, list[str]] = {}
    with_errors: set[str] = set()
    for action, form in forms.values():
        for button in form.buttons[:3] or [None]:
            data = [*form.fields, *((name, "") for name in form.emptied)]
            data += [button] if button else []
            response = client.post(action, data=MultiDict(data))
            assert response.status_code < 500, action
            if "text/html" not in response.content_type or response.status_code in (302, 303):
                continue
            page = parse(response.text)
            if page.errors or page.summary_links:
                with_errors.add(re.sub(r"\d+", "N", urlsplit(action).path))
            if found := link_problems(page, client):
                problems[f"{action} {button}"] = found
    return problems, with_errors


@pytest.fixture
def demo(runner, ctx):
    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0


@pytest.mark.parametrize(
    "email,forms",
    [
        # the forms the issue names, each of which must be seen in its error state
        ("applicant@example.org", ["/proposals/N/edit", "/reports/N", "/account/profile"]),
        ("reviewer@example.org", ["/reviews/N"]),
        ("chair@example.org", ["/decisions/proposals/N"]),
        ("admin@example.org", ["/calls/N/edit", "/calls/N/form", "/calls/new"]),
    ],
)
def test_every_signed_in_form_links_its_errors(client, demo, email, forms):
    login(client, db.session.scalar(db.select(User).where(User.email == email)))
    problems, with_errors = send_every_form_empty(client, "/dashboard")
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    for path in forms:
        assert any(seen.startswith(path) for seen in with_errors), (path, sorted(with_errors))


def test_every_visitors_form_links_its_errors(client, demo):
    problems, with_errors = send_every_form_empty(client, "/")
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert {"/account/login", "/account/register"} <= with_errors, sorted(with_errors)
