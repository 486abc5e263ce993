"""The grant agreement: terms from the call's template, acceptance by the grantee, cancellation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Grant
from tests.conftest import login, outbox
from tests.grants.conftest import TODAY, build_grant

ACCEPT = {"full_name": "Grace Namubiru", "confirm": "y"}


def test_the_agreement_shows_the_calls_terms_with_the_grants_figures(client):
    """Placeholders are filled in; anything unknown in braces stays as written."""
    world = build_grant("pending_agreement")
    world.grant.proposal.call.agreement_template = (
        "{organisation} receives {amount} {currency} from {start_on}.\n{payment_schedule}\n"
        "{reporting_schedule} {unknown.__class__}"
    )
    db.session.commit()
    login(client, world.member)
    page = client.get(f"/grants/{world.grant.id}/agreement").get_data(as_text=True)
    assert "Safe Homes receives 10,000.00 USD from " + world.grant.start_on.isoformat() in page
    assert "Tranche 1: 80% ($8,000.00) on signature of the agreement" in page
    assert "Interim report for" in page and "{unknown.__class__}" in page
    assert "Accept agreement" in page


def test_accepting_records_who_when_and_from_where_and_activates_the_grant(client):
    world = build_grant("pending_agreement")
    login(client, world.member)
    response = client.post(
        f"/grants/{world.grant.id}/agreement",
        data=ACCEPT,
        headers={"User-Agent": "TestBrowser/1.0"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/grants/{world.grant.id}")
    grant = db.session.get(Grant, world.grant.id)
    assert grant.state == "active"
    assert (grant.accepted_name, grant.accepted_by_id) == ("Grace Namubiru", world.member.id)
    assert grant.accepted_ip == "127.0.0.1" and grant.accepted_user_agent == "TestBrowser/1.0"
    assert grant.accepted_at is not None and "Safe Homes" in grant.agreement_text
    assert grant.tranches[0].due_on == TODAY  # the signature tranche falls due
    assert [m.recipient for m in outbox("grant_agreement_accepted")] == [world.admin.email]
    assert (
        db.session.scalar(select(AuditEvent.action).where(AuditEvent.subject_type == "grant"))
        == "accept_agreement"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"full_name": "", "confirm": "y"},
        {"full_name": "Grace"},
        {"full_name": "   ", "confirm": "y"},
        {"full_name": "x" * 201, "confirm": "y"},
        {"full_name": "Gr\x00ace", "confirm": "y"},
    ],
    ids=["no-name", "no-tick", "blank-name", "too-long", "control-character"],
)
def test_acceptance_needs_a_typed_name_and_the_tick(client, data):
    world = build_grant("pending_agreement")
    login(client, world.member)
    response = client.post(f"/grants/{world.grant.id}/agreement", data=data)
    assert response.status_code == 400
    assert db.session.get(Grant, world.grant.id).state == "pending_agreement"
    assert outbox() == []


def test_an_accepted_agreement_cannot_be_accepted_again(client):
    world = build_grant("active")
    login(client, world.member)
    assert client.post(f"/grants/{world.grant.id}/agreement", data=ACCEPT).status_code == 409


@pytest.mark.parametrize("who,status", [("outsider", 404), ("admin", 403)])
def test_only_the_grantees_members_accept_the_agreement(client, who, status):
    world = build_grant("pending_agreement")
    login(client, getattr(world, who))
    assert client.post(f"/grants/{world.grant.id}/agreement", data=ACCEPT).status_code == status
    assert db.session.get(Grant, world.grant.id).state == "pending_agreement"


def test_an_admin_cancels_a_grant_pending_agreement_with_a_reason(client):
    world = build_grant("pending_agreement")
    login(client, world.admin)
    url = f"/grants/{world.grant.id}/state"
    assert client.post(url, data={"action": "cancel", "reason": ""}).status_code == 400
    assert db.session.get(Grant, world.grant.id).state == "pending_agreement"
    reason = "The project was withdrawn."
    response = client.post(url, data={"action": "cancel", "reason": reason, "confirmed": "1"})
    assert response.status_code == 302
    assert db.session.get(Grant, world.grant.id).state == "cancelled"
    messages = outbox("grant_cancelled")
    assert [m.recipient for m in messages] == [world.member.email]
    assert "The project was withdrawn." in messages[0].body_text


def test_a_grantee_cannot_cancel_and_an_active_grant_cannot_be_cancelled(client):
    world = build_grant("pending_agreement")
    login(client, world.member)
    assert (
        client.post(
            f"/grants/{world.grant.id}/state", data={"action": "cancel", "reason": "No."}
        ).status_code
        == 403
    )
    active = build_grant("active")
    login(client, active.admin)
    assert (
        client.post(
            f"/grants/{active.grant.id}/state", data={"action": "cancel", "reason": "No."}
        ).status_code
        == 409
    )


def test_an_admin_edits_the_calls_agreement_terms(client):
    world = build_grant("pending_agreement")
    login(client, world.admin)
    call_id = world.grant.proposal.call_id
    assert "{payment_schedule}" in client.get(f"/grants/calls/{call_id}/agreement").text
    response = client.post(
        f"/grants/calls/{call_id}/agreement", data={"template": "Terms for {organisation}."}
    )
    assert response.status_code == 302
    login(client, world.member)
    assert "Terms for Safe Homes." in client.get(f"/grants/{world.grant.id}/agreement").text
