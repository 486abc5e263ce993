"""The "Open call" and "Close call" buttons."""

from __future__ import annotations

import html
from datetime import timedelta

from fund.models import AuditEvent
from tests.calls.conftest import NOW, create_call


def test_open_call_publishes_it(client, admin, frozen):
    """ "Open call" sets the publication time; the call then shows on the home page."""
    call = create_call(published=False, title="Ready to go")
    assert "Ready to go" not in client.get("/").text
    response = client.post(f"/calls/{call.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == "/calls/manage"
    assert call.published_at == NOW
    event = AuditEvent.query.filter_by(action="open").one()
    assert (event.subject_type, event.subject_id, event.actor_id) == ("call", call.id, admin.id)
    assert "Ready to go" in client.get("/").text


def test_a_call_published_before_its_opening_waits_for_it(client, admin, frozen):
    """Published ahead of its opening time, a call is listed as coming, not open."""
    call = create_call(
        published=False,
        title="Next month",
        opens_at=NOW + timedelta(days=20),
        closes_at=NOW + timedelta(days=60),
    )
    client.post(f"/calls/{call.id}/open")
    assert call.published_at == NOW
    assert "Next month" not in client.get("/").text
    listing = client.get("/calls/").text
    assert listing.index("Opening soon") < listing.index("Next month")


def test_a_published_call_cannot_be_opened_again(client, admin, frozen):
    """A second "Open call" is refused and leaves the first publication time."""
    call = create_call()
    published = call.published_at
    response = client.post(f"/calls/{call.id}/open")
    assert response.status_code == 400
    assert "This call is already published." in response.text
    assert call.published_at == published
    assert AuditEvent.query.filter_by(action="open").count() == 0


def test_a_call_past_its_closing_time_cannot_be_opened(client, admin, frozen):
    """Opening a call whose closing time has passed is refused with what to do."""
    call = create_call(
        published=False, opens_at=NOW - timedelta(days=30), closes_at=NOW - timedelta(days=1)
    )
    response = client.post(f"/calls/{call.id}/open")
    assert response.status_code == 400
    assert "closing time has passed" in html.unescape(response.text)
    assert call.published_at is None


def test_close_call_closes_it_now(client, admin, frozen):
    """ "Close call" moves the closing time to now; the call leaves the home page."""
    call = create_call(title="Closing early")
    assert "Closing early" in client.get("/").text
    response = client.post(f"/calls/{call.id}/close")
    assert response.status_code == 302
    assert call.closes_at == NOW
    assert not call.is_open(NOW)
    event = AuditEvent.query.filter_by(action="close").one()
    assert (event.subject_type, event.subject_id, event.actor_id) == ("call", call.id, admin.id)
    assert "Closing early" not in client.get("/").text


def test_a_closed_call_cannot_be_closed_again(client, admin, frozen):
    """Closing a call that is already closed is refused and keeps its closing time."""
    closed_at = NOW - timedelta(days=1)
    call = create_call(opens_at=NOW - timedelta(days=30), closes_at=closed_at)
    response = client.post(f"/calls/{call.id}/close")
    assert response.status_code == 400
    assert "This call is already closed." in response.text
    assert call.closes_at == closed_at


def test_a_call_not_yet_open_cannot_be_closed(client, admin, frozen):
    """Closing before the opening is refused (it would close before it opens)."""
    call = create_call(opens_at=NOW + timedelta(days=1), closes_at=NOW + timedelta(days=30))
    response = client.post(f"/calls/{call.id}/close")
    assert response.status_code == 400
    assert "has not opened yet" in response.text
    assert call.closes_at == NOW + timedelta(days=30)


def test_the_list_offers_the_button_each_call_needs(client, admin, frozen):
    """Unpublished calls get "Open call", open ones "Close call", closed ones neither."""
    draft = create_call(published=False, title="Draft one")
    open_ = create_call(title="Open one")
    create_call(
        title="Closed one", opens_at=NOW - timedelta(days=30), closes_at=NOW - timedelta(days=1)
    )
    page = client.get("/calls/manage").text
    assert page.count("Open call</button>") == 1
    assert page.count("Close call</button>") == 1
    assert f'action="/calls/{draft.id}/open"' in page
    assert f'action="/calls/{open_.id}/close"' in page


def test_the_buttons_need_a_csrf_token(client, admin, frozen, csrf):
    """Without the form's token, "Open call" is refused and nothing changes."""
    call = create_call(published=False)
    assert client.post(f"/calls/{call.id}/open").status_code == 400
    assert call.published_at is None
