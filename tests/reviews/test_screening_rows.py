"""The screening list's rows and country filter, worked out once per page: the same buttons,
texts and options as each row and each choice worked out alone."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from flask_babel import force_locale
from markupsafe import Markup
from wtforms import SelectField
from wtforms.validators import Optional

from fund import workflow
from fund.countries import country_choices
from fund.extensions import db
from fund.forms import FlaskForm
from fund.models import Role
from fund.models.base import utcnow
from fund.reviews import forms as review_forms
from fund.reviews.forms import ScreeningFilterForm
from fund.reviews.queries import LISTED_STATES, has_review_stage
from tests.conftest import login, make_user
from tests.reviews.conftest import assign, make_in_review, make_rubric_call


@pytest.fixture
def admin(ctx):
    return make_user(Role.ADMIN)


def _row(page: str, proposal) -> str:
    """The table row of `proposal` on the page."""
    start = page.index(f'<a href="/proposals/{proposal.id}">{proposal.reference}</a>')
    return page[page.rindex("<tr>", 0, start) : page.index("</tr>", start)]


def test_each_row_offers_what_the_workflow_offers_it_in_every_state(client, admin):
    """Rows in every state the list shows: each has the screen-in and screen-out buttons (named
    with its title) exactly when the workflow offers them, its reviewers link from review on,
    its state, country, amount and review count, and the overdue mark where an answer is late."""
    call = make_rubric_call()
    proposals = [
        make_in_review(call, title=f"Plan <{state}> & co", state=state, country_code=country)
        for state, country in zip(LISTED_STATES, ["UG", "KE", "FR"] * 10, strict=False)
    ]
    late = next(p for p in proposals if p.state == "information_requested")
    late.information_due_at = utcnow() - timedelta(days=1)
    for number, proposal in enumerate(proposals):
        proposal.amount_requested = Decimal(1000 * (number % 3 + 1))
    db.session.commit()
    reviewed = next(p for p in proposals if p.state == "in_review")
    assign(reviewed, make_user(Role.REVIEWER))
    login(client, admin)
    page = client.get(f"/screening/calls/{call.id}").get_data(as_text=True)
    offered_somewhere = set()
    for proposal in proposals:
        row = _row(page, proposal)
        offered = {t.action for t in workflow.allowed_actions(proposal, admin)}
        offered_somewhere |= offered
        title = "Plan &lt;" + proposal.state + "&gt; &amp; co"
        assert (f'aria-label="Screen in {title}"' in row) == ("screen_in" in offered)
        assert (f'aria-label="Screen out {title}"' in row) == ("screen_out" in offered)
        assert ("/assignments" in row) == has_review_stage(proposal)
        assert workflow.state_label(proposal.state) in row
        assert ("answer overdue" in row) == (proposal is late)
        assert {"UG": "Uganda", "KE": "Kenya", "FR": "France"}[
            proposal.organisation.country_code
        ] in row
        assert f"${proposal.amount_requested:,.2f}" in row
        assert ("0 of 1 submitted" in row) == (proposal is reviewed)
    assert {"screen_in", "screen_out"} <= offered_somewhere


def test_the_list_asks_the_workflow_once_for_the_page_and_writes_no_refusal(client, admin):
    """The rows' buttons come from one `allowed_actions_of` for the page: no row asks on its
    own, and no refusal reason (a translation each) is written out only to be thrown away."""
    call = make_rubric_call()
    for state in ("submitted", "in_review", "reviewed", "awarded"):
        make_in_review(call, state=state)
    login(client, admin)
    with (
        mock.patch.object(
            workflow, "allowed_actions_of", wraps=workflow.allowed_actions_of
        ) as batch,
        mock.patch.object(
            workflow.engine, "_role_reason", wraps=workflow.engine._role_reason
        ) as reasons,
    ):
        assert client.get(f"/screening/calls/{call.id}").status_code == 200
    assert batch.call_count == 1 and len(batch.call_args.args[0]) == 4
    assert reasons.call_count == 0


class _PlainFilter(FlaskForm):
    class Meta:
        csrf = False

    country = SelectField("Country of the organisation", validators=[Optional()])
    strategy = SelectField("INSPIRE strategy", validators=[Optional()])
    state = SelectField("State", validators=[Optional()])


def _plain_choices(name: str) -> list[tuple[str, str]]:
    """The filter's choices the long way, each label translated on its own."""
    from fund.strategies import STRATEGY_LABELS

    if name == "country":
        return [("", str(review_forms._l("Any country"))), *country_choices()]
    if name == "strategy":
        return [("", str(review_forms._l("Any strategy")))] + [
            (s.value, str(label)) for s, label in STRATEGY_LABELS.items()
        ]
    return [("", str(review_forms._l("Any state")))] + [
        (s.value, workflow.state_label(s)) for s in LISTED_STATES
    ]


