"""Bank details are unreadable in the database; rotating the key re-encrypts every value, and
values written under the old key still decrypt while the rotation runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from fund import encryption
from fund.cli import fund_cli
from fund.extensions import db
from fund.models import BankDetails, Role
from fund.payments import banking
from fund.payments.rotation import rotate_all
from tests.conftest import make_bank_details, make_organisation, make_user

IBAN = "GB82WEST12345698765432"


def raw_row(details_id: int):
    return db.session.execute(
        text(
            "SELECT account_holder, bank_name, account_number, swift_bic, bank_country "
            "FROM bank_details WHERE id = :id"
        ),
        {"id": details_id},
    ).one()


def fresh(details_id: int) -> BankDetails:
    db.session.expire_all()
    return db.session.get(BankDetails, details_id)


@pytest.fixture
def keys(app, monkeypatch):
    """Two real keys, old and new; the app starts with the old one alone."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEY", old)
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", "")
    return old, new


def test_the_raw_columns_hold_no_plaintext(ctx):
    organisation = make_organisation(make_user(Role.APPLICANT), name="Safe Homes Kampala")
    details = make_bank_details(organisation, account=IBAN)
    row = raw_row(details.id)
    stored = " ".join(value for value in row[:4])
    for secret in (IBAN, "98765432", "Safe Homes Kampala", "Westminster Bank", "NWBKGB2L"):
        assert secret not in stored
    assert all(value.startswith("gAAAAA") for value in row[:4])  # Fernet tokens
    assert fresh(details.id).account_number == IBAN


def test_the_stored_rows_hold_no_plaintext_anywhere(ctx):
    """Not only the encrypted columns: the SQLite database file, or on PostgreSQL each whole
    row as text, is free of the account number."""
    organisation = make_organisation(make_user(Role.APPLICANT))
    make_bank_details(organisation, account=IBAN)
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA wal_checkpoint(FULL)"))
        stored = Path(db.engine.url.database).read_bytes()
    else:
        rows = db.session.scalars(text("SELECT bank_details::text FROM bank_details")).all()
        stored = " ".join(rows).encode()
        assert rows
    assert IBAN.encode() not in stored and b"98765432" not in stored


def test_rotation_re_encrypts_and_old_ciphertext_reads_during_it(ctx, app, keys, monkeypatch):
    old, new = keys
    organisation = make_organisation(make_user(Role.APPLICANT))
    details = make_bank_details(organisation, account=IBAN)
    before = raw_row(details.id)
    # Step 2 of the README: the new key first, the old one kept for reading.
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", f"{new},{old}")
    assert fresh(details.id).account_number == IBAN  # old ciphertext still decrypts
    assert rotate_all() == 4
    db.session.commit()
    after = raw_row(details.id)
    assert all(a != b for a, b in zip(after[:4], before[:4], strict=True))
    assert Fernet(new.encode()).decrypt(after[2].encode()).decode() == IBAN
    # Step 4: the new key alone reads everything.
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", "")
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEY", new)
    assert fresh(details.id).account_number == IBAN


def test_the_old_key_alone_cannot_read_after_rotation(ctx, app, keys, monkeypatch):
    old, new = keys
    details = make_bank_details(make_organisation(make_user(Role.APPLICANT)), account=IBAN)
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", f"{new},{old}")
    rotate_all()
    db.session.commit()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", "")
    with pytest.raises(encryption.EncryptionKeyError):
        fresh(details.id).account_number  # noqa: B018


def test_the_cli_command_rotates_and_says_how_many(ctx, app, keys, monkeypatch):
    old, new = keys
    make_bank_details(make_organisation(make_user(Role.APPLICANT)), account=IBAN)
    db.session.remove()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", f"{new},{old}")
    result = app.test_cli_runner().invoke(fund_cli, ["rotate-encryption-key"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 4 values" in result.output


def test_the_cli_command_refuses_a_key_that_reads_nothing(ctx, app, keys, monkeypatch):
    make_bank_details(make_organisation(make_user(Role.APPLICANT)), account=IBAN)
    db.session.remove()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    result = app.test_cli_runner().invoke(fund_cli, ["rotate-encryption-key"])
    assert result.exit_code != 0 and "no configured key" in result.output


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("GB82 WEST 1234 5698 7654 32", True),
        ("gb82west12345698765432", True),
        ("DE89 3704 0044 0532 0130 00", True),
        ("GB82 WEST 1234 5698 7654 33", False),
        ("ZZ82 WEST 1234 5698 7654 32", False),
    ],
)
def test_iban_checksums(value, valid):
    assert banking.iban_is_valid(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("DEUTDEFF", True), ("DEUTDEFF500", True), ("deutdeff", True), ("DEUTZZFF", False)],
)
def test_bic_formats(value, valid):
    assert banking.bic_is_valid(value) is valid


def test_rotation_re_encrypts_the_account_each_payment_was_paid_to(ctx, app, keys, monkeypatch):
    """The account kept on an approved payment (payments.paid_to_*) is encrypted like the bank
    details and rotated with them: after rotation the new key alone reads it."""
    from fund.models import Payment
    from fund.models.base import utcnow
    from fund.payments import services
    from tests.payments.conftest import payable_world, record, second_admin

    old, new = keys
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", old)
    payment = record(payable_world())
    services.approve_payment(payment, second_admin(), utcnow())
    db.session.commit()
    raw = db.session.execute(
        text("SELECT paid_to_account FROM payments WHERE id = :id"), {"id": payment.id}
    ).scalar_one()
    assert "GB82" not in raw and Fernet(old.encode()).decrypt(raw.encode()).decode().startswith(
        "GB82"
    )
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", f"{new},{old}")
    assert rotate_all() >= 4 + 3  # the bank details, and the payment's holder, bank, account
    db.session.commit()
    monkeypatch.setitem(app.config, "DATA_ENCRYPTION_KEYS", new)
    db.session.expire_all()
    assert db.session.get(Payment, payment.id).paid_to_account.startswith("GB82")
