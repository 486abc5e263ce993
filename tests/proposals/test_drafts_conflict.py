"""Several members on one draft: a save over a newer version is refused with both versions
shown, never silently overwritten; autosave answers in JSON."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

from decimal import Decimal

import pytest

from fund import clock
from fund.extensions import db
from fund.models import Proposal
from fund.proposals import drafts
from tests.conftest import login
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    colleague,
    draft,
    form_data,
    member,
    organisation,
)


def edit_url(proposal) -> str:
    return f"/proposals/{proposal.id}/edit"


def autosave_url(proposal) -> str:
    return f"/proposals/{proposal.id}/autosave"


@pytest.fixture
def colleague_saved(app, draft, colleague):
    """The colleague saves version 2 in another browser, after the member opened version 1."""
    other = app.test_client()
    login(other, colleague)
    data = form_data(
        draft,
        title="Colleague's title",
        summary="Colleague's summary",
        lines=[("travel", "Colleague's buses", "400")],
    )
    assert other.post(edit_url(draft), data=data).status_code == 302
    db.session.expire_all()
    return draft


def test_a_save_over_a_newer_version_is_refused_with_both_versions(client, member, colleague_saved):
    """409: the saved version (with who and when) beside what the member typed, still in a form
    that carries the new version number; the database keeps the colleague's version."""
    login(client, member)
    typed = form_data(
        colleague_saved,
        lock_version="1",
        title="My title",
        summary="My summary",
        lines=[("personnel", "My trainer", "100")],
    )
    response = client.post(edit_url(colleague_saved), data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This draft was changed while you were editing it" in page
    assert "Joseph Mugisha saved this draft on" in page
    assert "Colleague&#39;s summary" in page and "Colleague&#39;s buses" in page
    assert 'value="My title"' in page and "My summary" in page and 'value="My trainer"' in page
    assert 'name="lock_version" type="hidden" value="2"' in page
    assert (colleague_saved.title, colleague_saved.lock_version) == ("Colleague's title", 2)
    assert colleague_saved.amount_requested == Decimal("400.00")


def test_the_merged_form_can_then_be_saved(client, member, colleague_saved):
    """Sending the conflict page's form (now on version 2) saves version 3."""
    login(client, member)
    merged = form_data(colleague_saved, lock_version="2", title="Merged title")
    assert client.post(edit_url(colleague_saved), data=merged).status_code == 302
    assert (colleague_saved.title, colleague_saved.lock_version) == ("Merged title", 3)
    assert colleague_saved.updated_by_id == member.id


def test_the_service_compares_and_sets_the_version(ctx, member, draft):
    """save_draft with a stale version raises DraftConflict and changes nothing."""
    drafts.save_draft(draft, {"title": "First"}, member, expected_version=1)
    db.session.commit()
    with pytest.raises(drafts.DraftConflict):
        drafts.save_draft(draft, {"title": "Second"}, member, expected_version=1)
    db.session.rollback()
    assert db.session.get(Proposal, draft.id).title == "First"
    assert db.session.get(Proposal, draft.id).lock_version == 2


def test_a_draft_submitted_meanwhile_is_not_changed(ctx, member, draft):
    """The compare-and-set also refuses a draft that left the editable states."""
    draft.state = "submitted"
    db.session.commit()
    with pytest.raises(drafts.DraftConflict):
        drafts.save_draft(draft, {"title": "Late"}, member, expected_version=1)
    db.session.rollback()
    assert db.session.get(Proposal, draft.id).title == "Safe schools"


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_saves_and_answers_the_new_version(client, member, draft, monkeypatch):
    """200 JSON with the new version and the time; the draft is saved like with the button."""
    from datetime import UTC, datetime

    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 1, 10, 42, tzinfo=UTC))
    login(client, member)
    response = client.post(
        autosave_url(draft),
        data=form_data(draft, summary="Autosaved"),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json == {
        "saved": True,
        "lock_version": 2,
        "saved_at": "2027-03-01T10:42:00+00:00",
        "saved_at_text": "10:42\u202fAM",
    }
    assert (draft.summary, draft.lock_version, draft.updated_by_id) == ("Autosaved", 2, member.id)


def test_autosave_over_a_newer_version_is_refused(client, member, colleague_saved):
    """409 JSON telling the user to press Save draft; no new version number is given out, so
    the page cannot overwrite the colleague's work on its next try."""
    login(client, member)
    response = client.post(
        autosave_url(colleague_saved),
        data=form_data(colleague_saved, lock_version="1", title="Mine"),
    )
    assert response.status_code == 409
    assert response.json["saved"] is False and response.json["conflict"] is True
    assert "Joseph Mugisha saved this draft" in response.json["message"]
    assert "lock_version" not in response.json
    assert colleague_saved.title == "Colleague's title"


def test_autosave_with_bad_input_answers_the_errors(client, member, draft):
    """400 JSON naming each field and its message; nothing is saved."""
    login(client, member)
    data = form_data(draft, summary="x" * 1501, lines=[("other", "Tea", "-1")])
    response = client.post(autosave_url(draft), data=data)
    assert response.status_code == 400
    assert response.json["saved"] is False
    assert response.json["errors"] == {
        "summary": "Use at most 1500 characters.",
        "budget_lines-0-amount": "An amount cannot be negative.",
    }
    assert (draft.summary, draft.lock_version) == ("", 1)


def test_autosave_ignores_files_and_buttons(client, member, draft):
    """An autosave never removes rows or attachments: only the typed values are stored."""
    login(client, member)
    data = form_data(
        draft,
        lines=[("other", "Tea", "1"), ("other", "Cake", "2")],
        remove_line="0",
        remove_attachment="5",
    )
    assert client.post(autosave_url(draft), data=data).status_code == 200
    assert [line.description for line in draft.budget_lines] == ["Tea", "Cake"]