@pytest.mark.parametrize("locale", ["en", "fr"])
@pytest.mark.parametrize(
    ("name", "chosen"),
    [
        ("country", ""),
        ("country", "KE"),
        ("country", None),
        ("strategy", ""),
        ("strategy", "parent_support"),
        ("strategy", None),
        ("state", ""),
        ("state", "revision_requested"),
        ("state", None),
    ],
)
def test_each_filter_is_the_plain_select_of_its_choices(app, locale, name, chosen):
    """Written once per language, the country, strategy and state selects are still WTForms'
    own HTML, with the chosen value (if any) selected."""
    args = {} if chosen is None else {name: chosen}
    with app.test_request_context("/", query_string=args), force_locale(locale):
        from flask import request

        form = ScreeningFilterForm(request.args, states=LISTED_STATES)
        assert form.validate()
        plain = _PlainFilter(request.args)
        for field in ("country", "strategy", "state"):
            plain[field].choices = _plain_choices(field)
        assert plain.validate()
        expected = plain.meta.render_field(plain[name], {"class": "x"})
        assert form.meta.render_field(form[name], {"class": "x"}) == expected
        assert expected.count("<option") == len(_plain_choices(name))
        assert ("<option selected" in expected) == (chosen is not None)


def test_the_filters_read_their_choices_once_per_language(app):
    """After the first page in a language, neither validating nor drawing the filters goes
    through the countries, the strategies or the states (a translation each) again."""
    import fund.countries

    args = {"country": "KE", "strategy": "laws", "state": "in_review"}
    with app.test_request_context("/", query_string=args):
        from flask import request

        first = ScreeningFilterForm(request.args, states=LISTED_STATES)
        assert first.validate() and first.country() and first.strategy() and first.state()
        with (
            mock.patch.object(
                fund.countries, "_choices_in", wraps=fund.countries._choices_in
            ) as countries,
            mock.patch.object(
                review_forms, "STRATEGY_LABELS", _ReadCounted(review_forms.STRATEGY_LABELS)
            ) as strategies,
            mock.patch.object(review_forms, "state_label", wraps=workflow.state_label) as labels,
            mock.patch.object(
                review_forms, "option_html", wraps=review_forms.option_html
            ) as written,
        ):
            form = ScreeningFilterForm(request.args, states=LISTED_STATES)
            assert form.validate()
            assert '<option selected value="KE">Kenya</option>' in form.country()
            assert 'selected value="laws"' in form.strategy()
            assert '<option selected value="in_review">in review</option>' in form.state()
        assert countries.call_count == labels.call_count == written.call_count == 0
        assert strategies.reads == 0


class _ReadCounted(dict):
    """The strategies' labels, counting how often they are gone through."""

    reads = 0

    def items(self):
        self.reads += 1
        return super().items()


@pytest.mark.parametrize(
    ("name", "value"), [("strategy", "LAWS"), ("strategy", "<b>"), ("state", "draft")]
)
def test_an_unknown_strategy_or_state_is_refused_with_its_field_named(client, admin, name, value):
    """Only the codes offered pass: a draft is not among the states the list shows."""
    call = make_rubric_call()
    login(client, admin)
    page = client.get(f"/screening/calls/{call.id}", query_string={name: value})
    assert page.status_code == 400
    label = {"strategy": "INSPIRE strategy", "state": "State"}[name]
    assert f"{label}: Not a valid choice" in page.get_data(as_text=True)


