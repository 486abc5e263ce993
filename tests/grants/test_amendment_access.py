"""Who may open and use the amendment pages: the grantee's members and the secretariat ask;
the secretariat decides and lists what waits; chairs read; another organisation and reviewers
find nothing; anonymous visitors are sent to log in. Bad input is a 4xx with a message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.grants import amendments
from fund.models import AuditEvent, GrantAmendment, Role
from fund.models.base import utcnow
from tests.conftest import count_queries, login, make_user
from tests.grants.conftest import build_grant


@pytest.fixture
def world(ctx):
    world = build_grant()
    world.amendment = amendments.request_amendment(
        world.grant,
        world.member,
        "extension",
        {"end_on": (world.grant.end_on + timedelta(days=30)).isoformat()},
        "Rains.",
        utcnow(),
    )
    db.session.commit()
    return world


def _user(world, who):
    return {
        "member": lambda: world.member,
        "outsider": lambda: world.outsider,
        "reviewer": lambda: make_user(Role.REVIEWER),
        "chair": lambda: make_user(Role.CHAIR),
        "admin": lambda: world.admin,
    }[who]()


EXPECTED = {  # who -> page -> status
    "member": {"new": 200, "detail": 200, "pending": 403, "export": 403, "settings": 403},
    "outsider": {"new": 404, "detail": 404, "pending": 403, "export": 403, "settings": 403},
    "reviewer": {"new": 404, "detail": 404, "pending": 403, "export": 403, "settings": 403},
    "chair": {"new": 403, "detail": 200, "pending": 403, "export": 403, "settings": 403},
    "admin": {"new": 200, "detail": 200, "pending": 200, "export": 200, "settings": 200},
}
APPROVE = {"member": 403, "outsider": 404, "reviewer": 404, "chair": 403, "admin": 302}


def _urls(world) -> dict[str, str]:
    grant = world.grant.id
    return {
        "new-extension": f"/grants/{grant}/amendments/new/extension",
        "new-reallocation": f"/grants/{grant}/amendments/new/reallocation",
        "new-tranches": f"/grants/{grant}/amendments/new/tranches",
        "detail": f"/grants/amendments/{world.amendment.id}",
        "pending": "/grants/amendments/",
        "export-csv": "/grants/amendments/export.csv",
        "export-xlsx": "/grants/amendments/export.xlsx",
        "settings": f"/grants/calls/{world.grant.proposal.call_id}/amendments",
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_gets_the_amendment_pages_it_may_use(client, world, who):
    login(client, _user(world, who))
    for page, url in _urls(world).items():
        response = client.get(url)
        assert response.status_code == EXPECTED[who][page.split("-")[0]], (who, page)
    response = client.post(
        f"/grants/amendments/{world.amendment.id}/decision", data={"action": "approve"}
    )
    assert response.status_code == APPROVE[who], who
    db.session.expire_all()
    approved = db.session.get(GrantAmendment, world.amendment.id).state == "approved"
    assert approved is (who == "admin")


@pytest.mark.parametrize("who", ["outsider", "reviewer", "chair"])
def test_nobody_else_can_ask_for_an_amendment(client, world, who):
    login(client, _user(world, who))
    response = client.post(
        f"/grants/{world.grant.id}/amendments/new/extension",
        data={"new_end": (world.grant.end_on + timedelta(days=9)).isoformat(), "reason": "x"},
    )
    assert response.status_code in (403, 404)
    assert db.session.scalar(db.select(db.func.count()).select_from(GrantAmendment)) == 1


def test_the_secretariat_can_ask_for_an_amendment_too(client, world):
    login(client, world.admin)
    response = client.post(
        f"/grants/{world.grant.id}/amendments/new/extension",
        data={"new_end": (world.grant.end_on + timedelta(days=9)).isoformat(), "reason": "x"},
    )
    assert response.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(GrantAmendment)) == 2


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in _urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    response = client.post(
        f"/grants/amendments/{world.amendment.id}/decision", data={"action": "approve"}
    )
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("url", "data", "status", "message"),
    [
        ("new/extension", {"new_end": "31/12/2027", "reason": "x"}, 400, "Not a valid date"),
        ("new/extension", {"new_end": "9999-12-31", "reason": "x"}, 400, "Give a date between"),
        ("new/extension", {"new_end": "", "reason": "x"}, 400, "year-month-day"),
        ("new/extension", {"new_end": "2030-01-01", "reason": ""}, 400, "Say why"),
        ("new/tranches", {"reason": "x"}, 400, "Give a whole number from 1 to 100"),
        ("new/somethingelse", {"reason": "x"}, 404, "Page not found"),
    ],
)
def test_bad_requests_get_a_message_and_a_4xx(client, world, url, data, status, message):
    login(client, world.member)
    response = client.post(f"/grants/{world.grant.id}/amendments/{url}", data=data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "explode"}, "There is no such action"),
        ({}, "Check the form"),
        ({"action": "decline", "comment": "x" * 2001}, "Check the form"),
    ],
)
def test_bad_decisions_get_a_message_and_400(client, world, data, message):
    login(client, world.admin)
    response = client.post(f"/grants/amendments/{world.amendment.id}/decision", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [("101", "from 0 to 100"), ("-1", "from 0 to 100"), ("ten", "Give a whole number"), ("", "")],
)
def test_a_bad_threshold_is_refused_with_a_message_and_nothing_changes(
    client, world, value, message
):
    login(client, world.admin)
    call = world.grant.proposal.call
    response = client.post(
        f"/grants/calls/{call.id}/amendments", data={"reallocation_threshold_percent": value}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True) and "error-summary" in response.text
    db.session.expire_all()
    assert call.reallocation_threshold_percent == 10


@pytest.mark.parametrize("who", ["member", "chair", "reviewer"])
def test_only_the_secretariat_changes_the_threshold(client, world, who):
    login(client, _user(world, who))
    call = world.grant.proposal.call
    response = client.post(
        f"/grants/calls/{call.id}/amendments", data={"reallocation_threshold_percent": "50"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert call.reallocation_threshold_percent == 10


def test_the_download_holds_the_amendments_waiting_and_is_audited(client, world):
    login(client, world.admin)
    response = client.get("/grants/amendments/export.csv")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].lstrip("\ufeff").startswith('"grant","organisation"') and len(lines) == 2
    assert "Safe Homes" in lines[1] and "extension" in lines[1]
    assert db.session.scalar(db.select(AuditEvent.comment).where(AuditEvent.action == "export"))


@pytest.mark.parametrize("page", ["0", "-3", "abc", "99999999999999999999", "2"])
def test_any_page_number_shows_a_page(client, world, page):
    login(client, world.admin)
    response = client.get(f"/grants/amendments/?page={page}")
    assert response.status_code == 200 and "No-cost extension" in response.text


def test_a_missing_amendment_or_call_is_404(client, world):
    login(client, world.admin)
    assert client.get("/grants/calls/999999/amendments").status_code == 404
    assert client.get("/grants/amendments/999999").status_code == 404
    assert client.get("/grants/amendments/99999999999999999999").status_code == 404


def test_the_pending_list_runs_the_same_queries_for_one_request_or_many(client, world):
    login(client, world.admin)
    client.get("/grants/amendments/")  # warm up the session's caches

    def queries() -> int:
        with count_queries() as statements:
            response = client.get("/grants/amendments/")
        assert response.status_code == 200
        return len(statements)

    one = queries()
    for _n in range(4):
        other = build_grant()
        amendments.request_amendment(
            other.grant,
            other.member,
            "extension",
            {"end_on": (other.grant.end_on + timedelta(days=5)).isoformat()},
            "Later.",
            utcnow(),
        )
        db.session.commit()
    many = queries()
    page = client.get("/grants/amendments/").get_data(as_text=True)
    assert page.count("No-cost extension") == 5
    assert many == one
