"""The secretariat builds a table question: adds it, sets its columns (label, type, required),
its most rows and totals on its page; bad input is a clear 400, and once proposals are in a
column can be relabelled or added (optional) but not removed, retyped or made required."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.forms_def import definition as forms
from fund.models import Role
from tests.calls.test_form_builder import submitted_to
from tests.conftest import login, make_call, make_user
from tests.forms_def.building import LINES, table_question


def the_question(call, qid):
    db.session.refresh(call)
    return forms.find_question(call.proposal_form, qid)[1]


def column_fields(question, **changes) -> dict:
    """The question page's fields as shown, with `changes` (field name -> value) applied."""
    data = {"label": question["label"], "max_rows": str(question["limits"]["max_rows"])}
    if question["limits"]["totals"]:
        data["totals"] = "y"
    for column in question["columns"]:
        name = f"column-{column['id']}"
        data[f"{name}-label"] = column["label"]
        data[f"{name}-type"] = column["type"]
        if column["required"]:
            data[f"{name}-required"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_table_question_is_added_with_one_column_and_edited_on_its_page(client):
    call = make_call()
    admin = make_user(Role.ADMIN)
    login(client, admin)
    client.post(f"/calls/{call.id}/form/sections", data={"title": "Budget"})
    db.session.refresh(call)
    section = call.proposal_form["sections"][0]["id"]
    response = client.post(
        f"/calls/{call.id}/form/sections/{section}/questions",
        data={"type": "table", "label": LINES},
    )
    assert response.status_code == 302
    qid = call.proposal_form["sections"][0]["questions"][0]["id"]
    question = the_question(call, qid)
    assert [c["label"] for c in question["columns"]] == ["Item"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Column label" in page and "Add a column (optional)" in page
    assert "Most rows an applicant may give" in page
    response = client.post(
        f"/calls/{call.id}/form/questions/{qid}",
        data=column_fields(
            question,
            max_rows="12",
            totals="y",
            **{
                "new-column-label": "Amount",
                "new-column-type": "money",
                "new-column-required": "y",
            },
        ),
    )
    assert response.status_code == 302
    question = the_question(call, qid)
    assert question["limits"] == {"max_rows": 12, "totals": True}
    assert [(c["label"], c["type"], c["required"]) for c in question["columns"]] == [
        ("Item", "text", False),
        ("Amount", "money", True),
    ]
    assert question["columns"][1]["id"].startswith("k_")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"max_rows": "51"}, "Give 1 to 50."),
        ({"max_rows": "0"}, "Give 1 to 50."),
        ({"new-column-label": "Date", "new-column-type": "date"}, "Choose a column type"),
        ({"new-column-label": "x" * 201}, "at most 200 characters"),
        (
            {"column-{item}-label": "", "column-{amount}-label": "", "column-{people}-label": ""},
            "A table needs at least one column.",
        ),
        (
            {"column-{amount}-type": "text", "column-{people}-type": "text"},
            "totals need a number or money",
        ),
    ],
    ids=["too many rows", "no rows", "unknown type", "long label", "no column", "totals of text"],
)
def test_bad_table_settings_get_a_clear_400_and_change_nothing(client, change, message):
    call, qid, (item, amount, people) = table_question()
    question = the_question(call, qid)
    change = {k.format(item=item, amount=amount, people=people): v for k, v in change.items()}
    before = forms.load(call.proposal_form)
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/calls/{call.id}/form/questions/{qid}", data=column_fields(question, **change)
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.refresh(call)
    assert call.proposal_form == before


@pytest.mark.parametrize(
    "change, refused",
    [
        ({"column-{amount}-label": ""}, "The column “Amount” cannot be removed."),
        ({"column-{amount}-type": "number"}, "The type of the column “Amount” cannot change."),
        ({"column-{amount}-required": "y"}, "The column “Amount” cannot become required."),
        ({"max_rows": "4"}, "The limits of “Budget lines from other donors” cannot be tightened."),
        (
            {"new-column-label": "Notes", "new-column-required": "y"},
            "A new column “Notes” must be optional.",
        ),
        ({"column-{amount}-label": "Amount (EUR)", "new-column-label": "Notes"}, None),
    ],
    ids=["remove", "retype", "require", "fewer rows", "new required", "relabel and add"],
)
def test_after_the_first_submission_the_columns_are_locked(client, change, refused):
    call, qid, (item, amount, people) = table_question()
    submitted_to(call)
    question = the_question(call, qid)
    login(client, make_user(Role.ADMIN))
    change = {k.format(amount=amount): v for k, v in change.items()}
    response = client.post(
        f"/calls/{call.id}/form/questions/{qid}", data=column_fields(question, **change)
    )
    if refused is None:
        assert response.status_code == 302
        labels = [c["label"] for c in the_question(call, qid)["columns"]]
        assert labels == ["Item", "Amount (EUR)", "People", "Notes"]
    else:
        assert response.status_code == 400
        assert refused in response.get_data(as_text=True)
