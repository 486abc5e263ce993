"""A payment is recorded by one person and approved by another: never the same one, whatever
the route; only approval marks the tranche paid; chairs approve only where the fund says so."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from fund.extensions import db
from fund.models import AuditEvent, Payment, Role, Tranche
from fund.models.base import utcnow
from fund.notifications import payment_approvers
from fund.payments import services
from fund.workflow import TransitionRefused
from tests.conftest import login, make_user, outbox
from tests.payments.conftest import payable_world, record, second_admin


def tranche_paid_on(world):
    return db.session.scalar(
        select(Tranche.paid_on).where(Tranche.id == world.grant.tranches[1].id)
    )


def payment_state(payment_id: int) -> str:
    return db.session.scalar(select(Payment.state).where(Payment.id == payment_id))


def test_the_person_who_recorded_a_payment_cannot_approve_it(client):
    world = payable_world()
    payment = record(world)
    login(client, world.admin)
    response = client.post(f"/payments/{payment.id}/approve")
    assert response.status_code == 400
    assert "another person must approve" in response.text
    assert payment_state(payment.id) == "awaiting_approval"
    assert tranche_paid_on(world) is None
    assert outbox("grant_payment_recorded") == []


def test_the_recorder_cannot_reject_it_either(client):
    world = payable_world()
    payment = record(world)
    login(client, world.admin)
    response = client.post(f"/payments/{payment.id}/reject", data={"reason": "Typo."})
    assert response.status_code == 400 and "another person" in response.text
    assert payment_state(payment.id) == "awaiting_approval"


def test_the_database_refuses_an_approval_by_the_recorder(ctx):
    """Even a write that skips the workflow cannot name the recorder as the approver."""
    world = payable_world()
    payment = record(world)
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Payment)
            .where(Payment.id == payment.id)
            .values(state="approved", decided_by_id=world.admin.id, decided_at=utcnow())
        )
        db.session.flush()
    db.session.rollback()


def test_a_second_admin_approves_and_the_tranche_is_paid_and_the_grantee_told(client):
    world = payable_world()
    payment = record(world)
    approver = second_admin()
    login(client, approver)
    response = client.post(f"/payments/{payment.id}/approve")
    assert response.status_code == 302 and response.location.endswith("/payments/")
    assert payment_state(payment.id) == "approved"
    assert tranche_paid_on(world) == payment.paid_on
    assert [m.recipient for m in outbox("grant_payment_recorded")] == [world.member.email]
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.subject_type == "payment", AuditEvent.action == "approve"
        )
    )
    assert (event.actor_id, event.from_state, event.to_state) == (
        approver.id,
        "awaiting_approval",
        "approved",
    )
    assert client.post(f"/payments/{payment.id}/approve").status_code == 409  # once


def test_a_rejected_payment_leaves_the_tranche_unpaid_and_recordable_again(client):
    world = payable_world()
    payment = record(world)
    login(client, second_admin())
    assert client.post(f"/payments/{payment.id}/reject", data={"reason": ""}).status_code == 400
    response = client.post(f"/payments/{payment.id}/reject", data={"reason": "Wrong amount."})
    assert response.status_code == 302
    assert payment_state(payment.id) == "rejected" and tranche_paid_on(world) is None
    assert outbox("grant_payment_recorded") == []
    again = record(world, reference="TX-3")
    assert again.state == "awaiting_approval"


def test_a_chair_cannot_approve_unless_the_fund_allows_it(client, app, monkeypatch):
    world = payable_world()
    payment = record(world)
    chair = make_user(Role.CHAIR)
    login(client, chair)
    assert client.get("/payments/").status_code == 403
    assert client.post(f"/payments/{payment.id}/approve").status_code == 403
    monkeypatch.setitem(app.config, "PAYMENT_APPROVER_ROLES", "admin,chair")
    assert client.get("/payments/").status_code == 200
    assert client.post(f"/payments/{payment.id}/approve").status_code == 302
    assert payment_state(payment.id) == "approved"


def test_a_chair_approver_who_recorded_nothing_still_cannot_record(client, app, monkeypatch):
    """Approving is not recording: a chair allowed to approve gets no Record payment form."""
    monkeypatch.setitem(app.config, "PAYMENT_APPROVER_ROLES", "admin,chair")
    world = payable_world()
    login(client, make_user(Role.CHAIR))
    tranche = world.grant.tranches[1]
    response = client.post(
        f"/grants/{world.grant.id}/tranches/{tranche.id}/payment",
        data={f"tranche{tranche.id}-amount": "2000"},
    )
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("who", ["member", "outsider", "reviewer"])
def test_others_cannot_approve_or_reject(client, who):
    world = payable_world()
    payment = record(world)
    user = make_user(Role.REVIEWER) if who == "reviewer" else getattr(world, who)
    login(client, user)
    assert client.post(f"/payments/{payment.id}/approve").status_code == 403
    assert client.post(f"/payments/{payment.id}/reject", data={"reason": "x"}).status_code == 403
    assert client.get("/payments/").status_code == 403
    assert payment_state(payment.id) == "awaiting_approval"


def test_anonymous_visitors_are_sent_to_log_in(client):
    world = payable_world()
    payment = record(world)
    for response in (
        client.get("/payments/"),
        client.post(f"/payments/{payment.id}/approve"),
        client.post(f"/payments/{payment.id}/reject", data={"reason": "x"}),
    ):
        assert response.status_code == 302 and "/login" in response.location
    assert payment_state(payment.id) == "awaiting_approval"


@pytest.mark.parametrize("payment_id", ["999999", "99999999999999999999"])
def test_a_missing_payment_is_404(client, payment_id):
    login(client, second_admin())
    assert client.post(f"/payments/{payment_id}/approve").status_code == 404


def test_a_payment_cannot_be_approved_while_the_bank_details_wait_for_approval(client):
    world = payable_world()
    payment = record(world)
    login(client, world.member)
    changed = {
        "account_holder": "Safe Homes",
        "bank_name": "Other Bank",
        "account_number": "DE89 3704 0044 0532 0130 00",
        "swift_bic": "",
        "bank_country": "DE",
    }
    assert (
        client.post(
            f"/organisations/{world.grant.organisation_id}/bank-details", data=changed
        ).status_code
        == 302
    )
    login(client, second_admin())
    response = client.post(f"/payments/{payment.id}/approve")
    assert response.status_code == 400 and "wait for approval" in response.text
    assert payment_state(payment.id) == "awaiting_approval"


def test_the_service_refuses_the_recorder_too(ctx):
    world = payable_world()
    payment = record(world)
    with pytest.raises(TransitionRefused):
        services.approve_payment(payment, world.admin, utcnow())
    db.session.rollback()


def test_the_overview_no_longer_counts_a_tranche_whose_payment_awaits_approval(ctx):
    """The secretariat's "tranches due for payment" leaves out one already recorded."""
    from fund.admin import overview

    world = payable_world()
    today = utcnow().date()
    assert overview.grants(today)["tranches_due"] == 1
    record(world)
    assert overview.grants(today)["tranches_due"] == 0
    assert tranche_paid_on(world) is None  # still unpaid until approved


