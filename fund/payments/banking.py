"""Checks of bank identifiers: an IBAN's ISO 13616 checksum and a SWIFT/BIC's ISO 9362 shape."""

from __future__ import annotations

import re

from fund.countries import is_country

IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
LOOKS_LIKE_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}")
ACCOUNT_SHAPE = re.compile(r"^[A-Z0-9-]{4,34}$")
BIC_SHAPE = re.compile(r"^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}([A-Z0-9]{3})?$")


def compact(value: str) -> str:
    """An identifier as written on paper ("gb82 west 1234…") without spaces, in capitals."""
    return re.sub(r"\s+", "", value or "").upper()


def looks_like_iban(value: str) -> bool:
    """Two letters then two digits: read as an IBAN, and its checksum must hold."""
    return bool(LOOKS_LIKE_IBAN.match(compact(value)))


def iban_is_valid(value: str) -> bool:
    """The IBAN's shape, country and mod-97 checksum (ISO 13616) hold."""
    iban = compact(value)
    if not IBAN_SHAPE.match(iban) or not is_country(iban[:2]):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)  # A=10 … Z=35
    return int(digits) % 97 == 1


def account_number_is_valid(value: str) -> bool:
    """A local account number: 4 to 34 letters, digits or hyphens."""
    return bool(ACCOUNT_SHAPE.match(compact(value)))


def bic_is_valid(value: str) -> bool:
    """8 or 11 characters: bank (4 letters), country (ISO 3166), location (2), branch (3)."""
    match = BIC_SHAPE.match(compact(value))
    return bool(match) and is_country(match.group(1))
