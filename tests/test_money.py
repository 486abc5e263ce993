"""Money reads the reader's way: one format per language (CLDR's, through Babel), on pages,
in e-mail and in letters, and never the English "24,000.00" for a French reader.

The expected texts are written out here, not computed with Babel: a page that bypassed the
filter (an f-string, "{:,.2f}", a raw Decimal) would not produce them.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from fund import demo
from fund.auth.services import create_user
from fund.decisions.letters import compose
from fund.extensions import db
from fund.models import Role, User, UserRole
from fund.money import money, money_writer
from tests import crawling
from tests.conftest import login, make_call, make_organisation, make_proposal, make_user, outbox
from tests.grants.conftest import approve_waiting_payment, build_grant
from tests.grants.test_review_and_payment import accept_final, pay

NNBSP, NBSP = "\u202f", "\xa0"  # French groups digits with a narrow space; signs sit apart

# (amount, currency) -> the text per language
EXPECTED = {
    ("24000", "USD"): {
        "en": "$24,000.00",
        "fr": f"24{NNBSP}000,00{NBSP}$US",
        "es": f"24.000,00{NBSP}US$",
        "pt": f"US${NBSP}24.000,00",
    },
    ("1234.5", "EUR"): {
        "en": "€1,234.50",
        "fr": f"1{NNBSP}234,50{NBSP}€",
        "es": f"1.234,50{NBSP}€",
        "pt": f"€{NBSP}1.234,50",
    },
    ("1500000", "KES"): {
        "en": "KES1,500,000.00",
        "fr": f"1{NNBSP}500{NNBSP}000,00{NBSP}KES",
        "es": f"1.500.000,00{NBSP}KES",
        "pt": f"KES{NBSP}1.500.000,00",
    },
}
CASES = [(amount, currency, lang, text) for (amount, currency), by in EXPECTED.items()
         for lang, text in by.items()]  # fmt: skip
ENGLISH_AMOUNT = re.compile(r"\d,\d{3}\.\d{2}")


@pytest.mark.parametrize("amount,currency,lang,text", CASES)
def test_the_money_filter_writes_an_amount_the_readers_way(ctx, amount, currency, lang, text):
    with force_locale(lang):
        shown = render_template_string("{{ amount|money(currency) }}", amount=Decimal(amount),
                                       currency=currency)  # fmt: skip
    assert shown == text


@pytest.mark.parametrize("amount,currency,lang,text", CASES)
def test_a_list_pages_money_writer_writes_the_readers_way_too(ctx, amount, currency, lang, text):
    """`money_writer` (one list page's many amounts) writes the texts `money` writes, in the
    language in force when it was made, for a Decimal or a string; nothing for no amount."""
    with force_locale(lang):
        write = money_writer(currency)
        assert write(Decimal(amount)) == text == write(amount)
        assert write(None) == "" == write("")
    other = "fr" if lang != "fr" else "en"
    with force_locale(other):  # made before: still the first language
        assert write(Decimal(amount)) == text != money(Decimal(amount), currency)


@pytest.mark.parametrize("lang", ["en", "fr", "es", "pt"])
def test_a_grant_page_shows_its_amounts_in_the_readers_language(client, lang):
    world = build_grant(amount=Decimal("24000"))
    world.member.locale = lang
    db.session.commit()
    login(client, world.member)
    page = client.get(f"/grants/{world.grant.id}").get_data(as_text=True)
    assert EXPECTED[("24000", "USD")][lang] in page
    if lang != "en":
        assert ENGLISH_AMOUNT.search(page) is None


def test_the_payment_e_mail_writes_the_amount_in_the_recipients_language(client):
    """The secretariat writes in English; the grantee's member reads French."""
    world = build_grant()
    world.member.locale = "fr"
    db.session.commit()
    accept_final(client, world)
    assert pay(client, world, amount="1999.50").status_code == 302
    approve_waiting_payment(client, world)  # the grantee hears once a second admin approves
    [message] = outbox("grant_payment_recorded")
    french = f"1{NNBSP}999,50{NBSP}$US"
    assert french in message.subject
    assert french in message.body_text
    assert french in message.body_html
    assert "1,999.50" not in message.body_text + message.subject


def test_a_letter_writes_the_amount_in_its_language(ctx):
    """The call's letter places {currency} itself: {amount} is the figure, written the French
    way in a French letter."""
    applicant = make_user()
    proposal = make_proposal(make_organisation(applicant), make_call(), state="submitted")
    subject, body = compose(proposal, "award", Decimal("18000"), "", locale="fr")
    assert f"18{NNBSP}000,00 USD" in body
    assert "18,000.00" not in body


def test_no_demo_page_shows_an_english_amount_to_a_french_reader(client, csrf, monkeypatch):
    """The demo of a French-speaking fund (every account in French, the seeding written in
    French as the secretariat's own actions would be): every page one person holding every
    role reaches shows not one amount written "24,000.00", letters, agreements and the audit
    trail's comments included."""

    def french_user(**values):
        user = create_user(**values)
        user.locale = "fr"
        return user

    monkeypatch.setattr(demo, "create_user", french_user)
    with force_locale("fr"):
        demo.seed()
    user = db.session.scalar(db.select(User).where(User.email == "applicant@example.org"))
    for role in (Role.REVIEWER, Role.CHAIR, Role.ADMIN):
        user.role_rows.append(UserRole(role=role.value))
    db.session.commit()
    login(client, user)
    english: dict[str, list[str]] = {}

    def check(path: str, html: str) -> None:
        if found := ENGLISH_AMOUNT.findall(html):
            english[path] = found

    seen = crawling.crawl(client, on_page=check)
    assert len(seen) > 50
    assert english == {}, repr(english)
