"""Table questions in the definition: the schema's branch, the rules, the page budget, the
checks on rows, and the answer as text."""

from __future__ import annotations

import copy

import pytest

from fund.forms_def import definition as forms
from fund.forms_def.display import answer_text, table_view
from fund.forms_def.validate import AnswerForm
from tests.forms_def.test_definition import form_of, question

COLUMNS = [
    {"id": "k_00000001", "label": "Item", "type": "text", "required": True},
    {"id": "k_00000002", "label": "Amount", "type": "money", "required": False},
    {"id": "k_00000003", "label": "People", "type": "number", "required": False},
]
TABLE = question("q_00000001", "table", columns=COLUMNS, limits={"max_rows": 10, "totals": True})


def test_the_schema_accepts_a_table(ctx):
    forms.check(form_of(TABLE))


@pytest.mark.parametrize(
    "breaks, message",
    [
        (lambda q: q.pop("columns"), "not valid"),
        (lambda q: q.update(columns=[]), "not valid"),
        (lambda q: q["columns"][0].update(type="date"), "not valid"),
        (lambda q: q["columns"][0].update(id="c_00000001"), "not valid"),
        (lambda q: q["limits"].update(max_rows=51), "not valid"),
        (lambda q: q["limits"].pop("totals"), "not valid"),
        (lambda q: q["columns"][1].update(id="k_00000001"), "used twice"),
        (lambda q: q.update(columns=COLUMNS[:1]), "totals need a number or money column"),
        (lambda q: q.update(columns=COLUMNS * 3), "not valid"),  # more than 8 columns
    ],
    ids=[
        "no columns",
        "empty columns",
        "column type",
        "column id",
        "rows",
        "no totals flag",
        "id twice",
        "totals of text",
        "too many columns",
    ],
)
def test_the_schema_and_rules_refuse_broken_tables(ctx, breaks, message):
    table = copy.deepcopy(TABLE)
    breaks(table)
    with pytest.raises(forms.DefinitionInvalid, match=message):
        forms.check(form_of(table))


def test_a_table_too_big_for_the_page_is_refused_by_the_budget(ctx):
    wide = [
        {"id": f"k_0000000{n}", "label": f"Column {n}", "type": "text", "required": False}
        for n in range(1, 9)
    ]
    table = question("q_00000001", "table", columns=wide, limits={"max_rows": 50, "totals": False})
    with pytest.raises(forms.DefinitionInvalid, match="too long for the proposal page"):
        forms.check(form_of(table))


def post(**fields) -> AnswerForm:
    from werkzeug.datastructures import MultiDict

    form = AnswerForm(form_of(TABLE), formdata=MultiDict(fields))
    form.validate()
    return form


def test_rows_are_checked_cell_by_cell_with_errors_by_row_and_column(ctx):
    form = post(
        **{
            "q_00000001-0-k_00000001": "Books",
            "q_00000001-0-k_00000002": "12.345",
            "q_00000001-2-k_00000003": "4",
        }
    )
    assert form.errors == {"q_00000001": "Correct the cells marked in the table."}
    assert form.cell_errors == {
        "q_00000001": {
            (0, "k_00000002"): "Use at most 2 decimals.",
            (1, "k_00000001"): "Fill in this cell.",
        }
    }


def test_a_table_answer_reads_as_a_table_and_as_text_with_totals(ctx):
    rows = [
        {"k_00000001": "Books", "k_00000002": "10.50", "k_00000003": "3"},
        {"k_00000001": "Hall"},
    ]
    view = table_view(TABLE, rows, "EUR")
    assert view["columns"] == ["Item", "Amount", "People"]
    assert view["rows"] == [["Books", "€10.50", "3"], ["Hall", "", ""]]
    assert view["totals"] == ["", "€10.50", "3"]
    assert answer_text(TABLE, rows, "EUR") == (
        "Item: Books; Amount: €10.50; People: 3\nItem: Hall\nTotal: Amount: €10.50; People: 3"
    )
