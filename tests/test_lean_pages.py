"""The list pages' lean rendering (issue 14) shows what it showed: translations follow the
locale in force, one url_for serves every row, dates and money read the same from the caches,
and the reviewer queue reads only the columns it shows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import render_template_string, url_for
from flask_babel import force_locale, get_locale
from markupsafe import escape

from fund.countries import country_name
from fund.dates import format_day
from fund.extensions import db
from fund.i18n import current_locale
from fund.models import ProposalState, Review, Role
from fund.money import money
from fund.templating import id_href, id_url
from tests.conftest import count_queries, login, make_organisation, make_proposal, make_user


def test_a_template_follows_force_locale_inside_a_request(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        before = render_template_string('{{ _("Users") }}')
        with force_locale("fr"):
            forced = render_template_string('{{ _("Users") }}')
        after = render_template_string('{{ _("Users") }}')
    assert (before, forced, after) == ("Users", "Utilisateurs", "Users")


def test_the_locale_in_force_is_flask_babels_own(app):
    """`current_locale` (money, country names, dates) answers what Flask-Babel's `get_locale`
    does: the request's language, `force_locale`'s inside it, and None outside any app."""
    assert current_locale() is None
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        seen = [str(current_locale())]
        with force_locale("fr"):
            seen.append(str(current_locale()))
            assert current_locale() is get_locale()
            assert country_name("CI") == "Côte d’Ivoire" and country_name("DE") == "Allemagne"
        seen.append(str(current_locale()))
        assert country_name("DE") == "Alemania"
    with app.app_context():
        assert current_locale() is get_locale()
    assert seen == ["es", "fr", "es"]


def test_one_url_for_gives_each_row_its_own_link(app):
    with app.test_request_context("/"):
        review_url = id_url("reviews.detail", "review_id")
        assert [review_url(i) for i in (1, 42, 2**31 - 2)] == [
            url_for("reviews.detail", review_id=i) for i in (1, 42, 2**31 - 2)
        ]


def test_one_url_for_gives_each_row_its_link_escaped_for_an_attribute(app):
    """`id_href` is `id_url`'s link as an attribute holds it: a query's `&` escaped, the id not."""
    with app.test_request_context("/"):
        href = id_href("screening.proposals", "call_id", state="in_review", country="KE")
        for i in (1, 42, 2**31 - 2):
            url = url_for("screening.proposals", call_id=i, state="in_review", country="KE")
            assert "&" in url and href(i) == escape(url)


def test_cached_dates_and_money_read_as_before_in_each_language(app):
    day = date(2027, 3, 1)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        english = (format_day(day), money(Decimal("24000"), "USD"))
        with force_locale("fr"):
            french = (format_day(day), money(Decimal("24000"), "USD"))
        assert (format_day(day), money(Decimal("24000"), "USD")) == english
        assert format_day(None) == "" and money(None, "USD") == ""
        assert format_day(datetime(2027, 3, 1, 12, 0)) == "Mar 1, 2027"
    assert english == ("Mar 1, 2027", "$24,000.00")
    assert french == ("1 mars 2027", "24\u202f000,00\xa0$US")


def test_the_reviewer_queue_reads_neither_texts_nor_answers(client, ctx):
    """Its rows show a title, reference, organisation, country, language, round and due date:
    a proposal's summary and answers stay in the database."""
    reviewer = make_user(Role.REVIEWER)
    organisation = make_organisation(make_user(Role.APPLICANT))
    for n in range(3):
        proposal = make_proposal(organisation, state=ProposalState.IN_REVIEW, title=f"Safe {n}")
        db.session.add(Review(proposal=proposal, reviewer=reviewer, due_on=date(2027, 1, 1)))
    db.session.commit()
    login(client, reviewer)
    with count_queries() as statements:
        response = client.get("/reviews/")
    assert response.status_code == 200
    assert all(f"Safe {n}".encode() in response.data for n in range(3))
    reads = " ".join(s for s in statements if "FROM reviews" in s)
    assert "proposals.title" in reads
    assert "proposals.answers" not in reads
    assert "proposals.summary" not in reads
    assert "reviews.confidential_comments" not in reads