def test_everyone_who_may_approve_is_told_a_payment_waits_but_not_its_recorder(
    app, ctx, monkeypatch
):
    """Each approver reads it in their own language, amount included; the recorder, an
    inactive admin and a chair (unless the fund lets chairs approve) are not written to."""
    world = payable_world()
    bea = second_admin()
    french = make_user(Role.ADMIN, locale="fr", name="Céline")
    make_user(Role.ADMIN, active=False)
    chair = make_user(Role.CHAIR)
    record(world)
    mails = outbox("payment_waiting")
    assert sorted(m.recipient for m in mails) == sorted([bea.email, french.email])
    english = next(m for m in mails if m.recipient == bea.email)
    assert world.grant.reference in english.subject and "waits for your approval" in english.subject
    assert "TX-2" in english.body_text and world.admin.name in english.body_text
    assert "/payments/" in english.body_text and "2,000.00" in english.subject
    in_french = next(m for m in mails if m.recipient == french.email)
    assert "TX-2" in in_french.body_text and "2\u202f000,00" in in_french.subject
    assert "attend votre approbation" in in_french.subject
    assert "recorded" not in in_french.body_text
    assert chair.id not in {u.id for u in payment_approvers(excluding_id=world.admin.id)}
    monkeypatch.setitem(app.config, "PAYMENT_APPROVER_ROLES", "admin,chair")
    assert chair.id in {u.id for u in payment_approvers(excluding_id=world.admin.id)}
    assert world.admin.id not in {u.id for u in payment_approvers(excluding_id=world.admin.id)}
