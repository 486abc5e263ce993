"""Nothing typed is lost when the session or the CSRF token has expired: the form's data is
kept, the user logs in again, and the form comes back as it was, unsaved, for them only."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import FormStash, Proposal
from fund.models.base import utcnow
from fund.proposals import stash
from tests.conftest import PASSWORD, login, make_organisation, make_user
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    colleague,
    draft,
    form_data,
    member,
    organisation,
)

TYPED = {"summary": "Forty minutes of careful writing", "title": "Typed title"}
KEPT = "We kept what you typed: check it and press Save draft."


def edit_url(proposal) -> str:
    return f"/proposals/{proposal.id}/edit"


def stashes() -> list[FormStash]:
    return list(db.session.scalars(db.select(FormStash)))


def expire_session(client) -> None:
    """The login has ended (timed out, or ended from another device); the cookie remains."""
    with client.session_transaction() as session:
        session.pop("_user_id", None)


def unchanged(proposal: Proposal) -> bool:
    db.session.refresh(proposal)
    return (proposal.title, proposal.summary, proposal.lock_version) == ("Safe schools", "", 1)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_post_after_the_session_expired_is_kept_and_the_user_sent_to_log_in(
    client, member, draft
):
    """302 to the login page, back to the form after; the data kept; the draft unchanged."""
    login(client, member)
    expire_session(client)
    response = client.post(
        edit_url(draft), data=form_data(draft, lines=[("travel", "Buses", "250")], **TYPED)
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login?next=/proposals/1/edit"
    [kept] = stashes()
    assert kept.path == edit_url(draft)
    assert kept.data["summary"] == [TYPED["summary"]]
    assert kept.data["budget_lines-0-amount"] == ["250"]
    assert unchanged(draft)


def test_after_logging_in_again_the_form_comes_back_as_typed(client, member, draft):
    """The login form leads back to the form, which shows the typed values and says so, once;
    the draft is not saved until the user presses Save draft."""
    login(client, member)
    expire_session(client)
    client.post(edit_url(draft), data=form_data(draft, lines=[("travel", "Buses", "250")], **TYPED))
    response = client.post(
        "/account/login?next=/proposals/1/edit", data={"email": member.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == edit_url(draft)
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert KEPT in page
    assert TYPED["summary"] in page and 'value="Typed title"' in page and 'value="250"' in page
    assert stashes() == []
    assert unchanged(draft)
    again = client.get(edit_url(draft)).get_data(as_text=True)
    assert KEPT not in again and TYPED["summary"] not in again
    assert client.post(edit_url(draft), data=form_data(draft, **TYPED)).status_code == 302
    assert draft.summary == TYPED["summary"]


def test_the_kept_values_are_only_given_back_to_someone_who_can_edit(client, member, draft):
    """If someone else logs in on that browser, they get 404 and the values stay hidden."""
    login(client, member)
    expire_session(client)
    client.post(edit_url(draft), data=form_data(draft, **TYPED))
    outsider = make_user()
    make_organisation(outsider)
    login(client, outsider)
    response = client.get(edit_url(draft))
    assert response.status_code == 404
    assert TYPED["summary"] not in response.get_data(as_text=True)
    assert len(stashes()) == 1


def test_a_stash_key_from_another_session_gives_nothing(app, client, member, colleague, draft):
    """The key lives in the browser that typed; a colleague's own session finds nothing."""
    login(client, member)
    expire_session(client)
    client.post(edit_url(draft), data=form_data(draft, **TYPED))
    other = app.test_client()
    login(other, colleague)
    page = other.get(edit_url(draft)).get_data(as_text=True)
    assert TYPED["summary"] not in page and KEPT not in page


def test_a_bad_csrf_token_keeps_the_data_and_returns_to_the_form(client, csrf, member, draft):
    """A signed-in user whose form token is stale goes straight back to the form, values
    restored; nothing is saved."""
    login(client, member)
    response = client.post(edit_url(draft), data=form_data(draft, csrf_token="stale", **TYPED))
    assert response.status_code == 302
    assert response.headers["Location"] == edit_url(draft)
    assert unchanged(draft)
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert KEPT in page and TYPED["summary"] in page
    assert stashes() == []


def test_a_missing_csrf_token_is_kept_the_same_way(client, csrf, member, draft):
    login(client, member)
    response = client.post(edit_url(draft), data=form_data(draft, **TYPED))
    assert response.headers["Location"] == edit_url(draft)
    assert len(stashes()) == 1 and unchanged(draft)


def test_with_a_good_csrf_token_the_draft_saves(client, csrf, member, draft):
    """The guard lets a valid token through, for the form and for autosave."""
    login(client, member)
    token = csrf_token(client.get(edit_url(draft)).get_data(as_text=True))
    response = client.post(edit_url(draft), data=form_data(draft, csrf_token=token, **TYPED))
    assert response.status_code == 302 and response.headers["Location"] == edit_url(draft)
    assert draft.summary == TYPED["summary"] and stashes() == []
    autosave = client.post(
        f"/proposals/{draft.id}/autosave", data=form_data(draft, csrf_token=token, summary="Later")
    )
    assert autosave.status_code == 200 and draft.summary == "Later"


