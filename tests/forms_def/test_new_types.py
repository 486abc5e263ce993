"""Money, country and INSPIRE-strategies questions: the schema, answers checked against the
call (its currency, the strategies in scope), how answers read, and what the lock refuses."""

from __future__ import annotations

import copy

import pytest
from werkzeug.datastructures import MultiDict

from fund.forms_def import definition as forms
from fund.forms_def.changes import invalidating_changes
from fund.forms_def.display import answer_text, limit_text
from fund.forms_def.validate import AnswerForm, answer_problems
from tests.forms_def.test_definition import form_of, question

MONEY, ONE, SEVERAL, STRATEGIES = "q_00000011", "q_00000012", "q_00000013", "q_00000014"
TYPED = form_of(
    question(MONEY, "money", limits={"min": "100", "max": "50000"}),
    question(ONE, "country", limits={"multiple": False}),
    question(SEVERAL, "country", limits={"multiple": True}),
    question(STRATEGIES, "strategies"),
)
SCOPE = {"currency": "EUR", "strategies": ["laws", "education"]}


def answered(**fields) -> AnswerForm:
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    form = AnswerForm(TYPED, formdata=data, scope=SCOPE)
    form.validate()
    return form


def test_the_schema_accepts_the_three_types(ctx):
    forms.check(TYPED)


@pytest.mark.parametrize(
    "breaks",
    [
        lambda q: q[0].update(limits={"min": "NaN"}),
        lambda q: q[0].update(limits={"min": "1e5"}),
        lambda q: q[0].update(limits={"min": "-5"}),
        lambda q: q[0].update(limits={"max": "10.555"}),
        lambda q: q[0].update(limits={"min": "500", "max": "100"}),
        lambda q: q[1].update(limits={}),
        lambda q: q[1].update(limits={"multiple": "yes"}),
        lambda q: q[3].update(other=True),
    ],
    ids=[
        "NaN bound",
        "exponent bound",
        "negative bound",
        "three decimals",
        "min above max",
        "country without setting",
        "country setting not boolean",
        "other on strategies",
    ],
)
def test_the_schema_refuses_broken_questions_of_the_new_types(ctx, breaks):
    bad = copy.deepcopy(TYPED)
    breaks(bad["sections"][0]["questions"])
    with pytest.raises(forms.DefinitionInvalid) as refused:
        forms.check(bad)
    assert str(refused.value)


@pytest.mark.parametrize(
    "qid, value, stored",
    [
        (MONEY, "1500.5", "1500.50"),
        (MONEY, " 100 ", "100.00"),
        (ONE, "KE", ["KE"]),
        (ONE, "", None),
        (SEVERAL, ["KE", "ug", "KE"], ["KE", "UG"]),
        (STRATEGIES, ["education", "laws"], ["education", "laws"]),
    ],
)
def test_a_valid_answer_of_each_new_type_is_stored(ctx, qid, value, stored):
    form = answered(**{qid: value})
    assert form.errors == {}
    assert form.answers == ({qid: stored} if stored is not None else {})


@pytest.mark.parametrize(
    "qid, value, message",
    [
        (MONEY, "NaN", "Write an amount with digits"),
        (MONEY, "1e4", "Write an amount with digits"),
        (MONEY, "Infinity", "Write an amount with digits"),
        (MONEY, "12,50", "Write an amount with digits"),
        (MONEY, "-200", "Give an amount of zero or more."),
        (MONEY, "150.555", "Use at most 2 decimals."),
        (MONEY, "50000.01", "Give an amount of at most 50000."),
        (MONEY, "99.99", "Give an amount of at least 100."),
        (ONE, "ZZ", "Choose countries from the list."),
        (ONE, "KEN", "Choose countries from the list."),
        (ONE, ["KE", "UG"], "Choose one country only."),
        (SEVERAL, ["KE", "<script>"], "Choose countries from the list."),
        (STRATEGIES, ["income"], "Choose from the strategies of this call."),
        (STRATEGIES, ["not_a_strategy"], "Choose from the strategies of this call."),
    ],
)
def test_a_hostile_or_wrong_answer_gets_a_field_message(ctx, qid, value, message):
    form = answered(**{qid: value})
    assert message in form.errors[qid] and form.answers == {}


def test_submission_checks_strategies_against_the_call_as_it_stands(ctx):
    """A strategy later taken out of the call's scope is a problem at submission."""
    stored = {STRATEGIES: ["laws", "income"], MONEY: "200.00"}
    own = {**TYPED, "sections": TYPED["sections"][:1]}  # without the standard form's texts
    problems = answer_problems(own, stored, SCOPE)
    assert [(qid, message) for qid, _label, message in problems] == [
        (STRATEGIES, "Choose from the strategies of this call.")
    ]


def test_answers_read_with_the_currency_and_the_names(ctx):
    money, one, several, strategies = TYPED["sections"][0]["questions"]
    assert answer_text(money, "1500.50", "EUR") == "€1,500.50"
    assert answer_text(several, ["KE", "UG"]) == "Kenya; Uganda"
    assert answer_text(strategies, ["laws"]) == "Implementation and enforcement of laws"
    assert answer_text(one, []) == ""
    assert limit_text(money, "EUR") == "An amount in EUR. From €100.00 to €50,000.00."
    assert limit_text(one) == "Choose one country." and "more" in limit_text(several)


@pytest.mark.parametrize(
    "index, change, refused",
    [
        (0, {"limits": {"min": "200", "max": "50000"}}, True),
        (0, {"limits": {"min": "100", "max": "40000"}}, True),
        (0, {"limits": {"min": None, "max": "90000"}}, False),
        (1, {"limits": {"multiple": True}}, True),
        (2, {"limits": {"multiple": False}}, True),
        (3, {"label": "Which strategies, again?"}, False),
    ],
    ids=[
        "money min raised",
        "money max lowered",
        "money widened",
        "country one to several",
        "country several to one",
        "strategies relabelled",
    ],
)
def test_the_lock_treats_the_new_types_like_the_others(ctx, index, change, refused):
    after = copy.deepcopy(TYPED)
    after["sections"][0]["questions"][index].update(change)
    assert bool(invalidating_changes(TYPED, after)) is refused
