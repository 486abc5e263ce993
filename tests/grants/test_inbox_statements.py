"""The reports inbox's statements are built once and run with each request's values: the day,
the call, the organisations hidden from a conflicted chair and the page."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from fund.grants import inbox
from tests.grants.conftest import TODAY, build_grant


def _ids(pages) -> dict[str, list[int]]:
    return {key: [row.id for row in page.items] for key, page in pages.items()}


def test_each_request_binds_its_own_day_call_and_hidden_organisations(ctx):
    world = build_grant()
    interim, organisation = world.interim, world.grant.organisation_id
    call_id = world.grant.proposal.call_id
    assert _ids(inbox.inbox(None, TODAY))["due_soon"] == [interim.id]
    later = TODAY + timedelta(days=20)  # the interim report is 10 days late by then
    assert _ids(inbox.inbox(None, later))["overdue"] == [interim.id]
    assert _ids(inbox.inbox(None, later))["due_soon"] == []
    assert _ids(inbox.inbox(call_id, TODAY))["due_soon"] == [interim.id]
    assert _ids(inbox.inbox(call_id + 1000, TODAY))["due_soon"] == []
    hidden = inbox.inbox(None, TODAY, hidden_organisation_ids={organisation})
    assert hidden["due_soon"].items == [] and hidden["due_soon"].total == 0
    shown = inbox.inbox(call_id, TODAY, hidden_organisation_ids={organisation + 1000})
    assert _ids(shown)["due_soon"] == [interim.id]
    alone = inbox.inbox(None, TODAY, "due_soon", page=7)
    assert list(alone) == ["due_soon"] and alone["due_soon"].page == 1


def test_the_statements_are_built_once_and_only_run_afterwards(ctx):
    """Building the inbox's four statements each request took longer than running them."""
    world = build_grant()
    call_id, hidden = world.grant.proposal.call_id, {world.grant.organisation_id}
    asked = [(None, set()), (call_id, set()), (None, hidden), (call_id, hidden)]
    first = [_ids(inbox.inbox(c, TODAY, hidden_organisation_ids=h)) for c, h in asked]
    with mock.patch.object(inbox, "select", wraps=inbox.select) as built:
        again = [_ids(inbox.inbox(c, TODAY, hidden_organisation_ids=h)) for c, h in asked]
    assert again == first
    assert built.call_count == 0