@pytest.mark.parametrize("value", ["XX", "ke", "UGA", "<b>"])
def test_an_unknown_country_is_refused_with_its_field_named(client, admin, value):
    call = make_rubric_call()
    login(client, admin)
    page = client.get(f"/screening/calls/{call.id}", query_string={"country": value})
    assert page.status_code == 400
    assert re.search(
        r"Country of the organisation: Not a valid choice", page.get_data(as_text=True)
    )


def test_each_page_of_each_filter_holds_the_rows_the_download_has_in_that_place(ctx):
    """The page's statements, built once with the filters bound, find exactly what the
    download finds, in its order, 50 a page; a page past the last is empty."""
    from itertools import product

    from fund.reviews import queries

    call = make_rubric_call()
    states = ["submitted", "in_review", "ineligible"]
    for i in range(61):
        make_in_review(
            call,
            title=f"Proposal {i}",
            state=states[i % 3],
            country_code="KE" if i % 2 else "UG",
            strategies=["laws", "norms"] if i % 4 else ["norms"],
        )
    for country, strategy, state in product(["", "KE"], ["", "laws"], ["", "in_review"]):
        filters = {"country": country, "strategy": strategy, "state": state}
        expected = [p.id for p in queries.screening_rows(call, **filters)]
        assert expected, filters
        got = []
        for number in (1, 2, 3):
            page = queries.screening_page(call, page=number, **filters)
            assert page.total == len(expected) and page.page == number
            got += [p.id for p in page.items]
        assert got == expected, filters
    queries.reviewer_counts(expected)
    with mock.patch.object(queries, "select", wraps=queries.select) as built:
        page = queries.screening_page(call, page=2, country="KE", strategy="laws", state="")
        queries.reviewer_counts([p.id for p in page.items])
    assert built.call_count == 0


# The template's row before the rows were written in Python (fund/reviews/screening_rows.py),
# kept as the reference the written rows are held to; lines are broken only where the HTML
# has blank space already (or with Jinja's `{{-`, none), which the comparison reads as one.
TEMPLATE_ROWS = """
{% set label = {"select": _("Select"), "reference": _("Reference"), "proposal": _("Proposal"),
   "organisation": _("Organisation"), "country": _("Country"), "language": _("Language"),
   "amount": _("Amount"), "state": _("State"), "reviews": _("Reviews"),
   "actions": _("Actions")} %}
{% set overdue, screen_in_text, screen_out_text, reviewers_text = _("answer overdue"),
   _("Screen in"), _("Screen out"), _("Reviewers") %}
{% for row in rows %}
  <tr>
    {% if offered %}<td data-label="{{ label["select"] }}"><input type="checkbox"
      id="select-{{ row.id }}" name="proposal" value="{{ row.id }}" form="bulk">
      <label for="select-{{ row.id }}">{{ label["select"] }}<span class="visually-hidden">
      {{ row.title }}</span></label></td>{% endif %}
    <td data-label="{{ label["reference"] }}">{% if row.reference %}<a href="{{ row.url }}">
      {{- row.reference }}</a>{% endif %}</td>
    <td data-label="{{ label["proposal"] }}"><a href="{{ row.url }}">{{ row.title }}</a></td>
    <td data-label="{{ label["organisation"] }}">{{ row.organisation }}</td>
    <td data-label="{{ label["country"] }}">{{ row.country }}</td>
    <td data-label="{{ label["language"] }}">{{ row.language }}</td>
    <td data-label="{{ label["amount"] }}">{{ row.amount }}</td>
    <td data-label="{{ label["state"] }}">{{ row.state }}{% if row.information_overdue %}
      <strong class="overdue">{{ overdue }}</strong>{% endif %}</td>
    <td data-label="{{ label["reviews"] }}">{{ row.reviews }}</td>
    <td data-label="{{ label["actions"] }}">
      {% if row.screen_in_url %}
        <form method="post" action="{{ row.screen_in_url }}" class="inline" data-confirm>
          {{ screen_in_hidden }}
          <button type="submit" aria-label="{{ _("Screen in %(title)s", title=row.title) }}">
            {{- screen_in_text }}</button>
        </form>
      {% endif %}
      {% if row.screen_out_url %}
        <a href="{{ row.screen_out_url }}"
          aria-label="{{ _("Screen out %(title)s", title=row.title) }}">{{ screen_out_text }}</a>
      {% endif %}
      {% if row.assignments_url %}
        <a href="{{ row.assignments_url }}">{{ reviewers_text }}</a>
      {% endif %}
    </td>
  </tr>
{% endfor %}
"""