def test_autosave_after_the_session_expired_keeps_the_data(client, member, draft):
    """401 JSON pointing to the login page; the data is kept for after it."""
    login(client, member)
    expire_session(client)
    response = client.post(f"/proposals/{draft.id}/autosave", data=form_data(draft, **TYPED))
    assert response.status_code == 401
    assert response.json["saved"] is False and response.json["expired"] is True
    assert response.json["url"] == "/account/login?next=/proposals/1/edit"
    assert len(stashes()) == 1 and unchanged(draft)


def test_autosave_with_a_bad_csrf_token_keeps_the_data(client, csrf, member, draft):
    login(client, member)
    response = client.post(
        f"/proposals/{draft.id}/autosave", data=form_data(draft, csrf_token="stale", **TYPED)
    )
    assert response.status_code == 400
    assert response.json["expired"] is True and response.json["url"] == edit_url(draft)
    assert len(stashes()) == 1 and unchanged(draft)


def test_only_the_form_fields_are_kept_and_within_bounds(client, member, draft):
    """Unknown fields are dropped and huge values cut, so the stash cannot be abused."""
    login(client, member)
    expire_session(client)
    client.post(
        edit_url(draft),
        data=form_data(
            draft, summary="x" * 50_000, evil="payload", **{"budget_lines-9999-amount": "1"}
        ),
    )
    [kept] = stashes()
    assert "evil" not in kept.data and "budget_lines-9999-amount" not in kept.data
    assert len(kept.data["summary"][0]) == stash.MAX_VALUE_LENGTH


def test_a_post_to_a_proposal_that_does_not_exist_keeps_nothing(client):
    response = client.post("/proposals/999/edit", data={"summary": "x"})
    assert response.status_code == 302
    assert stashes() == []


def test_old_stashes_are_not_restored_and_are_cleared(ctx, draft):
    """A stash older than a day is not given back, and the next stash removes it."""
    from werkzeug.datastructures import MultiDict

    key = stash.keep(
        edit_url(draft), MultiDict({"summary": "old"}), now=utcnow() - timedelta(days=2)
    )
    db.session.commit()
    assert stash.take(key, edit_url(draft)) is None
    key = stash.keep(
        edit_url(draft), MultiDict({"summary": "old"}), now=utcnow() - timedelta(days=2)
    )
    stash.keep(edit_url(draft), MultiDict({"summary": "new"}))
    db.session.commit()
    assert [s.data["summary"] for s in stashes()] == [["new"]]


@pytest.mark.parametrize("path", ["/proposals/2/edit", "/elsewhere"])
def test_a_stash_is_only_restored_on_its_own_page(ctx, draft, path):
    from werkzeug.datastructures import MultiDict

    key = stash.keep(edit_url(draft), MultiDict({"summary": "mine"}))
    assert stash.take(key, path) is None


def test_a_bad_token_from_someone_who_cannot_edit_keeps_nothing(client, csrf, draft):
    """A signed-in outsider with a stale token gets 404, and nothing is stored for them."""
    outsider = make_user()
    make_organisation(outsider)
    login(client, outsider)
    response = client.post(edit_url(draft), data=form_data(draft, csrf_token="stale", **TYPED))
    assert response.status_code == 404
    assert stashes() == [] and unchanged(draft)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://elsewhere.example"},
        {"Origin": "null"},
        {"Referer": "https://elsewhere.example/page"},
    ],
)
def test_a_form_sent_from_another_site_is_not_kept(client, csrf, member, draft, headers):
    """A page elsewhere cannot plant text in someone's draft through the keeping mechanism."""
    login(client, member)
    response = client.post(edit_url(draft), data=form_data(draft, **TYPED), headers=headers)
    assert response.status_code == 400
    assert "another site" in response.text
    assert stashes() == []
    assert unchanged(draft)


def test_a_form_sent_from_this_site_with_an_old_token_is_kept(client, csrf, member, draft):
    login(client, member)
    response = client.post(
        edit_url(draft), data=form_data(draft, **TYPED), headers={"Origin": "http://localhost"}
    )
    assert response.status_code == 302
    assert len(stashes()) == 1


def test_the_standard_forms_long_texts_are_kept_and_given_back_too(client, member, draft):
    """The five texts are questions of the form now, not columns: still kept and restored."""
    qid = STANDARD_TEXT_IDS["activities"]
    login(client, member)
    expire_session(client)
    client.post(edit_url(draft), data=form_data(draft, **{qid: "Twelve careful sessions"}))
    [kept] = stashes()
    assert kept.data[qid] == ["Twelve careful sessions"]
    client.post(
        "/account/login?next=/proposals/1/edit", data={"email": member.email, "password": PASSWORD}
    )
    page = client.get(edit_url(draft)).get_data(as_text=True)
    assert f'name="{qid}"' in page and "Twelve careful sessions" in page
    assert draft.answers == {}  # shown again, not saved
