"""The confidential safeguarding channel (issue 11): anyone signed in reports a concern (a
grantee from its grant page); only safeguarding leads read it, not admins, chairs or the
organisation; the reporter sees only that it was received; leads record actions and close it
with an outcome that stays out of the audit log; nothing of it goes out by e-mail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Role, SafeguardingConcern
from tests.conftest import (
    count_queries,
    login,
    make_grant,
    make_organisation,
    make_proposal,
    make_user,
    outbox,
)

SECRET = "The trainer kept children after dark at the Gulu centre."


def report(client, grant_id=None, **fields):
    data = {"about": "Gulu youth centre", "description": SECRET, **fields}
    url = "/safeguarding/report" + (f"?grant={grant_id}" if grant_id else "")
    return client.post(url, data=data)


@pytest.fixture
def concern(ctx):
    reporter = make_user(Role.REVIEWER, name="Rita Reporter")
    row = SafeguardingConcern(reporter_id=reporter.id, about="Gulu", description=SECRET)
    db.session.add(row)
    db.session.commit()
    return row


def test_anyone_signed_in_reports_and_sees_only_the_acknowledgement(client, ctx):
    reporter = make_user(Role.APPLICANT)
    lead = make_user(Role.SAFEGUARDING_LEAD, email="lead@example.org")
    login(client, reporter)
    assert 'href="/safeguarding/report"' in client.get("/dashboard").get_data(as_text=True)
    response = report(client)
    assert response.status_code == 302
    concern = db.session.scalar(select(SafeguardingConcern))
    assert response.headers["Location"] == f"/safeguarding/received/{concern.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"concern number {concern.id}" in page and SECRET not in page
    assert client.get(f"/safeguarding/{concern.id}").status_code == 403
    [thanks] = outbox(event="concern_received", recipient=reporter.email)
    [notice] = outbox(event="concern_reported", recipient=lead.email)
    for message in (thanks, notice):
        assert SECRET not in message.body_text and "Gulu" not in message.body_text


def test_only_the_reporter_sees_the_acknowledgement(client, concern):
    login(client, make_user(Role.SAFEGUARDING_LEAD))
    assert client.get(f"/safeguarding/received/{concern.id}").status_code == 404
    login(client, make_user(Role.ADMIN))
    assert client.get(f"/safeguarding/received/{concern.id}").status_code == 404


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR, Role.ADMIN])
def test_nobody_but_the_leads_reads_concerns(client, concern, role):
    login(client, make_user(role))
    for path in ("/safeguarding/", f"/safeguarding/{concern.id}"):
        assert client.get(path).status_code == 403
    for path in ("actions", "close", "reopen"):
        response = client.post(f"/safeguarding/{concern.id}/{path}", data={"close-outcome": "x"})
        assert response.status_code == 403
    assert SECRET not in client.get("/admin/audit").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in(client, concern):
    for path in (
        "/safeguarding/report",
        "/safeguarding/",
        f"/safeguarding/{concern.id}",
        f"/safeguarding/received/{concern.id}",
    ):
        assert client.get(path).headers["Location"].startswith("/account/login"), path
    assert report(client).headers["Location"].startswith("/account/login")


def test_a_lead_records_actions_and_closes_with_an_outcome(client, concern):
    lead = make_user(Role.SAFEGUARDING_LEAD)
    login(client, lead)
    listing = client.get("/safeguarding/").get_data(as_text=True)
    assert "Gulu" in listing
    page = client.get(f"/safeguarding/{concern.id}").get_data(as_text=True)
    assert SECRET in page and "Rita Reporter" in page
    response = client.post(
        f"/safeguarding/{concern.id}/actions", data={"action-note": "Called the partner."}
    )
    assert response.status_code == 302
    no_outcome = client.post(f"/safeguarding/{concern.id}/close", data={"close-outcome": ""})
    assert no_outcome.status_code == 400
    closed = client.post(
        f"/safeguarding/{concern.id}/close", data={"close-outcome": "Referred to police."}
    )
    assert closed.status_code == 302
    db.session.refresh(concern)
    assert (concern.state, concern.outcome) == ("closed", "Referred to police.")
    assert [a.note for a in concern.actions] == ["Called the partner."]
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.subject_type == "safeguarding_concern")
    )
    assert (event.action, event.actor_id, event.comment) == ("close", lead.id, "")
    again = client.post(f"/safeguarding/{concern.id}/close", data={"close-outcome": "Again"})
    assert again.status_code == 409
    assert client.post(f"/safeguarding/{concern.id}/reopen").status_code == 302
    db.session.refresh(concern)
    assert (concern.state, concern.closed_at) == ("open", None)


def test_a_grantee_reports_from_its_grant_page(client, ctx):
    member = make_user(Role.APPLICANT)
    organisation = make_organisation(member, name="Safe Childhoods")
    grant = make_grant(make_proposal(organisation, state="awarded"))
    grant.reference = "GR-2027-001"
    db.session.commit()
    login(client, member)
    page = client.get(f"/grants/{grant.id}").get_data(as_text=True)
    assert f'href="/safeguarding/report?grant={grant.id}"' in page
    form = client.get(f"/safeguarding/report?grant={grant.id}").get_data(as_text=True)
    assert "Safe Childhoods (GR-2027-001)" in form
    assert report(client, grant.id).status_code == 302
    assert db.session.scalar(select(SafeguardingConcern.grant_id)) == grant.id


def test_a_grant_one_cannot_see_is_a_404(client, ctx):
    other = make_grant(make_proposal(make_organisation(make_user()), state="awarded"))
    login(client, make_user(Role.APPLICANT))
    assert client.get(f"/safeguarding/report?grant={other.id}").status_code == 404
    assert client.get("/safeguarding/report?grant=abc").status_code == 404
    assert report(client, other.id).status_code == 404
    assert db.session.scalar(select(SafeguardingConcern)) is None


@pytest.mark.parametrize(
    "fields",
    [{"about": ""}, {"description": ""}, {"about": "x" * 301}, {"description": "a\x00b"}],
)
def test_bad_input_is_a_clear_400_and_nothing_is_recorded(client, ctx, fields):
    login(client, make_user())
    response = report(client, **fields)
    assert response.status_code == 400
    assert "error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(select(SafeguardingConcern)) is None


def test_the_leads_list_keeps_its_query_count(client, ctx):
    login(client, make_user(Role.SAFEGUARDING_LEAD))

    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/safeguarding/").status_code == 200
        return len(statements)

    reporter = make_user()
    db.session.add(SafeguardingConcern(reporter_id=reporter.id, about="a", description="b"))
    db.session.commit()
    few = queries()
    for n in range(10):
        db.session.add(SafeguardingConcern(reporter_id=reporter.id, about=f"a{n}", description="b"))
    db.session.commit()
    assert queries() == few
