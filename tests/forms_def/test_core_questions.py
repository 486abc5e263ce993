"""The "INSPIRE standard proposal" template and the core questions: every proposal form asks each
typed field exactly once, always, and the template's five long texts keep today's limits."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from fund.forms_def import definition as forms
from fund.forms_def.schema import CORE_FIELDS, SCHEMA
from fund.forms_def.standard import (
    STANDARD_TEXT_IDS,
    STANDARD_TEXTS,
    TEMPLATE_PATH,
    core_questions,
    localized,
    standard_proposal_form,
)
from fund.rules.limits import STANDARD_TEXT_LIMITS
from tests.conftest import make_call


def test_the_shipped_template_follows_the_schema_and_the_rules(ctx):
    template = json.loads(TEMPLATE_PATH.read_text(encoding="utf-8"))
    assert list(Draft202012Validator(SCHEMA).iter_errors(template)) == []
    forms.check(template)
    assert list(core_questions(template)) == list(CORE_FIELDS)


def test_the_five_texts_are_required_long_texts_with_todays_limits(ctx):
    template = standard_proposal_form()
    for name, qid in STANDARD_TEXT_IDS.items():
        _section, question = forms.find_question(template, qid)
        assert question["type"] == "long_text" and question["required"] is True
        assert question["limits"] == {"max": STANDARD_TEXT_LIMITS[name], "unit": "characters"}


def test_every_text_of_the_template_is_read_in_the_readers_language(app):
    """Each title, label and help of the template is a catalogue string: unchanged, a French
    reader reads it in French; a text the secretariat rewrote is shown as written."""
    template = standard_proposal_form()
    texts = [s["title"] for s in template["sections"]] + [
        text for q in forms.questions(template) for text in (q["label"], q.get("help")) if text
    ]
    assert set(texts) <= set(STANDARD_TEXTS)
    template["sections"][0]["questions"][0]["label"] = "Name of the project"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        shown = localized(template)
    assert shown["sections"][1]["title"] == "Groupes cibles"
    assert shown["sections"][0]["questions"][0]["label"] == "Name of the project"


def test_a_new_call_starts_from_the_template(ctx):
    assert make_call().proposal_form == standard_proposal_form()


def first_core(form: dict) -> dict:
    return form["sections"][0]["questions"][0]


BROKEN = {
    "a core question removed": (
        lambda f: f["sections"][0]["questions"].pop(0),
        "can be renamed and moved, not removed",
    ),
    "a core question twice": (
        lambda f: f["sections"][1]["questions"].append(
            dict(first_core(f), id="q_0000aaaa", label="Title again")
        ),
        "is in the form twice",
    ),
    "a condition on a core question": (
        lambda f: first_core(f).update(
            condition={"question": STANDARD_TEXT_IDS["target_groups"], "values": ["yes"]}
        ),
        "not valid",
    ),
    "a core question made optional": (
        lambda f: first_core(f).update(required=False),
        "not valid",
    ),
    "limits on a core question": (
        lambda f: first_core(f).update(limits={"max": 10}),
        "not valid",
    ),
    "an unknown core field": (lambda f: first_core(f).update(field="income"), "not valid"),
    "a field on an ordinary question": (
        lambda f: f["sections"][1]["questions"][0].update(field="title"),
        "not valid",
    ),
}


@pytest.mark.parametrize("breaks, message", BROKEN.values(), ids=BROKEN.keys())
def test_the_check_refuses_a_form_that_breaks_a_core_question(ctx, breaks, message):
    form = standard_proposal_form()
    breaks(form)
    with pytest.raises(forms.DefinitionInvalid, match=message):
        forms.check(form)


def test_another_kind_of_form_need_not_ask_the_core_fields(ctx):
    """A form that is not a proposal form (a report's) is checked without them."""
    forms.check(forms.empty(), core_fields=())
    with pytest.raises(forms.DefinitionInvalid):
        forms.check(forms.empty())
