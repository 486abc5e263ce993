"""The ranking's rows written in Python (fund/decisions/ranking_cells.py) are the HTML the
template wrote, for every column, kind of value and language.

REFERENCE is the row as decisions/ranking.html wrote it before: each cell asked whether its
column is shown and formatted its value with the template's filters. Both are rendered for
rows made to cover each case, and compared once the whitespace between tags is set aside.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

from fund import workflow
from fund.decisions import columns
from fund.decisions.ranking_cells import rows_writer
from fund.decisions.stats import RankingRow
from fund.money import money
from fund.per_value import PerValue
from fund.strategies import strategy_label

REFERENCE = """
{%- set compare_label, disagreement, beyond = _("Compare"), _("Disagreement"), _("beyond the envelope left") %}
{%- set decide_url = id_url("decisions.decide", "proposal_id") %}
{%- for r in rows %}
  {%- set pid, reference = r.proposal_id, r.reference or ("#" ~ r.proposal_id) %}
  <tr data-proposal="{{ pid }}">
    <td><input type="checkbox" id="compare-{{ pid }}" name="proposal" value="{{ pid }}">
      <label for="compare-{{ pid }}">{{ compare_label }}<span class="visually-hidden"> {{ reference }}</span></label></td>
    <td><a href="{{ decide_url(pid) }}">{{ reference }}</a><br>{{ r.title }}</td>
    {% if show.organisation %}<td>{{ r.organisation }}</td>{% endif %}
    {% if show.country %}<td>{{ r.country|country_name }}</td>{% endif %}
    {% if show.strategies %}<td>{{ strategies_text[r.strategies] }}</td>{% endif %}
    {% if show.reviews %}<td>{{ r.reviews }}</td>{% endif %}
    {% if show.normalised %}<td>{{ r.normalised|score("%+.2f") }}</td>{% endif %}
    {% if show.mean %}<td>{{ r.mean|score }}</td>{% endif %}
    {% if show.median %}<td>{{ r.median|score }}</td>{% endif %}
    {% if show.std_dev %}<td>{{ r.std_dev|score }}</td>{% endif %}
    {% if show.range %}<td>{{ r.spread|score }}</td>{% endif %}
    {% if show.disagreement %}<td>{{ disagreement if r.disagreement else "" }}</td>{% endif %}
    {% if show.recommendations %}{% set tally = r.tally %}<td>{{ tally_text[(tally.get("fund", 0), tally.get("fund_with_changes", 0), tally.get("do_not_fund", 0))] }}</td>{% endif %}
    {% if show.requested %}<td>{{ amount_text[r.amount_requested] }}</td>{% endif %}
    {% if show.running_total %}<td>{{ r.running_total|money(call.currency) }}{% if r.over_envelope %}<br><strong>{{ beyond }}</strong>{% endif %}</td>{% endif %}
    {% if show.state %}<td><span class="state">{{ state_text[r.state] }}</span>{% if r.approvals %}<br>{{ approvals_text[r.approvals] }}{% endif %}</td>{% endif %}
  </tr>
{%- endfor %}
"""  # noqa: E501 (the template's own lines)

STATES = ["reviewed", "in_review", "awarded", "declined", "revision_requested"]
# Côte d'Ivoire's name has an apostrophe to escape; "XK" and "" have no Babel name.
COUNTRIES = ["UG", "CI", "BR", "XK", ""]
STRATEGIES = ["parenting", "norms_values", "safe_environments", "unknown_code"]


def rows(seed: int) -> list[RankingRow]:
    """Rows covering each case: texts to escape, no reference, no reviews, tallies, approvals,
    totals beyond the envelope, amounts repeated and not."""
    rng = random.Random(seed)
    made = []
    for number in range(1, 41):
        reviewed = rng.random() < 0.8
        row = RankingRow(
            proposal_id=number * 7,
            reference=rng.choice(["", f"INS-{number:05d}", "R&D <1>"]),
            title=rng.choice(["Safe schools", "<script>alert('x')</script> & \"quotes\""]),
            state=rng.choice(STATES),
            organisation=rng.choice(["Amani Trust", "Children & Youth <Org>", "L'Étoile"]),
            country=rng.choice(COUNTRIES),
            strategies=tuple(rng.sample(STRATEGIES, rng.randint(0, 3))),
            amount_requested=Decimal(rng.choice(["12500.00", "9999.99", "0", "250000.50"])),
        )
        if reviewed:
            row.reviews = rng.randint(1, 4)
            row.mean, row.median = rng.uniform(0, 100), rng.uniform(0, 100)
            row.std_dev, row.spread = rng.uniform(0, 30), rng.uniform(0, 60)
            row.normalised = rng.choice([None, rng.uniform(-2, 2)])
            row.disagreement = rng.random() < 0.3
            row.tally = {
                key: n
                for key in ("fund", "fund_with_changes", "do_not_fund")
                if (n := rng.randint(0, 3))
            }
        row.approvals = rng.choice([0, 0, 1, 2])
        row.running_total = Decimal(number * 12500) + Decimal("0.25")
        row.over_envelope = rng.random() < 0.4
        made.append(row)
    return made


def reference_html(page_rows, choice, call) -> str:
    labels = {code: strategy_label(code) for code in STRATEGIES}
    return render_template_string(
        REFERENCE,
        rows=page_rows,
        call=call,
        show={column.key: column.key in choice.keys for column in columns.COLUMNS},
        strategies_text=PerValue(lambda codes: ", ".join(labels.get(c, c) for c in codes)),
        tally_text=PerValue(
            lambda tally: render_template_string(
                "{{ _('fund %(a)d · with changes %(b)d · do not fund %(c)d', a=a, b=b, c=c) }}",
                a=tally[0],
                b=tally[1],
                c=tally[2],
            )
        ),
        approvals_text=PerValue(
            lambda n: render_template_string(
                "{{ _('%(n)d of %(needed)d approvals', n=n, needed=needed) }}",
                n=n,
                needed=call.chair_approvals_needed,
            )
        ),
        state_text=PerValue(workflow.state_label),
        amount_text=PerValue(lambda amount: money(amount, call.currency)),
    )


def written_html(page_rows, choice, call) -> str:
    return rows_writer(choice, call)(page_rows)


def same_markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


CHOICES = [
    columns.Choice(columns.DEFAULT, explicit=False),
    columns.Choice((), explicit=True),
    columns.Choice(tuple(column.key for column in columns.COLUMNS), explicit=True),
    *(columns.Choice((column.key,), explicit=True) for column in columns.COLUMNS),
]


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt"])
def test_rows_are_written_as_the_template_wrote_them(app, language):
    call = SimpleNamespace(currency="USD", chair_approvals_needed=2)
    page_rows = rows(seed=len(language))
    with app.test_request_context("/"), force_locale(language):
        for choice in CHOICES:
            expected = same_markup(reference_html(page_rows, choice, call))
            assert same_markup(written_html(page_rows, choice, call)) == expected, choice.keys
        # the texts are really the language's, and escaped
        everything = written_html(page_rows, CHOICES[2], call)
    assert "<script>" not in everything and "&lt;script&gt;" in everything
    assert "R&amp;D &lt;1&gt;" in everything
    if language == "fr":
        assert "Comparer" in everything


def test_a_call_in_another_currency_writes_its_amounts(app):
    call = SimpleNamespace(currency="KES", chair_approvals_needed=1)
    page_rows = rows(seed=3)
    with app.test_request_context("/"):
        for choice in CHOICES[:3]:
            expected = same_markup(reference_html(page_rows, choice, call))
            assert same_markup(written_html(page_rows, choice, call)) == expected
        assert "KES" in written_html(page_rows, CHOICES[0], call)
