"""Form definitions: the schema and its rules, and what the lock refuses once answers exist."""

from __future__ import annotations

import copy

import pytest

from fund.forms_def import definition as forms
from fund.forms_def.changes import invalidating_changes
from fund.forms_def.standard import core_sections


def question(qid="q_00000001", kind="yes_no", **extra) -> dict:
    base = {"id": qid, "type": kind, "label": "Question?", "required": False}
    return {**base, **extra}


def form_of(*questions) -> dict:
    """A proposal form: a section of `questions`, then the standard form's sections (with the
    core questions every proposal form must keep)."""
    return {
        "schema": 1,
        "sections": [
            {"id": "s_00000001", "title": "Own", "questions": list(questions)},
            *core_sections(),
        ],
    }


GOOD = form_of(
    question("q_00000001", "yes_no"),
    question(
        "q_00000002",
        "long_text",
        limits={"max": 1500, "unit": "characters"},
        condition={"question": "q_00000001", "values": ["yes"]},
    ),
    question("q_00000003", "number", limits={"min": "0", "max": "100.5", "decimals": 1}),
    question("q_00000004", "date", limits={"min": "2027-01-01", "max": None}),
    question(
        "q_00000005",
        "single_choice",
        other=True,
        choices=[{"id": "c_00000001", "label": "Schools"}],
    ),
    question("q_00000006", "short_text", limits={"max": 80}),
)


def test_a_good_definition_passes(ctx):
    """Every type of this slice, with limits and a condition, is accepted."""
    forms.check(GOOD)
    assert forms.empty()["sections"] == []


@pytest.mark.parametrize(
    "breaks",
    [
        lambda f: f["sections"][0]["questions"][0].update(type="spreadsheet"),
        lambda f: f["sections"][0]["questions"][1]["limits"].pop("unit"),
        lambda f: f["sections"][0]["questions"][1]["limits"].update(max=5000, unit="words"),
        lambda f: f["sections"][0]["questions"][2]["limits"].update(min="NaN"),
        lambda f: f["sections"][0]["questions"][2]["limits"].update(min="200"),
        lambda f: f["sections"][0]["questions"][3]["limits"].update(min="2027-02-30"),
        lambda f: f["sections"][0]["questions"][4].update(choices=[]),
        lambda f: f["sections"][0]["questions"][5].update(id="q_00000001"),
        lambda f: f["sections"][0]["questions"][0].update(label=""),
        lambda f: f["sections"][0]["questions"][0].update(other=True),
        lambda f: f["sections"][0]["questions"][1].update(
            condition={"question": "q_00000006", "values": ["yes"]}
        ),
        lambda f: f["sections"][0]["questions"][1].update(
            condition={"question": "q_00000001", "values": ["maybe"]}
        ),
        lambda f: f.update(retired_ids=["q_00000003"]),
        lambda f: f.update(extra=1),
    ],
    ids=[
        "unknown type",
        "no unit",
        "too many words",
        "NaN limit",
        "min above max",
        "no such date",
        "no choices",
        "id twice",
        "empty label",
        "other on yes/no",
        "condition on later question",
        "condition value not offered",
        "retired id reused",
        "unknown key",
    ],
)
def test_a_bad_definition_is_refused_with_a_message(ctx, breaks):
    """Each broken rule raises DefinitionInvalid with a message, never another error."""
    bad = copy.deepcopy(GOOD)
    breaks(bad)
    with pytest.raises(forms.DefinitionInvalid) as refused:
        forms.check(bad)
    assert str(refused.value)


def test_new_ids_are_never_reused(ctx):
    """A new id is neither in the form nor among the retired ones."""
    form = copy.deepcopy(GOOD)
    form["retired_ids"] = [f"q_{n:08x}" for n in range(50)]
    ids = {forms.new_id(form, "q") for _ in range(200)}
    assert not ids & (set(form["retired_ids"]) | set(forms.all_ids(form)))


@pytest.mark.parametrize(
    "change, refused",
    [
        (lambda f: f["sections"][0]["questions"].pop(5), True),
        (
            lambda f: f["sections"][0]["questions"][5].update(
                type="long_text", limits={"max": 80, "unit": "characters"}
            ),
            True,
        ),
        (lambda f: f["sections"][0]["questions"][5]["limits"].update(max=79), True),
        (lambda f: f["sections"][0]["questions"][2]["limits"].update(decimals=0), True),
        (lambda f: f["sections"][0]["questions"][3]["limits"].update(max="2030-01-01"), True),
        (lambda f: f["sections"][0]["questions"][4].update(other=False), True),
        (lambda f: f["sections"][0]["questions"][0].update(required=True), True),
        (lambda f: f["sections"][0]["questions"][5]["limits"].update(max=500), False),
        (lambda f: f["sections"][0]["questions"][0].update(label="Reworded?", help="More"), False),
        (
            lambda f: f["sections"][0]["questions"][4]["choices"].append(
                {"id": "c_00000002", "label": "Clinics"}
            ),
            False,
        ),
        (lambda f: f["sections"][0]["questions"].reverse(), False),
    ],
)
def test_the_lock_refuses_only_changes_that_break_answers(ctx, change, refused):
    """Removing, retyping, tightening, dropping an answer or requiring are refused; wording,
    loosening, new answers and order are not."""
    new = copy.deepcopy(GOOD)
    change(new)
    assert bool(invalidating_changes(GOOD, new)) is refused
