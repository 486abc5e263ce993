"""Budget rows added and removed without JavaScript (each button saves the draft), and an edit
page whose number of queries does not grow with the lines and attachments."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import secrets
from decimal import Decimal

import pytest

from fund.extensions import db
from fund.models import BudgetLine, ProposalAttachment, StoredFile
from tests.conftest import count_queries, login
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    colleague,
    draft,
    form_data,
    member,
    organisation,
)

THREE = [
    ("personnel", "Facilitators", "100"),
    ("travel", "Buses", "20.50"),
    ("materials", "Posters", "3"),
]


def edit_url(proposal) -> str:
    return f"/proposals/{proposal.id}/edit"


def rows_on(page: str) -> int:
    return page.count("data-budget-line>")


def test_a_new_draft_shows_one_empty_row(client, member, draft):
    """With no budget yet there is one row to fill in, and the template row for the script."""
    login(client, member)
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert rows_on(page) == 2  # one row and the <template> copy
    assert 'name="budget_lines-0-amount"' in page
    assert 'name="budget_lines-__index__-amount"' in page


def test_add_budget_line_saves_and_shows_a_row_more(client, member, draft):
    """ "Add budget line" saves what was typed, then the form comes back with an empty row more."""
    login(client, member)
    data = form_data(draft, lines=THREE[:1], title="Saved on the way", add_line="1")
    response = client.post(edit_url(draft), data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{edit_url(draft)}?blank_lines=1#budget"
    assert draft.title == "Saved on the way"
    assert [line.description for line in draft.budget_lines] == ["Facilitators"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert rows_on(page) == 3
    assert 'name="budget_lines-1-amount" type="text" value=""' in page


def test_adding_again_keeps_the_empty_rows(client, member, draft):
    """Pressing Add with one empty row on screen gives two empty rows, not one."""
    login(client, member)
    data = form_data(draft, lines=THREE[:1] + [("personnel", "", "")], add_line="1")
    response = client.post(edit_url(draft), data=data)
    assert response.headers["Location"].endswith("?blank_lines=2#budget")
    assert len(draft.budget_lines) == 1


def test_remove_takes_out_that_row_and_saves(client, member, draft):
    """ "Remove" on the second of three rows keeps the first and third, and the total follows."""
    login(client, member)
    client.post(edit_url(draft), data=form_data(draft, lines=THREE))
    assert draft.amount_requested == Decimal("123.50")
    response = client.post(edit_url(draft), data=form_data(draft, remove_line="1"))
    assert response.status_code == 302
    assert [line.description for line in draft.budget_lines] == ["Facilitators", "Posters"]
    assert [line.position for line in draft.budget_lines] == [0, 1]
    assert draft.amount_requested == Decimal("103.00")
    assert db.session.scalar(db.select(db.func.count(BudgetLine.id))) == 2


def test_a_row_with_a_bad_amount_can_still_be_removed(client, member, draft):
    """Removing the row that has the mistake removes the mistake; the rest is saved."""
    login(client, member)
    data = form_data(
        draft, lines=[("personnel", "Good", "10"), ("other", "Bad", "ten")], remove_line="1"
    )
    assert client.post(edit_url(draft), data=data).status_code == 302
    assert [line.description for line in draft.budget_lines] == ["Good"]


def test_empty_rows_are_left_out(client, member, draft):
    """A row with neither description nor amount is not stored; one with only an amount is."""
    login(client, member)
    data = form_data(
        draft, lines=[("personnel", "", ""), ("travel", "", "5"), ("other", "   ", "")]
    )
    assert client.post(edit_url(draft), data=data).status_code == 302
    assert [(line.category, line.amount) for line in draft.budget_lines] == [
        ("travel", Decimal("5.00"))
    ]


def test_a_row_without_an_amount_counts_as_zero(client, member, draft):
    """A described row whose amount is not known yet is kept, at zero."""
    login(client, member)
    client.post(edit_url(draft), data=form_data(draft, lines=[("personnel", "Trainer", "")]))
    assert [(line.description, line.amount) for line in draft.budget_lines] == [
        ("Trainer", Decimal("0.00"))
    ]


def test_add_with_a_mistake_shows_the_mistake_and_a_row_more(client, member, draft):
    """If the form is refused, the extra row is added to what was typed, and nothing is saved."""
    login(client, member)
    data = form_data(draft, lines=[("personnel", "Trainer", "-1")], add_line="1")
    response = client.post(edit_url(draft), data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "An amount cannot be negative." in page
    assert rows_on(page) == 3
    assert draft.budget_lines == [] and draft.lock_version == 1


# --- query counts -----------------------------------------------------------------------------


def fill(proposal, n: int) -> None:
    """`n` budget lines and `n` attachments."""
    for i in range(n):
        proposal.budget_lines.append(
            BudgetLine(position=i, category="other", description=f"Line {i}", amount=Decimal(i))
        )
        stored = StoredFile(
            storage_name=secrets.token_hex(16),
            original_name=f"file{i}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            organisation_id=proposal.organisation_id,
        )
        db.session.add(stored)
        db.session.flush()
        proposal.attachments.append(ProposalAttachment(file_id=stored.id))
    db.session.commit()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_edit_page_queries_do_not_grow_with_lines_and_attachments(
    client, member, organisation, method
):
    """2 lines and 2 attachments cost as many queries as 30 and 30, to show or to refuse."""
    from tests.conftest import make_proposal

    counts = []
    login(client, member)
    for n in (2, 30):
        proposal = make_proposal(organisation)
        fill(proposal, n)
        data = form_data(proposal, duration_months="zero")  # refused: the page is shown again
        with count_queries() as statements:
            if method == "GET":
                response = client.get(edit_url(proposal))
            else:
                response = client.post(edit_url(proposal), data=data)
        assert response.status_code == (200 if method == "GET" else 400)
        assert f"file{n - 1}.pdf" in response.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
