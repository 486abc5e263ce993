"""An organisation's bank details (encrypted at rest) and the payments of grant tranches, each
recorded by one person and approved by another."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.encryption import EncryptedText
from fund.extensions import db
from fund.models.base import StrEnum, enum_check, enum_column, timestamp, utcnow
from fund.models.call import MONEY


class BankDetailsState(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"


class BankDetails(db.Model):
    """Where an organisation's grant money goes. Every value but the country is encrypted (the
    database file and its backups hold only ciphertext); any change waits for the secretariat's
    approval before a payment can be recorded against it."""

    __tablename__ = "bank_details"
    __table_args__ = (enum_check("state", BankDetailsState),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = enum_column(
        BankDetailsState, default=BankDetailsState.AWAITING_APPROVAL.value, index=True
    )
    account_holder: Mapped[str] = mapped_column(EncryptedText())
    bank_name: Mapped[str] = mapped_column(EncryptedText())
    account_number: Mapped[str] = mapped_column(EncryptedText())  # an IBAN or a local number
    swift_bic: Mapped[str | None] = mapped_column(EncryptedText())
    bank_country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    changed_at: Mapped[datetime] = timestamp(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = timestamp()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation = relationship("Organisation")
    changed_by = relationship("User", foreign_keys=[changed_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])

    @property
    def account_last4(self) -> str:
        """The last four characters of the account number: all that pages and mail show."""
        return self.account_number.replace(" ", "")[-4:]

    @property
    def masked_account(self) -> str:
        return "•••• " + self.account_last4


class PaymentState(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"


class Payment(db.Model):
    """A payment of one tranche. Recording it creates it awaiting approval; only approval, by
    someone other than the recorder, marks the tranche paid (Tranche.paid_on and paid_amount are
    written then and only then, so everything that counts money paid counts approved payments)."""

    __tablename__ = "payments"
    __table_args__ = (
        enum_check("state", PaymentState),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "decided_by_id IS NULL OR decided_by_id <> recorded_by_id",
            name="decider_not_recorder",
        ),
        # At most one payment of a tranche is waiting or approved; rejected ones are history.
        Index(
            "uq_payments_live_tranche",
            "tranche_id",
            unique=True,
            sqlite_where=text("state <> 'rejected'"),
            postgresql_where=text("state <> 'rejected'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tranche_id: Mapped[int] = mapped_column(ForeignKey("tranches.id", ondelete="CASCADE"))
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = enum_column(
        PaymentState, default=PaymentState.AWAITING_APPROVAL.value, index=True
    )
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date, index=True)
    reference: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = timestamp(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the second person, who approved or rejected it
    decided_at: Mapped[datetime | None] = timestamp()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Where the money went: the organisation's approved bank details as they were when the
    # payment was approved (encrypted like them). The bank file shows these, not the details
    # the organisation has since changed to.
    paid_to_holder: Mapped[str | None] = mapped_column(EncryptedText())
    paid_to_bank: Mapped[str | None] = mapped_column(EncryptedText())
    paid_to_account: Mapped[str | None] = mapped_column(EncryptedText())
    paid_to_bic: Mapped[str | None] = mapped_column(EncryptedText())
    paid_to_country: Mapped[str | None] = mapped_column(String(2))

    tranche = relationship("Tranche")
    grant = relationship("Grant")
    organisation = relationship("Organisation")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
