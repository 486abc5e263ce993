"""The secretariat's follow-up: accepting or sending back reports, the tranche an accepted
report releases, payments, suspension and closing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Grant, Payment, ProgressReport, ReportState, Role, Tranche
from tests.conftest import login, make_user, outbox
from tests.grants.conftest import TODAY, approve_waiting_payment, build_grant, complete_form


def state(model, obj_id):
    return db.session.get(model, obj_id).state


def submit(client, world, report=None):
    login(client, world.member)
    report = report or world.interim
    spent = {"spent_1": "6000", "spent_2": "4000"} if report.kind == "final" else {}
    assert client.post(f"/reports/{report.id}", data=complete_form(**spent)).status_code == 302


def test_request_changes_needs_comments_and_the_grantee_can_resubmit(client):
    world = build_grant()
    submit(client, world)
    login(client, world.admin)
    url = f"/reports/{world.interim.id}/review"
    assert client.post(url, data={"action": "request_changes", "comment": ""}).status_code == 400
    assert state(ProgressReport, world.interim.id) == ReportState.SUBMITTED
    response = client.post(
        url, data={"action": "request_changes", "comment": "Split the workshop costs."}
    )
    assert response.status_code == 302
    assert state(ProgressReport, world.interim.id) == ReportState.CHANGES_REQUESTED
    messages = outbox("report_changes_requested")
    assert [m.recipient for m in messages] == [world.member.email]
    assert "Split the workshop costs." in messages[0].body_text
    login(client, world.member)
    assert "Split the workshop costs." in client.get(f"/reports/{world.interim.id}").text
    submit(client, world)
    assert state(ProgressReport, world.interim.id) == ReportState.SUBMITTED


def test_accepting_the_report_makes_the_tranche_that_waits_for_it_due(client):
    world = build_grant()
    submit(client, world, world.final)
    tranche = db.session.get(Tranche, world.grant.tranches[1].id)
    assert tranche.due_on is None
    login(client, world.admin)
    response = client.post(
        f"/reports/{world.final.id}/review", data={"action": "accept", "comment": "Thank you."}
    )
    assert response.status_code == 302
    assert state(ProgressReport, world.final.id) == ReportState.ACCEPTED
    assert db.session.get(Tranche, tranche.id).due_on == TODAY
    assert [m.recipient for m in outbox("report_accepted")] == [world.member.email]


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_grantees_cannot_review_reports(client, who):
    world = build_grant()
    submit(client, world)
    login(client, getattr(world, who))
    response = client.post(f"/reports/{world.interim.id}/review", data={"action": "accept"})
    assert response.status_code == 403
    assert state(ProgressReport, world.interim.id) == ReportState.SUBMITTED


def test_a_chair_may_accept_a_report(client):
    world = build_grant()
    submit(client, world)
    login(client, make_user(Role.CHAIR))
    assert (
        client.post(f"/reports/{world.interim.id}/review", data={"action": "accept"}).status_code
        == 302
    )
    assert state(ProgressReport, world.interim.id) == ReportState.ACCEPTED


def test_a_report_not_submitted_cannot_be_accepted(client):
    world = build_grant()
    login(client, world.admin)
    assert (
        client.post(f"/reports/{world.interim.id}/review", data={"action": "accept"}).status_code
        == 409
    )


def pay(client, world, tranche_position=2, *, confirmed=True, **data):
    """ "Record payment" of a tranche, as sent from its confirmation step (or, with
    confirmed=False, the first POST that asks for it)."""
    tranche = world.grant.tranches[tranche_position - 1]
    form = {"paid_on": TODAY.isoformat(), "amount": "2000", "payment_reference": "TX-2", **data}
    form = {f"tranche{tranche.id}-{name}": value for name, value in form.items()}
    if confirmed:
        form["confirmed"] = "1"
    return client.post(f"/grants/{world.grant.id}/tranches/{tranche.id}/payment", data=form)


def accept_final(client, world):
    submit(client, world, world.final)
    login(client, world.admin)
    client.post(f"/reports/{world.final.id}/review", data={"action": "accept"})


def test_recording_a_payment_leaves_it_awaiting_approval_and_the_tranche_unpaid(client):
    world = build_grant()
    accept_final(client, world)
    response = pay(client, world, amount="1999.50")
    assert response.status_code == 302
    tranche = db.session.get(Tranche, world.grant.tranches[1].id)
    assert (tranche.paid_on, tranche.paid_amount) == (None, None)
    payment = db.session.scalar(select(Payment))
    assert (payment.state, payment.amount, payment.paid_on, payment.reference) == (
        "awaiting_approval",
        Decimal("1999.50"),
        TODAY,
        "TX-2",
    )
    assert payment.recorded_by_id == world.admin.id
    assert outbox("grant_payment_recorded") == []  # the grantee hears once it is approved
    assert db.session.scalar(
        select(AuditEvent.comment).where(AuditEvent.action == "record_payment")
    ).startswith("Tranche 2: $1,999.50")
    assert pay(client, world).status_code == 409  # never twice


def test_an_approved_payment_marks_the_tranche_paid_and_tells_the_grantee(client):
    world = build_grant()
    accept_final(client, world)
    pay(client, world, amount="1999.50")
    approve_waiting_payment(client, world)
    tranche = db.session.get(Tranche, world.grant.tranches[1].id)
    assert (tranche.paid_on, tranche.paid_amount, tranche.payment_reference) == (
        TODAY,
        Decimal("1999.50"),
        "TX-2",
    )
    assert [m.recipient for m in outbox("grant_payment_recorded")] == [world.member.email]
    login(client, world.admin)
    assert pay(client, world).status_code == 409  # never twice


@pytest.mark.parametrize(
    "data,status",
    [
        ({"amount": "2000.01"}, 400),
        ({"amount": "0"}, 400),
        ({"amount": "-1"}, 400),
        ({"amount": "abc"}, 400),
        ({"amount": "NaN"}, 400),
        ({"paid_on": "yesterday"}, 400),
        ({"paid_on": "2999-01-01"}, 400),
        ({"payment_reference": ""}, 400),
    ],
    ids=["above-tranche", "zero", "negative", "text", "nan", "bad-date", "future", "no-ref"],
)
def test_a_bad_payment_is_refused_and_nothing_recorded(client, data, status):
    world = build_grant()
    accept_final(client, world)
    assert pay(client, world, **data).status_code == status
    assert db.session.get(Tranche, world.grant.tranches[1].id).paid_on is None
    assert outbox("grant_payment_recorded") == []


def test_a_tranche_waiting_for_its_report_cannot_be_paid(client):
    world = build_grant()
    login(client, world.admin)
    assert pay(client, world).status_code == 409


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_admins_record_payments(client, who):
    world = build_grant()
    accept_final(client, world)
    login(client, getattr(world, who))
    assert pay(client, world).status_code == (403 if who == "member" else 404)
    assert db.session.get(Tranche, world.grant.tranches[1].id).paid_on is None


def test_a_suspended_grant_receives_no_payment_until_reinstated(client):
    world = build_grant()
    accept_final(client, world)
    url = f"/grants/{world.grant.id}/state"
    assert client.post(url, data={"action": "suspend", "reason": ""}).status_code == 400
    assert client.post(url, data={"action": "suspend", "reason": "Audit."}).status_code == 302
    assert state(Grant, world.grant.id) == "suspended"
    assert pay(client, world).status_code == 409
    assert (
        client.post(url, data={"action": "reinstate", "reason": "Audit done."}).status_code == 302
    )
    assert state(Grant, world.grant.id) == "active"
    assert pay(client, world).status_code == 302
    approve_waiting_payment(client, world)
    assert [m.event for m in outbox() if m.event.startswith("grant_")] == [
        "grant_suspended",
        "grant_reinstated",
        "grant_payment_recorded",
    ]


def test_a_grant_closes_only_with_the_final_report_accepted_and_every_tranche_paid(client):
    world = build_grant()
    login(client, world.admin)
    close = {"action": "complete", "reason": "", "confirmed": "1"}
    url = f"/grants/{world.grant.id}/state"
    response = client.post(url, data=close)
    assert response.status_code == 400 and "final report" in response.text
    accept_final(client, world)
    response = client.post(url, data=close)
    assert response.status_code == 400 and "not paid yet" in response.text
    assert state(Grant, world.grant.id) == "active"
    pay(client, world)
    assert "not paid yet" in client.post(url, data=close).text  # recorded, not yet approved
    approve_waiting_payment(client, world)
    assert client.post(url, data=close).status_code == 302
    assert state(Grant, world.grant.id) == "closed"
    assert [m.recipient for m in outbox("grant_closed")] == [world.member.email]


def test_the_grant_page_shows_tranches_reports_and_history(client):
    world = build_grant()
    accept_final(client, world)
    login(client, world.member)
    page = client.get(f"/grants/{world.grant.id}").get_data(as_text=True)
    assert "due for payment" in page and "paid" in page
    assert "due soon" in page  # the interim report, due in 10 days
    assert "accepted" in page and "Grace Member" in page  # the history
