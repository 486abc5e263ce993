"""Amounts of money as a reader sees them: one format, the reader's locale's (CLDR via Babel).

Every page, e-mail, letter, confirmation and message shows money through `money()` (the
template filter `money`, registered in fund/templating.py). Exports are not display: CSV and
XLSX keep numbers as numbers. What users type into amount fields is parsed elsewhere
(fund/numbers.py) and stays plain digits with a point.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.numbers import format_currency

from fund.i18n import current_locale


def reader_locale(locale: str | Locale | None = None) -> Locale:
    """`locale`, else the current one: the user's on a page, the recipient's inside
    `force_locale` (e-mail and letters); English outside any request or app."""
    if locale:
        return Locale.parse(locale)
    try:
        return current_locale() or Locale.parse("en")
    except RuntimeError:  # no application context (a script, a plain unit test)
        return Locale.parse("en")


def money(
    amount: Decimal | int | str | None,
    currency: str | None,
    locale: str | Locale | None = None,
    *,
    symbol: bool = True,
) -> str:
    """`amount` in `currency` the reader's way: "$24,000.00", "24 000,00 $US", "US$ 24.000,00".

    With `symbol=False` only the figure, still in the reader's digits and separators and with
    the currency's number of decimals ("24 000,00"): for the call's own letter and agreement
    texts, which place `{currency}` themselves. "" for no amount; without a currency, the
    figure alone. Never through a float.
    """
    if amount is None or amount == "":
        return ""
    number = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    return _formatted(number, currency or "", reader_locale(locale), symbol)


@lru_cache(maxsize=8192)
def _formatted(number: Decimal, currency: str, where: Locale, symbol: bool) -> str:
    """`money` once per value, currency and locale: a list page repeats its amounts, and Babel
    takes about 0.1 ms to format each. Decimal("1.0") and Decimal("1.00") hash alike but
    format alike too (the currency fixes the decimals)."""
    if not currency:
        return format_currency(number, "XXX", format=_figure_pattern(where), locale=where)
    if symbol:
        return format_currency(number, currency, locale=where)
    return format_currency(number, currency, format=_figure_pattern(where), locale=where)


def money_writer(currency: str | None, locale: str | Locale | None = None) -> Callable[[Any], str]:
    """`money` with its symbol for the many amounts of one list page, all in `currency` and in
    one locale (`locale`, else the one current now): the same texts.

    The locale is found once, not per cell; and each amount is looked up by the locale's name:
    a Babel locale hashes and compares itself in Python, which took most of the time of an
    amount already formatted."""
    where = str(reader_locale(locale))
    currency = currency or ""

    def write(amount: Any) -> str:
        if amount.__class__ is Decimal:  # the usual case, without comparing a Decimal to ""
            return _formatted_in(amount, currency, where)
        if amount is None or amount == "":
            return ""
        number = amount if isinstance(amount, Decimal) else Decimal(str(amount))
        return _formatted_in(number, currency, where)

    return write


@lru_cache(maxsize=8192)
def _formatted_in(number: Decimal, currency: str, where: str) -> str:
    """`_formatted` with the symbol, by the locale's name (`money_writer`)."""
    return _formatted(number, currency, Locale.parse(where), True)


def _figure_pattern(where: Locale) -> str:
    """The locale's currency pattern without the currency sign ("#,##0.00 ¤" -> "#,##0.00")."""
    pattern = where.currency_formats["standard"].pattern.split(";")[0]
    return pattern.replace("¤", "").replace("\xa0", "").strip()


@dataclass(frozen=True)
class Amount:
    """An amount written only when shown, in the locale current then: mail is queued for
    several recipients from one context, and each reads it in their own language."""

    value: Decimal
    currency: str

    def __str__(self) -> str:
        return money(self.value, self.currency)
