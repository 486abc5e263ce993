"""The lean overview (issue 14): the reviewer table, the calls' state counts and the late
reviews list build their links once for all their rows, each link still the one url_for writes;
the calls are read as the columns shown; reviews are counted per reviewer before the users are
read."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import url_for
from flask_babel import force_locale, format_datetime, gettext
from markupsafe import escape
from sqlalchemy import event

from fund.admin import late_reviews
from fund.dates import format_day
from fund.extensions import db
from fund.models import Role
from fund.models.base import utcnow
from tests.admin.overview_data import make_review, proposal_in
from tests.conftest import count_queries, login, make_call, make_user


def counting_url_for(app, monkeypatch) -> list[str]:
    """The endpoints the templates build URLs for, from now on."""
    real = app.jinja_env.globals["url_for"]
    built: list[str] = []

    def counted(endpoint, **values):
        built.append(endpoint)
        return real(endpoint, **values)

    monkeypatch.setitem(app.jinja_env.globals, "url_for", counted)
    return built


def test_the_pages_links_do_not_grow_with_reviewers_and_reviews(app, client, monkeypatch):
    call = make_call()
    login(client, make_user(Role.ADMIN))
    built = counting_url_for(app, monkeypatch)
    paths = ("/dashboard", "/admin/overview/reviews?when=overdue")

    def links() -> list[int]:
        counts = []
        for path in paths:
            built.clear()
            assert client.get(path).status_code == 200
            counts.append(len(built))
        return counts

    make_review(proposal_in(call), make_user(Role.REVIEWER), due_in_days=-2)
    links()  # the main menu is built once per kind of reader: warm it
    few = links()
    for _ in range(3):
        make_review(proposal_in(call), make_user(Role.REVIEWER), due_in_days=-2)
    assert links() == few


def test_a_late_review_row_keeps_its_links(client):
    call = make_call()
    reviewer = make_user(Role.REVIEWER, name="Late Larry")
    proposal = proposal_in(call)
    review = make_review(proposal, reviewer, due_in_days=-2)
    login(client, make_user(Role.ADMIN))
    html = client.get(f"/admin/overview/reviews?when=overdue&reviewer={reviewer.id}").text
    row = html[html.index(f'<tr id="review-{review.id}">') :]
    row = row[: row.index("</tr>")]
    assert (
        f'<a href="/admin/overview/reviews?when=overdue&amp;reviewer={reviewer.id}">Late Larry</a>'
        in row
    )
    assert (
        f'<a href="/screening/proposals/{proposal.id}/assignments">{proposal.reference}</a>' in row
    )
    assert (
        f'action="/admin/overview/reviews/{review.id}/remind?when=overdue&amp;reviewer={reviewer.id}"'
        in row
    )
    assert ">Remind now</button>" in row
    assert "<td>Not started</td>" in row and "<td>Not reminded by hand</td>" in row


def test_the_calls_overview_reads_only_the_columns_it_shows(client):
    call = make_call(title="Round 2027")
    proposal_in(call, "submitted")
    login(client, make_user(Role.ADMIN))
    with count_queries() as statements:
        html = client.get("/dashboard").text
    assert (
        f'<h3 id="overview-call-{call.id}"><a href="/calls/{call.id}">Round 2027</a></h3>' in html
    )
    assert f'href="/screening/calls/{call.id}?state=submitted">1</a>' in html
    read = " ".join(s for s in statements if "FROM calls" in s)
    for wide in ("calls.description", "calls.proposal_form", "calls.report_form"):
        assert wide not in read


def test_reviews_are_counted_per_reviewer_before_the_users_are_read(ctx):
    """From the stored counts of waiting reviews, grouped by reviewer id, and only then joined
    to the users (SQLite's plan; the counts themselves on both databases)."""
    call = make_call()
    late = make_user(Role.REVIEWER, name="Late Larry")
    for days in (-2, -9, 3):
        make_review(proposal_in(call), late, due_in_days=days)
    ran: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        ran.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        rows = late_reviews.reviews_by_reviewer(utcnow().date())
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert [(row.name, row.overdue, row.week) for row in rows] == [("Late Larry", 2, 1)]
    if db.engine.dialect.name == "sqlite":
        statement, parameters = ran[-1]
        connection = db.session.connection().connection.driver_connection
        plan = [r[-1] for r in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
        assert plan[0].startswith("MATERIALIZE")  # counted first, per reviewer id
        # the counts kept at write time (fund/reviews/waiting.py), not the assignments
        assert any("waiting_review_counts" in step for step in plan), plan
        assert not any(" reviews" in step for step in plan), plan


def test_the_state_counts_link_to_their_filtered_lists(app, client):
    call = make_call(title="Two stages", two_stage=True)
    proposal_in(call, "concept_submitted")
    proposal_in(call, "invited")
    proposal_in(call, "submitted")
    proposal_in(call, "concept_draft")
    login(client, make_user(Role.ADMIN))
    html = client.get("/dashboard").text
    with app.test_request_context("/"):
        waiting = url_for("concepts.index", call_id=call.id, show="waiting")
        invited = url_for("concepts.index", call_id=call.id, show="invited")
        submitted = url_for("screening.proposals", call_id=call.id, state="submitted")
    assert f'<th scope="row">concept note submitted</th><td><a href="{waiting}">1</a></td>' in html
    assert f'<a href="{invited}">1</a>' in html
    assert f'<a href="{submitted}">1</a>' in html
    assert '<th scope="row">concept note in draft</th><td>1</td>' in html


def test_a_late_review_row_shows_each_column_in_its_place(app, client):
    """The rows are unpacked in the order of the statement's columns: each cell must still show
    its own column, the button's label its reviewer and reference, escaped, in the reader's
    language."""
    call = make_call()
    reviewer = make_user(Role.REVIEWER, name="Ann <O'Neil> & Co")
    proposal = proposal_in(call)
    proposal.title = "Water & <schools>"
    reminded = utcnow() - timedelta(days=1)
    review = make_review(
        proposal, reviewer, due_in_days=-2, no_conflict_at=utcnow(), reminded_at=reminded
    )
    login(client, make_user(Role.ADMIN, locale="fr"))
    html = client.get("/admin/overview/reviews?when=overdue").text
    row = html[html.index(f'<tr id="review-{review.id}">') :]
    row = row[: row.index("</tr>")]
    with app.test_request_context("/"), force_locale("fr"):
        name, title = escape(reviewer.name), escape(proposal.title)
        label = escape(
            gettext(
                "Remind now: %(name)s, %(reference)s",
                name=reviewer.name,
                reference=proposal.reference,
            )
        )
        due = format_day(review.due_on)
        when = format_datetime(reminded, "medium")
        in_progress = gettext("In progress")
    assert f'reviewer={reviewer.id}">{name}</a></td>' in row
    assert f"{proposal.reference}</a>: {title}</td>" in row
    assert f"<td>{due} " in row
    assert f"<td>{in_progress}</td>" in row
    assert f"<td>{when}</td>" in row
    assert f'aria-label="{label}"' in row and "Relancer" in label


def test_a_reviewer_row_shows_each_column_in_its_place(client):
    """The reviewers' rows are unpacked in the order of the statement's columns: the name, the
    reviews overdue and those due this week must each stay in their own cell."""
    call = make_call()
    reviewer = make_user(Role.REVIEWER, name="Bo <Late> & Co")
    for days in (-2, -5, -9, 3):
        make_review(proposal_in(call), reviewer, due_in_days=days)
    login(client, make_user(Role.ADMIN))
    html = client.get("/dashboard").text
    reviews = html[html.index('id="overview-reviews"') :]
    late = f"/admin/overview/reviews?when=overdue&amp;reviewer={reviewer.id}"
    week = f"/admin/overview/reviews?when=week&amp;reviewer={reviewer.id}"
    assert (
        f'<tr><th scope="row">Bo &lt;Late&gt; &amp; Co</th>'
        f'<td><a href="{late}">3</a></td><td><a href="{week}">1</a></td></tr>'
    ) in re.sub(r">\s+<", "><", reviews)
