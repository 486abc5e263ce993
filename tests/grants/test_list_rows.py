"""The grants list's rows, written in Python (fund/grants/list_rows.py), are the HTML its
template wrote for them (blank space between tags aside): with the select column and without,
a grant without a reference, names with markup characters, two currencies, each state's label,
a report overdue and none due, in two languages."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import url_for
from flask_babel import force_locale

from fund.extensions import db
from fund.grants import queries
from fund.grants.list_rows import grant_rows
from fund.models import Call, Organisation, ReportState
from fund.money import money
from tests.conftest import login
from tests.grants.conftest import TODAY, build_grant

# The template's row before the rows were written in Python, kept as the reference the written
# rows are held to; lines are broken only where the HTML has blank space already.
TEMPLATE_ROWS = """
{% set label = namespace(select=_("Select"), reference=_("Reference"),
   organisation=_("Organisation"), call=_("Call"), amount=_("Amount"), paid=_("Paid"),
   state=_("State"), next_due=_("Next report due"), overdue=_("Reports overdue")) %}
{% for grant in grants %}
  <tr>
    {% if offered %}<td data-label="{{ label.select }}"><input type="checkbox"
      id="select-{{ grant.id }}" name="grant" value="{{ grant.id }}" form="bulk">
      <label for="select-{{ grant.id }}">{{ label.select }}<span class="visually-hidden">
      {{ grant.reference or grant.id }}</span></label></td>{% endif %}
    <td data-label="{{ label.reference }}"><a href="{{ grant.url }}">
      {{- grant.reference or grant.id }}</a></td>
    <td data-label="{{ label.organisation }}">{{ grant.organisation }}</td>
    <td data-label="{{ label.call }}">{{ grant.call_title }}</td>
    <td data-label="{{ label.amount }}">{{ grant.amount|money(grant.currency) }}</td>
    <td data-label="{{ label.paid }}">{{ grant.paid|money(grant.currency) }}</td>
    <td data-label="{{ label.state }}">{{ state_label(grant.state) }}</td>
    <td data-label="{{ label.next_due }}">{{ grant.next_due or "–" }}</td>
    <td data-label="{{ label.overdue }}">{{ grant.overdue }}</td>
  </tr>
{% endfor %}
"""


def _long_way(grant) -> dict:
    """A row's values as the template was given them, each worked out from the grant."""
    owed = [r.due_on for r in grant.reports if r.state == ReportState.UPCOMING]
    return {
        "id": grant.id,
        "reference": grant.reference,
        "url": url_for("grants.detail", grant_id=grant.id),
        "organisation": db.session.get(Organisation, grant.organisation_id).name,
        "call_title": db.session.get(Call, grant.proposal.call_id).title,
        "amount": grant.amount,
        "currency": grant.currency,
        "paid": sum((t.paid_amount or Decimal(0) for t in grant.tranches), Decimal(0)),
        "state": grant.state,
        "next_due": min(owed) if owed else None,
        "overdue": sum(1 for due_on in owed if due_on < TODAY),
    }


def _blank_space_as_one(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_written_rows_are_the_templates_own(app, client, locale):
    worlds = [
        build_grant(),
        build_grant("suspended", interim_due=TODAY - timedelta(days=3)),
        build_grant("pending_agreement", amount=Decimal("12345.67")),
    ]
    first, second, third = (world.grant for world in worlds)
    second.reference = None  # its number stands for it
    second.currency = "EUR"
    db.session.get(Organisation, second.organisation_id).name = 'Safe <Homes> & "co"'
    db.session.get(Call, third.proposal.call_id).title = "Call <2027> & 'more'"
    for report in first.reports:  # nothing left to report
        report.state = ReportState.ACCEPTED
    worlds[0].admin.locale = locale
    db.session.commit()
    login(client, worlds[0].admin)
    page = client.get("/grants/").get_data(as_text=True)
    body = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    assert 'type="checkbox"' in body  # the admin is offered bulk actions
    template = app.jinja_env.from_string(TEMPLATE_ROWS)
    with app.test_request_context(), force_locale(locale):
        shown = [int(n) for n in re.findall(r'<a href="/grants/(\d+)">', body)]
        assert sorted(shown) == sorted(g.id for g in (first, second, third))
        grants = [
            _long_way(g) for g in sorted((first, second, third), key=lambda g: shown.index(g.id))
        ]
        expected = template.render(grants=grants, offered=True)
        assert _blank_space_as_one(body) == _blank_space_as_one(expected)
        # without bulk actions there is no select column
        items = queries.grants_page({"call_id": None, "state": None, "q": None}, 1).items
        figures = queries.grant_figures([item.id for item in items], TODAY)
        written = grant_rows(items, figures).html([])
        assert "checkbox" not in written
        expected = template.render(grants=grants, offered=False)
        assert _blank_space_as_one(written) == _blank_space_as_one(expected)
    assert "Safe &lt;Homes&gt; &amp; &#34;co&#34;" in page  # escaped once, not twice
    assert money(Decimal("12345.67"), "USD", locale) in page


def test_no_rows_says_so(client):
    world = build_grant()
    login(client, world.admin)
    page = client.get("/grants/?q=nothing-like-this").get_data(as_text=True)
    body = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    assert _blank_space_as_one(body) == (
        '<tr><td colspan="9">No grant matches these filters.</td></tr>'
    )
