"""Bank details: members enter them (IBAN checksum and BIC format checked), everyone sees them
masked, a change e-mails every member and waits for the secretariat's approval, and no payment
can be recorded against details that wait."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import BankDetails, Membership, Role
from tests.conftest import login, make_organisation, make_user, outbox
from tests.payments.conftest import payable_world

GOOD = {
    "account_holder": "Safe Homes Association",
    "bank_name": "Stanbic Bank Uganda",
    "account_number": "GB82 WEST 1234 5698 7654 32",
    "swift_bic": "SBICUGKX",
    "bank_country": "UG",
}


@pytest.fixture
def organisation(ctx):
    """An organisation of two members, without bank details."""
    first, second = make_user(Role.APPLICANT), make_user(Role.APPLICANT, locale="fr")
    organisation = make_organisation(first, second, name="Safe Homes")
    return organisation


def url(organisation) -> str:
    return f"/organisations/{organisation.id}/bank-details"


def details_of(organisation) -> BankDetails | None:
    return db.session.scalar(
        select(BankDetails).where(BankDetails.organisation_id == organisation.id)
    )


def member(organisation, n: int = 0):
    return (
        db.session.scalars(select(Membership).where(Membership.organisation_id == organisation.id))
        .all()[n]
        .user
    )


def test_a_member_enters_bank_details_and_every_member_is_told(client, organisation):
    login(client, member(organisation))
    response = client.post(url(organisation), data=GOOD)
    assert response.status_code == 302
    details = details_of(organisation)
    assert details.state == "awaiting_approval"
    assert details.account_number == "GB82WEST12345698765432"
    assert details.swift_bic == "SBICUGKX"
    mails = outbox("bank_details_changed")
    assert sorted(m.recipient for m in mails) == sorted(
        member(organisation, n).email for n in (0, 1)
    )
    assert all("5432" in m.body_text and "12345698" not in m.body_text for m in mails)


def test_the_page_shows_the_account_masked(client, organisation):
    login(client, member(organisation))
    client.post(url(organisation), data=GOOD)
    page = client.get(url(organisation)).text
    assert "•••• 5432" in page
    assert "12345698" not in page and "GB82WEST" not in page
    assert "awaiting approval by the secretariat" in page


def test_a_change_of_approved_details_waits_for_approval_again(client, organisation):
    login(client, member(organisation))
    client.post(url(organisation), data=GOOD)
    admin = make_user(Role.ADMIN)
    login(client, admin)
    details = details_of(organisation)
    assert client.post(f"/payments/bank-details/{details.id}/approve").status_code == 302
    assert details_of(organisation).state == "approved"
    login(client, member(organisation, 1))
    changed = {**GOOD, "account_number": "DE89 3704 0044 0532 0130 00", "bank_country": "DE"}
    assert client.post(url(organisation), data=changed).status_code == 302
    details = details_of(organisation)
    assert (details.state, details.approved_by_id) == ("awaiting_approval", None)
    assert len(outbox("bank_details_changed")) == 4  # two members, twice


def test_saving_the_same_details_again_changes_nothing(client, organisation):
    login(client, member(organisation))
    client.post(url(organisation), data=GOOD)
    client.post(url(organisation), data=GOOD)
    assert len(outbox("bank_details_changed")) == 2


def test_a_payment_cannot_be_recorded_while_the_details_wait(client):
    world = payable_world()
    login(client, world.member)
    changed = {**GOOD, "account_number": "DE89370400440532013000", "bank_country": "DE"}
    client.post(f"/organisations/{world.grant.organisation_id}/bank-details", data=changed)
    login(client, world.admin)
    tranche = world.grant.tranches[1]
    form = {"paid_on": "2020-01-01", "amount": "2000", "payment_reference": "TX-2"}
    response = client.post(
        f"/grants/{world.grant.id}/tranches/{tranche.id}/payment",
        data={**{f"tranche{tranche.id}-{k}": v for k, v in form.items()}, "confirmed": "1"},
    )
    assert response.status_code == 409
    assert "wait for approval" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("account_number", "GB82 WEST 1234 5698 7654 33", "checksum"),
        ("account_number", "GB00", "checksum"),
        ("account_number", "12", "4 to 34"),
        ("account_number", "", "This field is required"),
        ("swift_bic", "SBIC", "8 or 11"),
        ("swift_bic", "SBICZZKX", "8 or 11"),  # ZZ is no country
        ("swift_bic", "SBIC-UGKX", "8 or 11"),
        ("bank_country", "XX", "Not a valid choice"),
        ("account_holder", "", "This field is required"),
    ],
)
def test_bad_bank_details_are_refused_with_a_message_next_to_the_field(
    client, organisation, field, value, message
):
    login(client, member(organisation))
    response = client.post(url(organisation), data={**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.text
    assert 'class="error-summary"' in response.text
    assert details_of(organisation) is None and outbox() == []


def test_an_admin_sees_the_details_masked_but_cannot_edit_them(client, organisation):
    login(client, member(organisation))
    client.post(url(organisation), data=GOOD)
    login(client, make_user(Role.ADMIN))
    page = client.get(url(organisation))
    assert page.status_code == 200 and "•••• 5432" in page.text
    assert 'name="account_number"' not in page.text
    assert client.post(url(organisation), data=GOOD).status_code == 403


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.CHAIR, Role.REVIEWER])
def test_outsiders_do_not_see_the_details(client, organisation, role):
    login(client, make_user(role))
    assert client.get(url(organisation)).status_code == 404
    assert client.post(url(organisation), data=GOOD).status_code == 404
    assert details_of(organisation) is None


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.CHAIR])
def test_only_admins_approve_bank_details(client, organisation, role):
    login(client, member(organisation))
    client.post(url(organisation), data=GOOD)
    user = member(organisation) if role is Role.APPLICANT else make_user(role)
    login(client, user)
    response = client.post(f"/payments/bank-details/{details_of(organisation).id}/approve")
    assert response.status_code == 403
    assert details_of(organisation).state == "awaiting_approval"


def test_anonymous_visitors_are_sent_to_log_in(client, organisation):
    for response in (
        client.get(url(organisation)),
        client.post(url(organisation), data=GOOD),
        client.post("/payments/bank-details/1/approve"),
    ):
        assert response.status_code == 302 and "/login" in response.location


def test_approving_twice_is_refused_with_409(client, organisation):
    login(client, member(organisation))
    client.post(url(organisation), data=GOOD)
    login(client, make_user(Role.ADMIN))
    approve = f"/payments/bank-details/{details_of(organisation).id}/approve"
    assert client.post(approve).status_code == 302
    response = client.post(approve)
    assert response.status_code == 409
