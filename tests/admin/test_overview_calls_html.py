"""The overview's per-call tables written in Python (fund/main/overview_calls.py `calls_html`)
are the HTML admin/_overview.html wrote for them, for open, closed and two-stage calls, counts
with and without links, amounts in each call's currency, in every language.

REFERENCE is the loop as the template wrote it before, with the values the dashboard passed
it then: both are rendered and compared once the whitespace between tags is set aside.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import force_locale

from fund import workflow
from fund.admin import overview
from fund.extensions import db
from fund.main.overview_calls import calls_html
from fund.models.base import utcnow
from fund.per_value import PerValue
from tests.admin.overview_data import make_grant_with_tranches, proposal_in
from tests.conftest import make_call

REFERENCE = """
  {% set call_url, grants_url = id_url('calls.detail', 'call_id'), id_url('grants.index', 'call') %}
  {% set screening_url, concepts_url = id_url('screening.proposals', 'call_id'), id_url('concepts.index', 'call_id') %}
  {% set labels, now, unlisted, concept_filter = overview.state_labels, overview.now, overview.unlisted, overview.concept_filter %}
  {% set per_state_caption, state_heading, proposals_heading = _("Proposals per state"), _("State"), _("Proposals") %}
  {% set money_caption, envelope, awarded, paid, outstanding = _("Money"), _("Envelope"), _("Awarded"), _("Paid"), _("Outstanding") %}
  {% for figures in overview.calls %}
    {% set call = figures.call %}
    <h3 id="overview-call-{{ call.id }}"><a href="{{ call_url(call.id) }}">{{ call.title }}</a></h3>
    <p class="muted">{{ _("Closes on %(day)s", day=call.closes_at|datetime) if call.closes_at > now else _("Closed on %(day)s", day=call.closes_at|datetime) }}</p>
    <div class="table-wrap">
      <table>
        <caption>{{ per_state_caption }}</caption>
        <thead><tr><th scope="col">{{ state_heading }}</th><th scope="col">{{ proposals_heading }}</th></tr></thead>
        <tbody>
          {% set screening_list, concepts_list = screening_url(call.id), concepts_url(call.id) %}
          {% for state, n in figures.rows %}
            <tr><th scope="row">{{ labels[state] }}</th><td>{% if not n or state in unlisted %}{{ n }}{% elif state in concept_filter %}<a href="{{ concepts_list ~ "?show=" ~ concept_filter[state] }}">{{ n }}</a>{% else %}<a href="{{ screening_list ~ "?state=" ~ state.value }}">{{ n }}</a>{% endif %}</td></tr>
          {% endfor %}
        </tbody>
      </table>
      <table>
        <caption>{{ money_caption }}</caption>
        <tbody>
          {% set grants_of_call, currency = grants_url(call.id), call.currency %}
          <tr><th scope="row">{{ envelope }}</th><td>{{ call.budget_envelope|money(currency) }}</td></tr>
          <tr><th scope="row">{{ awarded }}</th><td><a href="{{ grants_of_call }}">{{ figures.awarded|money(currency) }}</a></td></tr>
          <tr><th scope="row">{{ paid }}</th><td><a href="{{ grants_of_call }}">{{ figures.paid|money(currency) }}</a></td></tr>
          <tr><th scope="row">{{ outstanding }}</th><td><a href="{{ grants_of_call }}">{{ figures.outstanding|money(currency) }}</a></td></tr>
        </tbody>
      </table>
    </div>
  {% endfor %}
"""  # noqa: E501 (the template's own lines)


def same_markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture
def calls(ctx):
    """Open, closed and two-stage calls with proposals in several states, grants and money, in
    two currencies, with titles that need escaping."""
    open_call = make_call(title="Water & <sanitation>")
    open_call.budget_envelope = Decimal("125000.50")
    for state in ("draft", "submitted", "submitted", "in_review", "withdrawn"):
        proposal_in(open_call, state)
    make_grant_with_tranches(open_call, amount="20000", paid=(True, False))
    closed = make_call(title="Closed 'round'", open_now=False)
    closed.currency = "EUR"
    proposal_in(closed, "reviewed")
    staged = make_call(title="Two stages", two_stage=True)
    staged.closes_at = utcnow() + timedelta(days=40)
    for state in ("concept_draft", "concept_submitted", "invited", "concept_declined"):
        proposal_in(staged, state)
    db.session.commit()
    return overview.calls(utcnow())


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_the_calls_are_written_as_the_template_wrote_them(app, calls, language):
    now = utcnow()
    with app.test_request_context("/"), force_locale(language):
        expected = render_template_string(
            REFERENCE,
            overview={
                "calls": calls,
                "now": now,
                "unlisted": overview.UNLISTED,
                "concept_filter": overview.CONCEPT_FILTER,
                "state_labels": PerValue(workflow.state_label),
            },
        )
        written = calls_html(calls, now)
    assert len(calls) == 3
    assert same_markup(written) == same_markup(expected)
    assert "Water &amp; &lt;sanitation&gt;" in written and "?show=waiting" in written
    if language == "fr":
        assert "Enveloppe" in written and "Clôturé le" in written


def test_no_call_writes_nothing(app):
    with app.test_request_context("/"):
        assert calls_html([], utcnow()) == ""
