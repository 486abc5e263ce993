"""The report page (the grantee's form and the submitted report) and the grant page's report
history run as many queries with thirty report questions as with four."""

from __future__ import annotations

from fund.calls import form_builder
from fund.extensions import db
from fund.models import Call, User
from tests.conftest import count_queries, login
from tests.grants.conftest import complete_form
from tests.grants.report_questions import grant_with_report_questions


def add_questions(call_id: int, admin_id: int, count: int) -> None:
    call, admin = db.session.get(Call, call_id), db.session.get(User, admin_id)
    section = call.report_form["sections"][0]["id"]
    for n in range(count):
        form_builder.add_question(
            call, admin, section, "number", f"Indicator {n}", [], kind="report"
        )
    db.session.commit()


def queries_for(client, url: str) -> int:
    client.get(url)  # the first request after signing in also records the session
    db.session.expunge_all()  # nothing the test loaded may save the page a query
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_the_grantees_report_form_does_not_grow_with_the_questions(client):
    asked = grant_with_report_questions()
    url, call_id, admin_id = asked.url, asked.call.id, asked.world.admin.id
    login(client, asked.world.member)
    few = queries_for(client, url)
    add_questions(call_id, admin_id, 26)
    assert queries_for(client, url) == few
    assert "Indicator 25" in client.get(url).get_data(as_text=True)


def test_the_submitted_report_and_the_report_history_do_not_grow_with_the_questions(client):
    counts, pages = [], []
    for extra in (0, 26):
        asked = grant_with_report_questions()
        add_questions(asked.call.id, asked.world.admin.id, extra)
        url, grant_url = asked.url, f"/grants/{asked.world.grant.id}"
        login(client, asked.world.member)
        assert client.post(url, data=complete_form(**{asked.schools: "3"})).status_code == 302
        login(client, asked.world.admin)
        counts.append((queries_for(client, url), queries_for(client, grant_url)))
        pages.append(client.get(grant_url).get_data(as_text=True))
    assert "Indicator 25" in pages[1]
    assert counts[0] == counts[1]