def _template_rows(app, proposals, viewer, call, now, offered, hidden) -> str:
    """The rows as the template wrote them, each worked out the long way from its object."""
    from flask import url_for
    from flask_babel import gettext

    from fund.countries import country_name
    from fund.messages.queries import is_overdue
    from fund.money import money
    from fund.reviews import queries

    counts = queries.reviewer_counts([p.id for p in proposals])
    rows = []
    for p in proposals:
        actions = {t.action for t in workflow.allowed_actions(p, viewer)}
        assigned, done = counts.get(p.id, (0, 0))
        rows.append(
            {
                "id": p.id,
                "reference": p.reference,
                "title": p.title,
                "url": url_for("proposals.detail", proposal_id=p.id),
                "organisation": p.organisation.name,
                "country": country_name(p.organisation.country_code),
                "language": app.config["LANGUAGES"].get(p.language, p.language),
                "amount": money(p.amount_requested, call.currency),
                "state": workflow.state_label(p.state),
                "information_overdue": is_overdue(p, now),
                "reviews": gettext(
                    "%(done)d of %(assigned)d submitted", done=done, assigned=assigned
                )
                if assigned
                else "–",
                "screen_in_url": "screen_in" in actions
                and url_for("screening.screen_in", proposal_id=p.id),
                "screen_out_url": "screen_out" in actions
                and url_for("screening.screen_out", proposal_id=p.id),
                "assignments_url": has_review_stage(p)
                and url_for("screening.assignments", proposal_id=p.id),
            }
        )
    template = app.jinja_env.from_string(TEMPLATE_ROWS)
    return template.render(rows=rows, offered=offered, screen_in_hidden=hidden)


def _blank_space_as_one(html: str) -> str:
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_written_rows_are_the_templates_own(app, client, csrf, locale):
    """The page's rows, written in Python, are the HTML the template wrote for the same
    proposals (blank space between tags aside), with the select column and without, in each
    language: titles with markup characters escaped once, a proposal with no reference, a late
    answer, reviewers, and each state's buttons with the page's CSRF field."""
    from flask_babel import force_locale

    from fund import clock
    from fund.reviews import queries
    from fund.reviews.screening_rows import screening_rows

    admin = make_user(Role.ADMIN, locale=locale)
    call = make_rubric_call()
    proposals = [
        make_in_review(call, title=f"""Plan <{state}> & "co" 'l'""", state=state)
        for state in LISTED_STATES
    ]
    proposals[0].reference = None
    late = next(p for p in proposals if p.state == "information_requested")
    late.information_due_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assign(next(p for p in proposals if p.state == "in_review"), make_user(Role.REVIEWER))
    login(client, admin)
    page = client.get(f"/screening/calls/{call.id}").get_data(as_text=True)
    body = page[page.index("<tbody>") + len("<tbody>") : page.index("</tbody>")]
    hidden = re.search(r'<input name="csrf_token" type="hidden" value="[^"]+">', body)
    assert hidden  # the screen-in form's own field
    in_order = queries.screening_rows(call)
    with app.test_request_context(), force_locale(locale):
        now = clock.now()
        expected = _template_rows(app, in_order, admin, call, now, True, Markup(hidden.group()))
        assert _blank_space_as_one(body) == _blank_space_as_one(expected)
        # without bulk actions there is no select column
        items = queries.screening_page(call).items
        counts = queries.reviewer_counts([item.id for item in items])
        written = screening_rows(items, call, admin, counts, now, "").html([])
        assert "checkbox" not in written
        expected = _template_rows(app, in_order, admin, call, now, False, "")
        assert _blank_space_as_one(written) == _blank_space_as_one(expected)
