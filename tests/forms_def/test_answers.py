"""Answers checked by type and limit; conditions evaluated on the server; hostile input gets a
field message (or, for a question the form does not have, is dropped), never an exception."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from fund.forms_def.validate import AnswerForm, answer_problems
from tests.forms_def.test_definition import GOOD


def answered(**fields) -> AnswerForm:
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name.replace("__", "-"), item)
    form = AnswerForm(GOOD, formdata=data)
    form.validate()
    return form


@pytest.mark.parametrize(
    "qid, value, stored",
    [
        ("q_00000001", "yes", "yes"),
        ("q_00000003", "12.5", "12.5"),
        ("q_00000003", " 7 ", "7"),
        ("q_00000004", "2027-06-01", "2027-06-01"),
        ("q_00000005", "c_00000001", {"choices": ["c_00000001"], "other": ""}),
        ("q_00000006", "A short answer", "A short answer"),
    ],
)
def test_a_valid_answer_of_each_type_is_stored(ctx, qid, value, stored):
    form = answered(**{qid: value})
    assert form.errors == {} and form.answers == {qid: stored}


@pytest.mark.parametrize(
    "qid, value",
    [
        ("q_00000001", "maybe"),
        ("q_00000003", "NaN"),
        ("q_00000003", "Infinity"),
        ("q_00000003", "1e400"),
        ("q_00000003", "12.55"),
        ("q_00000003", "101"),
        ("q_00000003", "-1"),
        ("q_00000003", "twelve"),
        ("q_00000004", "2026-12-31"),
        ("q_00000004", "2027-02-30"),
        ("q_00000004", "tomorrow"),
        ("q_00000005", "c_ffffffff"),
        ("q_00000005", "other"),
        ("q_00000006", "x" * 81),
        ("q_00000006", "bad\x00byte"),
    ],
)
def test_a_hostile_or_wrong_answer_gets_a_message_and_is_kept_as_typed(ctx, qid, value):
    """Wrong type, out of range, NaN, a choice not offered, over-long: a message on the field,
    and the typed value stays to be shown again."""
    form = answered(**{qid: value})
    assert qid in form.errors and form.errors[qid]
    assert qid not in form.answers
    assert form.raw[qid] == value or form.raw[qid][0] == [value]


def test_several_choices_in_a_single_choice_are_refused(ctx):
    form = answered(q_00000005=["c_00000001", "other"], q_00000005__other="Clinics")
    assert form.errors["q_00000005"] == "Choose one answer only."


def test_other_please_say_keeps_its_text(ctx):
    form = answered(q_00000005="other", q_00000005__other="Clinics")
    assert form.answers["q_00000005"] == {"choices": ["other"], "other": "Clinics"}


def test_a_question_the_form_does_not_have_is_dropped(ctx):
    form = answered(q_deadbeef="injected", q_00000006="Kept")
    assert form.errors == {} and form.answers == {"q_00000006": "Kept"}


def test_an_answer_to_a_question_hidden_by_its_condition_is_refused_by_the_field(ctx):
    """The follow-up is asked only after "yes": answered after "no", it gets a message saying
    why, and nothing of the form is kept for storing."""
    form = answered(q_00000001="no", q_00000002="We train every facilitator.")
    assert form.errors == {
        "q_00000002": "You answered this, but it applies only if “Question?” is Yes: clear it "
        "or change that answer."
    }
    assert form.raw["q_00000002"] == "We train every facilitator."  # kept for the page
    form = answered(q_00000001="yes", q_00000002="We train every facilitator.")
    assert form.errors == {} and form.answers["q_00000002"] == "We train every facilitator."


def test_a_wrong_answer_to_the_condition_is_the_one_message_not_the_follow_up_too(ctx):
    form = answered(q_00000001="perhaps", q_00000002="We train every facilitator.")
    assert form.errors == {"q_00000001": "Answer yes or no."}


def test_a_draft_may_leave_required_answers_out_but_submission_may_not(ctx):
    """Required answers are checked only at submission, and only when the question is asked."""
    required = {**GOOD, "sections": [dict(GOOD["sections"][0])]}
    required["sections"][0]["questions"] = [
        dict(q, required=q["id"] == "q_00000002") for q in GOOD["sections"][0]["questions"]
    ]
    assert AnswerForm(required, formdata=MultiDict({"q_00000001": "yes"})).validate()
    assert answer_problems(required, {"q_00000001": "no"}) == []
    problems = answer_problems(required, {"q_00000001": "yes"})
    assert [(qid, message) for qid, _label, message in problems] == [
        ("q_00000002", "Answer this question.")
    ]


def test_word_limits_count_words(ctx):
    words = {**GOOD, "sections": [dict(GOOD["sections"][0])]}
    words["sections"][0]["questions"] = [
        dict(q, limits={"max": 3, "unit": "words"}) if q["id"] == "q_00000002" else q
        for q in GOOD["sections"][0]["questions"]
    ]
    ok = AnswerForm(
        words, formdata=MultiDict({"q_00000001": "yes", "q_00000002": "one two  three"})
    )
    too_long = AnswerForm(words, formdata=MultiDict({"q_00000001": "yes", "q_00000002": "a b c d"}))
    assert ok.validate() and not too_long.validate()
    assert "3 words" in too_long.errors["q_00000002"]
