"""Applicants answer a table question: the form shows a real table with labelled cells, three
empty rows and "More rows" without JavaScript; bad cells get a 400 with the message beside the
cell and in the summary, nothing typed lost; pages, the printable version and the export show
the rows and totals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fund.extensions import db
from fund.models import Role
from fund.proposals import submission
from tests.conftest import count_queries, login, make_user
from tests.forms_def.building import LINES, table_question
from tests.proposals.drafting import form_data
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def draft(max_rows: int = 5):
    call, qid, columns = table_question(max_rows=max_rows)
    proposal = complete_proposal(call=call)
    return proposal, qid, columns


def cells(qid: str, columns: list[str], rows: list[tuple[str, ...]]) -> dict:
    """The form fields of `rows`, each a tuple of cell texts in column order."""
    return {
        f"{qid}-{n}-{column}": text
        for n, row in enumerate(rows)
        for column, text in zip(columns, row, strict=True)
    }


def save(client, proposal, fields: dict, **extra):
    return client.post(
        f"/proposals/{proposal.id}/edit", data=form_data(proposal, **fields, **extra)
    )


def test_the_form_shows_a_table_with_labelled_cells_and_three_empty_rows(client):
    proposal, qid, (item, amount, people) = draft()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert f'<fieldset id="{qid}"' in page and f"<legend>{LINES}" in page
    assert f'<th scope="col" id="{qid}-{item}">Item <span class="required">' in page
    assert f'<th scope="row" id="{qid}-r2">3</th>' in page
    assert f'id="{qid}-2-{amount}" name="{qid}-2-{amount}"' in page
    assert f'aria-labelledby="{qid}-{amount} {qid}-r2"' in page
    assert f'id="{qid}-3-{amount}"' not in page  # three empty rows, no more
    assert f'name="more_rows" value="{qid}"' in page
    assert "Up to 5 rows" in page


def test_good_rows_are_saved_keyed_by_column_and_blank_rows_dropped(client):
    proposal, qid, (item, amount, people) = draft()
    login(client, a_member(proposal))
    rows = [("Books", "1500.5", "12"), ("", "", ""), ("Hall", "", "")]
    assert save(client, proposal, cells(qid, [item, amount, people], rows)).status_code == 302
    assert proposal.answers == {
        qid: [{item: "Books", amount: "1500.50", people: "12"}, {item: "Hall"}]
    }
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert f'name="{qid}-1-{item}" value="Hall"' in page
    assert f'id="{qid}-4-{item}"' in page and f'id="{qid}-5-{item}"' not in page  # 2 + 3 rows


def test_more_rows_saves_and_comes_back_with_more_empty_rows(client):
    proposal, qid, (item, amount, people) = draft(max_rows=20)
    login(client, a_member(proposal))
    fields = cells(qid, [item, amount, people], [("Books", "10", "")])
    response = save(client, proposal, fields, more_rows=qid)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/edit?more_rows={qid}#{qid}")
    assert proposal.answers[qid] == [{item: "Books", amount: "10.00"}]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'id="{qid}-8-{item}"' in page and f'id="{qid}-9-{item}"' not in page  # 1 + 3 + 5


def test_the_rows_offered_stop_at_the_limit(client):
    proposal, qid, (item, amount, people) = draft(max_rows=2)
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert f'id="{qid}-1-{item}"' in page and f'id="{qid}-2-{item}"' not in page
    assert 'name="more_rows"' not in page


@pytest.mark.parametrize(
    "rows, cell, message",
    [
        ([("Books", "lots", "")], (0, 1), "Write an amount with digits"),
        ([("Books", "", "1.555")], (0, 2), "Use at most 2 decimals."),
        ([("Books", "-5", "")], (0, 1), "Give an amount of zero or more."),
        ([("", "10", "")], (0, 0), "Fill in this cell."),
        ([("x" * 501, "", "")], (0, 0), "Use at most 500 characters"),
        ([("Books", "=1+1", "")], (0, 1), "Write an amount with digits"),
    ],
    ids=["not an amount", "too many decimals", "negative", "required empty", "too long", "formula"],
)
def test_a_bad_cell_gets_a_400_beside_it_and_in_the_summary_and_keeps_the_typing(
    client, rows, cell, message
):
    proposal, qid, columns = draft()
    login(client, a_member(proposal))
    response = save(client, proposal, cells(qid, columns, rows + [("Hall", "20", "3")]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    name = f"{qid}-{cell[0]}-{columns[cell[1]]}"
    assert f'id="{name}-error">{message}' in page
    assert f'aria-describedby="{name}-error"' in page
    assert f'href="#{name}"' in page  # the summary links to the cell
    assert f'name="{qid}-1-{columns[0]}" value="Hall"' in page
    assert proposal.answers == {}


def test_more_rows_than_the_limit_are_refused_and_all_kept_on_the_page(client):
    proposal, qid, columns = draft(max_rows=2)
    login(client, a_member(proposal))
    rows = [(f"Line {n}", "1", "1") for n in range(3)]
    response = save(client, proposal, cells(qid, columns, rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Give at most 2 rows." in page and 'value="Line 2"' in page
    assert proposal.answers == {}


def test_cells_of_unknown_columns_and_rows_far_out_are_ignored(client):
    proposal, qid, (item, amount, people) = draft()
    login(client, a_member(proposal))
    fields = {f"{qid}-0-{item}": "Books", f"{qid}-0-k_ffffffff": "x", f"{qid}-99999-{item}": "y"}
    assert save(client, proposal, fields).status_code == 302
    assert proposal.answers == {qid: [{item: "Books"}]}


def submitted(client):
    proposal, qid, columns = draft()
    login(client, a_member(proposal))
    rows = [("Books", "1500.5", "12"), ("=HYPERLINK(1)", "20", "3")]
    assert save(client, proposal, cells(qid, columns, rows)).status_code == 302
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    return proposal


def test_pages_show_a_real_table_with_totals_and_the_export_one_cell(client):
    proposal = submitted(client)
    login(client, make_user(Role.ADMIN))
    for url in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/versions/1"):
        page = client.get(url).get_data(as_text=True)
        assert '<table class="answer-table">' in page
        assert '<th scope="col">Amount</th>' in page and '<th scope="row">Total</th>' in page
        assert "<td>€1,500.50</td>" in page and "<td>€1,520.50</td>" in page
        assert "<td>15</td>" in page
    text = client.get(f"/screening/calls/{proposal.call_id}/proposals.csv").get_data(as_text=True)
    assert LINES in text.splitlines()[0]
    assert "Item: Books; Amount: €1,500.50; People: 12" in text
    assert "Total: Amount: €1,520.50; People: 15" in text
    assert '"=HYPERLINK' not in text and ",=HYPERLINK" not in text


def queries_for(client, rows: int) -> int:
    proposal, qid, (item, amount, people) = draft(max_rows=50)
    proposal.answers = {qid: [{item: f"Line {n}", amount: "10"} for n in range(rows)]}
    db.session.commit()
    login(client, a_member(proposal))
    client.get(f"/proposals/{proposal.id}/edit")  # warm caches
    with count_queries() as statements:
        assert client.get(f"/proposals/{proposal.id}/edit").status_code == 200
    return len(statements)


def test_the_query_count_does_not_grow_with_the_rows(client):
    assert queries_for(client, 1) == queries_for(client, 40)
