"""Bulk "Send report reminders" on the grants list: who may, what bad input gets, which grants
are reminded (the next report due, once a day, active grants only) and constant query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fund import clock
from fund.bulk import selection
from fund.extensions import db
from fund.models import AuditEvent, BulkRun, ProgressReport, Role, User
from tests.conftest import count_queries, login, make_user, outbox
from tests.grants.conftest import TODAY, build_grant


def confirm_url(*grants, action="remind_reports"):
    return f"/bulk/grants?action={action}" + "".join(f"&grant={g.id}" for g in grants)


def send(client, *grants):
    return client.post(
        "/bulk/grants", data={"action": "remind_reports", "grant": [g.id for g in grants]}
    )


def reminders_to(world) -> list[str]:
    return [m.event for m in outbox(recipient=world.member.email)]


def result_page(client, response) -> str:
    assert response.status_code == 302
    return client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.CHAIR, 403), (Role.REVIEWER, 403), (Role.APPLICANT, 403)],
)
def test_only_the_secretariat_may_send_report_reminders_in_bulk(client, ctx, role, status):
    world = build_grant()
    login(client, make_user(role))
    assert client.get(confirm_url(world.grant)).status_code == status
    assert send(client, world.grant).status_code == (302 if status == 200 else status)
    assert reminders_to(world) == (["report_due_soon"] if status == 200 else [])


def test_anonymous_visitors_are_sent_to_log_in(client, ctx):
    world = build_grant()
    assert "/login" in client.get(confirm_url(world.grant)).headers["Location"]
    assert "/login" in send(client, world.grant).headers["Location"]
    assert reminders_to(world) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("action=remind_reports", "Tick at least one grant"),
        ("action=delete&grant={id}", "Choose one of the actions offered on the list."),
        ("action=screen_out&grant={id}", "Choose one of the actions offered on the list."),
        ("action=remind_reports&grant=abc", "The choice of grants is not valid."),
        (f"action=remind_reports&grant={2**31}", "The choice of grants is not valid."),
        ("action=remind_reports&grant=99999", "Some of the chosen grants no longer exist."),
        ("action=remind_reports&all=1&state=closed", "No grant matches these filters."),
        ("action=remind_reports&all=1&state=nonsense", "filters are not valid. Reload the list."),
    ],
)
def test_bad_choices_get_a_clear_400(client, ctx, query, message):
    world = build_grant()
    login(client, world.admin)
    response = client.get("/bulk/grants?" + query.format(id=world.grant.id))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    post = client.post(
        "/bulk/grants", data=dict(p.split("=") for p in query.format(id=world.grant.id).split("&"))
    )
    assert post.status_code == 400
    assert reminders_to(world) == []


def test_more_grants_than_the_cap_are_refused_with_a_message(client, ctx, monkeypatch):
    first, second = build_grant(), build_grant()
    monkeypatch.setattr(selection, "MAX_ROWS", 1)
    login(client, first.admin)
    for url in (confirm_url(first.grant, second.grant), "/bulk/grants?action=remind_reports&all=1"):
        response = client.get(url)
        assert response.status_code == 400
        assert "At most 1 grants can be handled at once." in response.get_data(as_text=True)


def test_each_grant_s_next_due_report_is_reminded_with_an_audit_row(client, ctx):
    due, overdue, later = (
        build_grant(),
        build_grant(interim_due=TODAY - timedelta(days=20)),
        build_grant(interim_due=TODAY + timedelta(days=60)),
    )
    login(client, due.admin)
    page = client.get(confirm_url(due.grant, overdue.grant, later.grant)).get_data(as_text=True)
    assert "No report is due yet: the next one is due on" in page
    page = result_page(client, send(client, due.grant, overdue.grant, later.grant))
    assert "2 done, 1 refused." in page
    assert reminders_to(due) == ["report_due_soon"]
    assert reminders_to(overdue) == ["report_overdue"]
    assert reminders_to(later) == []
    message = outbox(recipient=overdue.member.email)[0]
    assert f"/reports/{overdue.interim.id}" in message.body_text
    audited = db.session.scalars(
        select(AuditEvent.subject_id).where(AuditEvent.action == "report_reminded")
    ).all()
    assert sorted(audited) == sorted([due.interim.id, overdue.interim.id])


def test_a_report_is_reminded_at_most_once_a_day(client, ctx, monkeypatch):
    world = build_grant()
    login(client, world.admin)
    assert "1 done, 0 refused." in result_page(client, send(client, world.grant))
    page = client.get(confirm_url(world.grant)).get_data(as_text=True)
    assert "already reminded about this report today" in page
    page = result_page(client, send(client, world.grant))
    assert "0 done, 1 refused." in page
    assert "already reminded about this report today" in page
    assert reminders_to(world) == ["report_due_soon"]
    tomorrow = clock.now() + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    assert "1 done, 0 refused." in result_page(client, send(client, world.grant))
    assert reminders_to(world) == ["report_due_soon", "report_due_soon"]


@pytest.mark.parametrize("state", ["suspended", "closed", "pending_agreement"])
def test_a_grant_that_is_not_active_is_refused(client, ctx, state):
    world = build_grant(state)
    login(client, world.admin)
    page = result_page(client, send(client, world.grant))
    assert "Only active grants are reminded about their reports." in page
    assert reminders_to(world) == []


def test_a_grant_whose_reports_are_all_in_owes_nothing(client, ctx):
    world = build_grant()
    for report in (world.interim, world.final):
        db.session.get(ProgressReport, report.id).state = "submitted"
    db.session.commit()
    login(client, world.admin)
    assert "The grantee owes no report now." in result_page(client, send(client, world.grant))


def test_all_grants_matching_the_filters_are_chosen_again_on_confirming(client, ctx):
    first, second = build_grant(), build_grant()
    build_grant("closed")
    login(client, first.admin)
    url = "/bulk/grants?action=remind_reports&all=1&state=active"
    page = client.get(url).get_data(as_text=True)
    assert "2 grants chosen." in page
    response = client.post(
        "/bulk/grants", data={"action": "remind_reports", "all": "1", "state": "active"}
    )
    assert "2 done, 0 refused." in result_page(client, response)
    assert reminders_to(first) == reminders_to(second) == ["report_due_soon"]


def test_the_grants_list_offers_the_action_to_the_secretariat(client, ctx):
    world = build_grant()
    login(client, world.admin)
    page = client.get("/grants/").get_data(as_text=True)
    assert 'name="grant"' in page and "Send report reminders" in page


def test_the_confirmation_and_result_pages_make_the_same_queries_for_more_grants(client, ctx):
    admin = make_user(Role.ADMIN)
    login(client, admin)

    def confirm_and_run(n):
        grants = [build_grant().grant for _ in range(n)]
        with count_queries() as confirmation:
            assert client.get(confirm_url(*grants)).status_code == 200
        response = send(client, *grants)
        with count_queries() as result:
            assert client.get(response.headers["Location"]).status_code == 200
        return len(confirmation), len(result)

    assert confirm_and_run(2) == confirm_and_run(6)
    assert len(db.session.scalars(select(BulkRun)).all()) == 2


def test_the_demo_s_secretariat_can_remind_its_active_grants(client, runner, ctx):
    assert runner.invoke(args=["fund", "seed-demo"]).exit_code == 0
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    login(client, admin)
    assert "Send report reminders" in client.get("/grants/").get_data(as_text=True)
    response = client.post(
        "/bulk/grants", data={"action": "remind_reports", "all": "1", "state": "active"}
    )
    done = int(re.search(r"(\d+) done, \d+ refused\.", result_page(client, response))[1])
    reminded = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_reminded")
    ).all()
    assert done >= 1 and len(reminded) == done
