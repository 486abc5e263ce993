"""Numbers that come from outside (addresses, forms, query strings), bounded to what the columns
hold before any query or comparison sees them.

An id above 2^31-1 makes PostgreSQL refuse the query ("integer out of range"), one above 2^63-1
makes SQLite's driver raise, and `sNaN` makes any comparison raise: each would be a 500. Here
such input is simply not a number we know: the routes answer 404, the forms a field error.
"""

from __future__ import annotations

import re
from decimal import Decimal

from werkzeug.routing import IntegerConverter

ID_MAX = 2**31 - 1  # PostgreSQL's `integer`, the type of every id and count column
PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?|-?\.[0-9]+")
PLAIN_WHOLE = re.compile(r"-?[0-9]+")


def digits_up_to(limit: int) -> str:
    """A regular expression matching 1..`limit` written in digits without a leading zero."""
    text = str(limit)
    parts = [f"[1-9][0-9]{{0,{len(text) - 2}}}"] if len(text) > 1 else []
    for i, digit in enumerate(text):  # a smaller digit here, then anything
        low = 1 if i == 0 else 0
        if int(digit) > low:
            parts.append(f"{text[:i]}[{low}-{int(digit) - 1}][0-9]{{{len(text) - i - 1}}}")
    parts.append(text)
    return "(?:" + "|".join(parts) + ")"


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a whole number from 1 to ID_MAX, else no such page (404).

    The bound is in the pattern itself, not only checked after matching: werkzeug answers 405
    when a path matched another method's route, so a POST to /reports/2147483648 would be a
    405 while /reports/99 is a 404.
    """

    regex = digits_up_to(ID_MAX)

    def __init__(self, map, fixed_digits=0, min=1, max=ID_MAX, signed=False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(value: object) -> int | None:
    """`value` as an id (1 to ID_MAX, ASCII digits only), or None."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 1 <= number <= ID_MAX else None


def parse_whole(text: str, low: int = -ID_MAX, high: int = ID_MAX) -> int:
    """`text` as a whole number written in plain digits within low..high; ValueError if not."""
    text = text.strip()
    if not PLAIN_WHOLE.fullmatch(text) or len(text) > 12:
        raise ValueError(text)
    number = int(text)
    if not low <= number <= high:
        raise ValueError(text)
    return number


def parse_decimal(text: str, whole_digits: int = 12) -> Decimal:
    """`text` as a decimal written in plain digits (no exponent, NaN or infinity) with at most
    `whole_digits` before the point (Numeric(14, 2) holds 12); ValueError if not. How many
    decimals are allowed is the field's business: it says so in its own words."""
    text = text.strip()
    if not PLAIN_DECIMAL.fullmatch(text) or len(text) > 40:
        raise ValueError(text)
    if len(text.lstrip("-").partition(".")[0].lstrip("0")) > whole_digits:
        raise ValueError(text)
    return Decimal(text)
