"""The calls' tables on the overview (issue 14): their texts and links are read once for all
the calls, each link still the one url_for writes, each state's label in the reader's language."""

from __future__ import annotations

from fund.models import Role
from tests.admin.overview_data import make_grant_with_tranches, proposal_in
from tests.admin.test_overview import section
from tests.admin.test_overview_lean import counting_url_for
from tests.conftest import login, make_call, make_user


def test_the_calls_links_do_not_grow_with_calls(app, client, monkeypatch):
    login(client, make_user(Role.ADMIN))
    built = counting_url_for(app, monkeypatch)

    def links() -> int:
        built.clear()
        assert client.get("/dashboard").status_code == 200
        return len(built)

    proposal_in(make_call(title="First"), "submitted")
    links()  # the main menu is built once per kind of reader: warm it
    one_call = links()
    for title in ("Second", "Third", "Fourth"):
        proposal_in(make_call(title=title, two_stage=title == "Third"), "submitted")
    assert links() == one_call


def test_each_call_keeps_its_links_labels_and_money(client):
    call = make_call(title="Round 2027", two_stage=True)
    call.budget_envelope = 50000
    proposal_in(call, "concept_submitted")
    proposal_in(call, "submitted")
    make_grant_with_tranches(call, amount="10000", paid=(True, False))
    login(client, make_user(Role.ADMIN))
    calls = section(client.get("/dashboard").text, "overview-calls")
    heading = f'<h3 id="overview-call-{call.id}"><a href="/calls/{call.id}">Round 2027</a></h3>'
    assert heading in calls
    assert (
        '<tr><th scope="row">concept note submitted</th>'
        f'<td><a href="/concept-notes/calls/{call.id}?show=waiting">1</a></td></tr>'
    ) in calls
    assert (
        '<tr><th scope="row">submitted</th>'
        f'<td><a href="/screening/calls/{call.id}?state=submitted">1</a></td></tr>'
    ) in calls
    assert '<tr><th scope="row">withdrawn</th><td>0</td></tr>' in calls
    assert '<tr><th scope="row">Envelope</th><td>$50,000.00</td></tr>' in calls
    grants = f'<a href="/grants/?call={call.id}">'
    assert f'<th scope="row">Awarded</th><td>{grants}$10,000.00</a></td>' in calls
    assert f'<th scope="row">Paid</th><td>{grants}$8,000.00</a></td>' in calls
    assert f'<th scope="row">Outstanding</th><td>{grants}$2,000.00</a></td>' in calls


def test_each_reader_gets_the_states_in_their_own_language(client):
    proposal_in(make_call(), "in_review")
    login(client, make_user(Role.ADMIN, locale="fr"))
    french = section(client.get("/dashboard").text, "overview-calls")
    assert '<th scope="row">en cours d&#39;évaluation</th>' in french
    assert "<caption>Proposals per state</caption>" not in french
    login(client, make_user(Role.ADMIN))
    english = section(client.get("/dashboard").text, "overview-calls")
    assert '<th scope="row">in review</th>' in english
    assert "<caption>Proposals per state</caption>" in english
