"""The portfolio page writes its amounts without looking up the reader's locale for each one
(issue 14): each table and chart finds it once, and the amounts still read the reader's way."""

from __future__ import annotations

from fund import money
from fund.models import Role
from tests.conftest import login, make_user
from tests.portfolio.conftest import grant


def locale_lookups(monkeypatch) -> list[int]:
    """How often `money` looks up the reader's locale itself, from now on."""
    looked: list[int] = []
    real = money.current_locale

    def counted():
        looked.append(1)
        return real()

    monkeypatch.setattr(money, "current_locale", counted)
    return looked


def test_the_amounts_do_not_each_look_up_the_readers_locale(client, small_portfolio, monkeypatch):
    login(client, make_user(Role.OBSERVER))
    looked = locale_lookups(monkeypatch)
    page = client.get("/portfolio").text
    assert "$40,000.00" in page and "€7,000.00" in page
    assert looked == []


def test_the_lookups_do_not_grow_with_the_grants(client, small_portfolio, monkeypatch):
    login(client, make_user(Role.OBSERVER))
    looked = locale_lookups(monkeypatch)
    client.get("/portfolio")
    few = len(looked)
    organisation = small_portfolio.grants[0].organisation
    for currency in ("GBP", "CHF", "JPY"):
        grant(organisation, small_portfolio.call_b, "900", currency=currency)
    client.get("/portfolio")
    assert len(looked) - few == few


def test_a_french_reader_reads_the_amounts_the_french_way(client, small_portfolio):
    login(client, make_user(Role.OBSERVER, locale="fr"))
    page = client.get("/portfolio").text
    chart = page[page.index('<svg class="chart" role="img" aria-labelledby="chart-call-USD') :]
    assert "40\u202f000,00\xa0$US" in chart[: chart.index("</svg>")]
    table = page[page.index('<table id="table-call">') :]
    assert '<td class="num">40\u202f000,00</td>' in table[: table.index("</table>")]
