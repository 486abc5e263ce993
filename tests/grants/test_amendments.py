"""Grant amendments through the pages: an extension moves the end date, the reports not yet
sent and the payments waiting for them; a small budget reallocation is approved at once and a
large one waits; a new payment schedule leaves paid tranches alone; a closed grant is not
amended; every approved change keeps the grant's values before and after."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.models import AuditEvent, GrantAmendment, Membership, ReportState
from tests.conftest import login, make_user, outbox
from tests.grants.conftest import TODAY, build_grant


@pytest.fixture
def world(ctx):
    return build_grant()


def _latest() -> GrantAmendment:
    db.session.expire_all()
    return db.session.scalars(db.select(GrantAmendment).order_by(GrantAmendment.id.desc())).first()


def _request_extension(client, world, new_end, reason="Rains delayed the clubs."):
    return client.post(
        f"/grants/{world.grant.id}/amendments/new/extension",
        data={"new_end": new_end.isoformat(), "reason": reason},
    )


def _decide(client, amendment, action, comment=""):
    return client.post(
        f"/grants/amendments/{amendment.id}/decision", data={"action": action, "comment": comment}
    )


def test_an_approved_extension_moves_the_end_date_and_the_reports_not_yet_sent(client, world):
    grant = world.grant
    world.interim.state = ReportState.SUBMITTED  # sent: its date stays
    world.grant.tranches[1].due_on = world.final.due_on  # paid when the final report is in
    db.session.commit()
    old_end, final_due, interim_due = grant.end_on, world.final.due_on, world.interim.due_on
    login(client, world.member)
    response = _request_extension(client, world, old_end + timedelta(days=90))
    assert response.status_code == 302
    amendment = _latest()
    assert amendment.state == "requested" and grant.end_on == old_end  # nothing changes yet
    assert outbox("grant_amendment_requested", world.admin.email)

    login(client, world.admin)
    assert _decide(client, amendment, "approve").status_code == 302
    db.session.expire_all()
    assert grant.end_on == old_end + timedelta(days=90)
    assert world.final.due_on == final_due + timedelta(days=90)
    assert world.final.period_end == grant.end_on
    assert world.interim.due_on == interim_due
    assert grant.tranches[1].due_on == final_due + timedelta(days=90)
    amendment = _latest()
    assert amendment.state == "approved" and amendment.decided_by_id == world.admin.id
    assert amendment.before["end_on"] == old_end.isoformat()
    assert amendment.after["end_on"] == grant.end_on.isoformat()
    mail = outbox("grant_amendment_approved", world.member.email)
    assert len(mail) == 1 and grant.end_on.isoformat() in mail[0].body_text
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"request_amendment", "approve", "amend"} <= actions
    page = client.get(f"/grants/{grant.id}").get_data(as_text=True)
    assert (final_due + timedelta(days=90)).isoformat() in page and "No-cost extension" in page


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "must be after the current one"), (-5, "must be after"), (365 * 3 + 5, "three years")],
)
def test_an_extension_must_end_later_and_not_absurdly_far(client, world, days, message):
    login(client, world.member)
    response = _request_extension(client, world, world.grant.end_on + timedelta(days=days))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _latest() is None


def test_a_closed_grant_is_not_amended(client, world):
    world.grant.state = "closed"
    db.session.commit()
    login(client, world.member)
    assert client.get(f"/grants/{world.grant.id}/amendments/new/extension").status_code == 409
    response = _request_extension(client, world, world.grant.end_on + timedelta(days=30))
    assert response.status_code == 409
    assert "cannot be amended" in response.get_data(as_text=True)


def test_approving_after_the_grant_closed_is_refused_with_409(client, world):
    login(client, world.member)
    _request_extension(client, world, world.grant.end_on + timedelta(days=30))
    world.grant.state = "closed"
    db.session.commit()
    login(client, world.admin)
    end = world.grant.end_on
    assert _decide(client, _latest(), "approve").status_code == 409
    assert _latest().state == "requested" and world.grant.end_on == end


def _reallocate(client, world, personnel, activities):
    lines = world.grant.proposal.budget_lines
    return client.post(
        f"/grants/{world.grant.id}/amendments/new/reallocation",
        data={
            f"line_{lines[0].id}": personnel,
            f"line_{lines[1].id}": activities,
            "reason": "Workshops cost more.",
        },
    )


def test_a_reallocation_within_the_calls_threshold_is_approved_on_request(client, world):
    login(client, world.member)  # 10% of 10,000 may move: 1,000 here
    assert _reallocate(client, world, "5000", "5000").status_code == 302
    amendment = _latest()
    assert amendment.state == "approved" and amendment.decided_by_id is None
    lines = world.grant.proposal.budget_lines
    assert [line.amount for line in lines] == [Decimal("5000"), Decimal("5000")]
    assert outbox("grant_amendment_approved", world.member.email)


def test_the_secretariat_sets_the_calls_threshold_and_it_decides(client, world):
    call = world.grant.proposal.call
    login(client, world.admin)
    response = client.post(
        f"/grants/calls/{call.id}/amendments", data={"reallocation_threshold_percent": "0"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert call.reallocation_threshold_percent == 0
    assert (
        db.session.scalar(
            db.select(AuditEvent.comment).where(AuditEvent.action == "edit_amendment_settings")
        )
        == "reallocation_threshold_percent: 10 -> 0"
    )
    login(client, world.member)
    _reallocate(client, world, "5900", "4100")  # 1% of the grant: still above 0%
    assert _latest().state == "requested"


def test_a_reallocation_over_the_threshold_waits_for_the_secretariat(client, world):
    login(client, world.member)
    assert _reallocate(client, world, "4000", "6000").status_code == 302
    assert _latest().state == "requested"
    assert [line.amount for line in world.grant.proposal.budget_lines] == [
        Decimal("6000"),
        Decimal("4000"),
    ]
    login(client, world.admin)
    _decide(client, _latest(), "approve")
    assert [line.amount for line in world.grant.proposal.budget_lines] == [
        Decimal("4000"),
        Decimal("6000"),
    ]


@pytest.mark.parametrize(
    ("personnel", "activities", "message"),
    [
        ("5000", "4000", "must add up to the same total"),
        ("6000", "4000", "Change the amount of at least one line"),
        ("abc", "4000", "Give an amount in figures"),
        ("-1", "10001", "Give an amount of 0 or more"),
        ("", "4000", "Give an amount, 0 or more"),
    ],
)
def test_a_reallocation_keeps_the_total_and_says_what_is_wrong(
    client, world, personnel, activities, message
):
    login(client, world.member)
    response = _reallocate(client, world, personnel, activities)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _latest() is None


def _reschedule(client, world, percent, due=""):
    tranche = world.grant.tranches[1]
    return client.post(
        f"/grants/{world.grant.id}/amendments/new/tranches",
        data={f"percent_{tranche.id}": percent, f"due_{tranche.id}": due, "reason": "Later."},
    )


def test_a_new_payment_schedule_changes_only_unpaid_tranches(client, world):
    due = TODAY + timedelta(days=40)
    login(client, world.member)
    assert _reschedule(client, world, "20", due.isoformat()).status_code == 302
    login(client, world.admin)
    _decide(client, _latest(), "approve")
    db.session.expire_all()
    paid, unpaid = world.grant.tranches
    assert (paid.percent, paid.amount) == (80, Decimal("8000"))
    assert (unpaid.percent, unpaid.amount, unpaid.due_on) == (20, Decimal("2000"), due)


def test_percentages_must_still_add_up_to_100(client, world):
    login(client, world.member)
    response = _reschedule(client, world, "30")
    assert response.status_code == 400
    assert "must add up to 100; they add up to 110" in response.get_data(as_text=True)


@pytest.mark.parametrize("days", [-200, 365 * 5])  # before the grant starts; long after it ends
def test_a_tranche_date_must_fall_in_or_near_the_funded_period(client, world, days):
    login(client, world.member)
    response = _reschedule(client, world, "20", (TODAY + timedelta(days=days)).isoformat())
    assert response.status_code == 400
    assert "Give due dates between" in response.get_data(as_text=True)
    assert _latest() is None


def test_a_tranche_paid_since_the_request_stops_its_approval(client, world):
    login(client, world.member)
    _reschedule(client, world, "20", (TODAY + timedelta(days=40)).isoformat())
    world.grant.tranches[1].paid_on = TODAY
    db.session.commit()
    login(client, world.admin)
    response = _decide(client, _latest(), "approve")
    assert response.status_code == 409
    assert "paid already cannot change" in response.get_data(as_text=True)
    assert _latest().state == "requested"


def test_a_decline_needs_a_reason_and_tells_the_grantee(client, world):
    login(client, world.member)
    _request_extension(client, world, world.grant.end_on + timedelta(days=30))
    login(client, world.admin)
    response = _decide(client, _latest(), "decline", "  ")
    assert response.status_code == 400 and "Give a reason" in response.get_data(as_text=True)
    assert _decide(client, _latest(), "decline", "The project is on time.").status_code == 302
    amendment = _latest()
    assert amendment.state == "declined"
    mail = outbox("grant_amendment_declined", world.member.email)
    assert len(mail) == 1 and "The project is on time." in mail[0].body_text


def test_only_the_requester_withdraws(client, world):
    login(client, world.member)
    _request_extension(client, world, world.grant.end_on + timedelta(days=30))
    login(client, world.admin)
    response = _decide(client, _latest(), "withdraw")
    assert response.status_code == 400
    assert "Only the person who requested" in response.get_data(as_text=True)
    login(client, world.member)
    assert _decide(client, _latest(), "withdraw").status_code == 302
    assert _latest().state == "withdrawn"
    assert _decide(client, _latest(), "approve").status_code == 409  # it has moved on


def test_each_member_reads_the_approval_in_their_own_language(client, world):
    french = make_user(locale="fr")
    db.session.add(Membership(user_id=french.id, organisation_id=world.grant.organisation_id))
    db.session.commit()
    login(client, world.member)
    _reallocate(client, world, "5000", "5000")
    english = outbox("grant_amendment_approved", world.member.email)[0].body_text
    in_french = outbox("grant_amendment_approved", french.email)[0].body_text
    # amounts written the French way for the French reader: "5 000,00 $US"
    assert "$5,000.00" in english and "$US" not in english
    assert "000,00" in in_french and "$US" in in_french and "5,000.00" not in in_french
