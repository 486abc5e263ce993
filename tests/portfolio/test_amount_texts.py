"""The portfolio page works out each amount's text once per value and currency (issue 14), not
once per cell: the same amount in a table, its chart and the map is formatted once."""

from __future__ import annotations

from fund.portfolio import views
from tests.conftest import login
from tests.portfolio.conftest import observer


def test_each_amount_is_written_once_per_value_and_currency(client, small_portfolio, monkeypatch):
    login(client, observer())
    formatted: list[tuple] = []
    real = views.money_writer

    def counting_writer(currency, locale=None):
        write = real(currency, locale)

        def counted(amount):
            formatted.append((amount, currency))
            return write(amount)

        return counted

    monkeypatch.setattr(views, "money_writer", counting_writer)
    page = client.get("/portfolio").text
    # USD 40,000 awarded under call A: in its table row (no sign), its bar and on the map
    assert page.count("40,000.00") >= 3 and "$40,000.00" in page
    assert formatted and len(formatted) == len(set(formatted))
