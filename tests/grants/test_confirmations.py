"""Record payment, Cancel grant and Close grant ask for confirmation first: the first POST
changes nothing and says what will happen with the real figures; only the confirmed POST acts,
once. Suspend and reinstate, which undo each other, still act at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import AuditEvent, Grant, Payment, Tranche
from tests.conftest import login, outbox
from tests.grants.conftest import TODAY, approve_waiting_payment, build_grant
from tests.grants.test_review_and_payment import pay


@pytest.fixture
def payable(ctx):
    """A 10,000 USD grant to Safe Homes whose 8,000 USD first tranche is paid and whose second
    (2,000 USD, on the final report) can be paid now."""
    world = build_grant()
    world.final.state = "accepted"
    db.session.commit()
    return world


def paid_on(world) -> object:
    return db.session.get(Tranche, world.grant.tranches[1].id).paid_on


def grant_state(world) -> str:
    return db.session.scalar(select(Grant.state).where(Grant.id == world.grant.id))


def test_the_first_payment_post_changes_nothing_and_says_what_will_happen(client, payable):
    login(client, payable.admin)
    response = pay(client, payable, confirmed=False)
    assert response.status_code == 200
    assert "Record a payment of $2,000.00 to Safe Homes?" in response.text
    assert (
        f"Tranche 2 of grant {payable.grant.reference} is recorded as paid on "
        f"{TODAY.isoformat()}, reference TX-2" in response.text
    )
    assert "Safe Homes is told by e-mail once it is approved." in response.text
    assert "$0.00 of the grant&#39;s $10,000.00 will be left to pay." in response.text
    assert '<input type="hidden" name="confirmed" value="1">' in response.text
    assert f'href="/grants/{payable.grant.id}#tranches"' in response.text  # Cancel
    assert "Warning:" not in response.text
    assert paid_on(payable) is None and outbox() == []


def test_the_confirmed_payment_is_recorded_once(client, payable):
    login(client, payable.admin)
    assert pay(client, payable).status_code == 302
    assert pay(client, payable).status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1
    approve_waiting_payment(client, payable)
    assert paid_on(payable) == TODAY
    assert len(outbox("grant_payment_recorded")) == 1
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("record_payment") == 1


def test_paying_less_than_the_tranche_is_warned_about(client, payable):
    login(client, payable.admin)
    response = pay(client, payable, confirmed=False, amount="1500")
    assert response.status_code == 200
    assert "Warning:" in response.text
    assert "less than the tranche&#39;s $2,000.00" in response.text
    assert "difference of $500.00" in response.text
    assert paid_on(payable) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "2000.01"}, "at most the tranche"),
        ({"paid_on": "2999-01-01"}, None),
        ({"payment_reference": ""}, None),
        ({"amount": "abc"}, None),
    ],
)
def test_a_bad_payment_is_refused_at_the_first_step_too(client, payable, data, message):
    login(client, payable.admin)
    response = pay(client, payable, confirmed=False, **data)
    assert response.status_code == 400
    assert 'name="confirmed"' not in response.text
    assert message is None or message in response.text
    assert paid_on(payable) is None and outbox() == []


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 404)])
def test_only_admins_reach_the_payment_step(client, payable, who, status):
    login(client, getattr(payable, who))
    assert pay(client, payable, confirmed=False).status_code == status
    assert paid_on(payable) is None


def test_anonymous_visitors_reach_no_step(client, payable):
    for response in (
        pay(client, payable, confirmed=False),
        client.post(f"/grants/{payable.grant.id}/state", data={"action": "complete"}),
    ):
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_cancelling_a_grant_is_confirmed_first_then_done_once(client, ctx):
    world = build_grant("pending_agreement")
    login(client, world.admin)
    url = f"/grants/{world.grant.id}/state"
    data = {"action": "cancel", "reason": "The project was withdrawn."}
    first = client.post(url, data=data)
    assert first.status_code == 200
    assert f"Cancel grant {world.grant.reference} of Safe Homes?" in first.text
    assert "The grant is cancelled for good: no payment or report follows." in first.text
    assert "1 person of Safe Homes is told by e-mail." in first.text
    assert grant_state(world) == "pending_agreement" and outbox() == []
    assert client.post(url, data={**data, "confirmed": "1"}).status_code == 302
    assert client.post(url, data={**data, "confirmed": "1"}).status_code == 409
    assert grant_state(world) == "cancelled" and len(outbox("grant_cancelled")) == 1


def test_closing_a_grant_is_confirmed_first_with_what_was_paid(client, payable):
    login(client, payable.admin)
    assert pay(client, payable).status_code == 302
    approve_waiting_payment(client, payable)
    url = f"/grants/{payable.grant.id}/state"
    first = client.post(url, data={"action": "complete"})
    assert first.status_code == 200
    assert "The grant is closed for good, with $10,000.00 of its $10,000.00 paid." in (first.text)
    assert grant_state(payable) == "active"
    assert client.post(url, data={"action": "complete", "confirmed": "1"}).status_code == 302
    assert grant_state(payable) == "closed"


def test_a_grant_that_cannot_close_says_why_at_the_first_step(client, payable):
    login(client, payable.admin)
    response = client.post(f"/grants/{payable.grant.id}/state", data={"action": "complete"})
    assert response.status_code == 400 and "not paid yet" in response.text
    assert 'name="confirmed"' not in response.text


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_admins_reach_the_closing_step(client, payable, who):
    login(client, getattr(payable, who))
    response = client.post(f"/grants/{payable.grant.id}/state", data={"action": "complete"})
    assert response.status_code == 403
    assert grant_state(payable) == "active"


def test_suspending_still_acts_at_once(client, payable):
    login(client, payable.admin)
    url = f"/grants/{payable.grant.id}/state"
    assert client.post(url, data={"action": "suspend", "reason": "Audit."}).status_code == 302
    assert grant_state(payable) == "suspended"
