"""The page-size budget of a form: at most two "several countries" questions, and a total
weight of the call's own questions that keeps the proposal page under 100 KB."""

from __future__ import annotations

import pytest

from fund.forms_def import budget
from fund.forms_def import definition as forms
from tests.forms_def.test_definition import form_of, question


def several_countries(number: int) -> dict:
    return question(f"q_{number:08x}", "country", limits={"multiple": True})


def test_two_several_countries_questions_are_accepted(ctx):
    forms.check(form_of(several_countries(1), several_countries(2)))


def test_a_third_several_countries_question_is_refused_with_a_message(ctx):
    with pytest.raises(forms.DefinitionInvalid, match="at most 2 questions where several"):
        forms.check(form_of(several_countries(1), several_countries(2), several_countries(3)))


def test_single_country_questions_do_not_count_as_several(ctx):
    one = [question(f"q_{n:08x}", "country", limits={"multiple": False}) for n in (1, 2, 3)]
    forms.check(form_of(*one))


def test_a_form_over_the_weight_budget_is_refused_with_a_message(ctx):
    """Long help texts add up: the form that passes the budget is refused."""
    heavy = [question(f"q_{n:08x}", help="“Why?” " * 250) for n in range(1, 40)]
    assert budget.form_weight(form_of(*heavy)) > budget.MARKUP_BUDGET
    with pytest.raises(forms.DefinitionInvalid, match="too long for the proposal page"):
        forms.check(form_of(*heavy))


def test_escaped_text_weighs_what_it_renders():
    assert budget.text_weight('"<é>') == len("&#34;&lt;é&gt;".encode())
