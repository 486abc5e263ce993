"""Who may open what: another organisation's grant, reports and files are 404; the
secretariat's pages are 403 for others; anonymous visitors are sent to log in."""

from __future__ import annotations

import csv
import io
from io import BytesIO

import pytest

from fund.extensions import db
from fund.models import Role
from tests.conftest import login, make_user
from tests.grants.conftest import build_grant

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(ctx, client):
    world = build_grant()
    login(client, world.member)
    client.post(
        f"/reports/{world.interim.id}",
        data={"action": "save", "attachment": (BytesIO(PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    with client.session_transaction() as session:
        session.clear()
    db.session.expire_all()
    return world


def urls(world) -> dict[str, str]:
    report = world.interim
    attachment = report.attachments[0]
    return {
        "grant": f"/grants/{world.grant.id}",
        "agreement": f"/grants/{world.grant.id}/agreement",
        "report": f"/reports/{report.id}",
        "file": f"/reports/{report.id}/files/{attachment.id}",
        "grants-list": "/grants/",
        "grants-csv": "/grants/export.csv",
        "grants-xlsx": "/grants/export.xlsx",
        "inbox": "/reports/",
        "terms": f"/grants/calls/{world.grant.proposal.call_id}/agreement",
    }


EXPECTED = {  # who -> page -> status
    "member": {
        "grant": 200,
        "agreement": 200,
        "report": 200,
        "file": 200,
        "grants-list": 200,
        "grants-csv": 403,
        "grants-xlsx": 403,
        "inbox": 403,
        "terms": 403,
    },
    "outsider": {
        "grant": 404,
        "agreement": 404,
        "report": 404,
        "file": 404,
        "grants-list": 200,
        "grants-csv": 403,
        "grants-xlsx": 403,
        "inbox": 403,
        "terms": 403,
    },
    "reviewer": {
        "grant": 404,
        "agreement": 404,
        "report": 404,
        "file": 404,
        "grants-list": 403,
        "grants-csv": 403,
        "grants-xlsx": 403,
        "inbox": 403,
        "terms": 403,
    },
    "chair": {  # chairs review reports, so they read the grant they belong to
        "grant": 200,
        "agreement": 200,
        "report": 200,
        "file": 200,
        "grants-list": 403,
        "grants-csv": 403,
        "grants-xlsx": 403,
        "inbox": 200,
        "terms": 403,
    },
    "admin": {
        "grant": 200,
        "agreement": 200,
        "report": 200,
        "file": 200,
        "grants-list": 200,
        "grants-csv": 200,
        "grants-xlsx": 200,
        "inbox": 200,
        "terms": 200,
    },
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_gets_what_it_may_see_and_nothing_else(client, world, who):
    user = {
        "member": world.member,
        "outsider": world.outsider,
        "admin": world.admin,
        "reviewer": make_user(Role.REVIEWER),
        "chair": make_user(Role.CHAIR),
    }[who]
    login(client, user)
    for page, url in urls(world).items():
        response = client.get(url)
        response.close()
        assert response.status_code == EXPECTED[who][page], (who, page)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["outsider", "reviewer"])
def test_others_cannot_write_to_a_grant_or_report(client, world, who):
    user = world.outsider if who == "outsider" else make_user(Role.REVIEWER)
    login(client, user)
    report, grant = world.interim, world.grant
    assert (
        client.post(f"/reports/{report.id}", data={"narrative": "x", "action": "save"}).status_code
        == 404
    )
    assert client.post(f"/grants/{grant.id}/agreement", data={}).status_code == 404
    assert (
        client.post(
            f"/grants/{grant.id}/state", data={"action": "suspend", "reason": "x"}
        ).status_code
        == 403
    )
    attachment = report.attachments[0]
    assert client.post(f"/reports/{report.id}/files/{attachment.id}/remove").status_code == 404
    db.session.expire_all()
    assert world.interim.narrative == "" and len(world.interim.attachments) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/grants/999999",
        "/reports/999999",
        "/grants/0/agreement",
        "/grants/?page=0",
        "/grants/?call=abc",
        "/grants/?state=nope",
        "/reports/?call=zzz",
        "/grants/export.xlsx?state=nope",
        "/grants/export.xlsx?call=abc",
        "/grants/export.pdf",
        "/grants/export.XLSX",
    ],
)
def test_unknown_ids_and_bad_filters_are_4xx(client, world, url):
    login(client, world.admin)
    assert client.get(url).status_code in (400, 404)


def test_the_grants_csv_hides_small_counts(client, world):
    from fund.models import ProgressReport, ReportReach

    report = db.session.get(ProgressReport, world.interim.id)
    report.state = "accepted"
    report.reach = [
        ReportReach(sex="female", age_band="0_4", count=3),
        ReportReach(sex="male", age_band="0_4", count=12),
        ReportReach(sex="other_or_not_recorded", age_band="0_4", count=0),
    ]
    world.grant.reference = "=HYPERLINK(1)"
    db.session.commit()
    login(client, world.admin)
    response = client.get("/grants/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["reference", "organisation"]
    assert rows[1][-3:] == ["<5", "12", "0"]
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_a_chair_with_a_conflict_sees_neither_the_grant_nor_its_reports(client, world):
    """A declared conflict with the organisation hides its grant and reports from a chair."""
    from fund.extensions import db
    from fund.models import Conflict

    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(
            user_id=chair.id,
            organisation_id=world.grant.organisation_id,
            reason="Board member.",
            declared_by_id=chair.id,
        )
    )
    db.session.commit()
    login(client, chair)
    for page in ("grant", "agreement", "report", "file"):
        assert client.get(urls(world)[page]).status_code == 404, page


def test_a_conflicted_chair_does_not_see_the_organisation_in_the_reports_inbox(client, world):
    """Neither the rows nor the counts of the inbox include an organisation a chair is
    conflicted with (a count alone could tell which reports are late)."""
    from fund.extensions import db
    from fund.models import Conflict

    chair = make_user(Role.CHAIR)
    login(client, chair)
    before = client.get(urls(world)["inbox"]).text
    db.session.add(
        Conflict(
            user_id=chair.id,
            organisation_id=world.grant.organisation_id,
            reason="Board member.",
            declared_by_id=chair.id,
        )
    )
    db.session.commit()
    after = client.get(urls(world)["inbox"]).text
    reference = world.grant.reference
    assert reference in before
    assert reference not in after
