"""A creating form sent twice (a double click on a slow line) creates one thing."""

from fund.extensions import db
from fund.income_groups import load_shipped
from fund.models import Organisation, Proposal, Role
from tests.conftest import login, make_call, make_organisation, make_user

ORGANISATION = {
    "name": "Safe Childhoods",
    "country_code": "UG",
    "org_type": "ngo",
    "budget_band": "under_50k",
}


def test_the_same_organisation_form_sent_twice_creates_one_organisation(client):
    login(client, make_user(Role.APPLICANT))
    form = dict(ORGANISATION, once_token="token-for-one-form")
    first = client.post("/organisations/new", data=form)
    second = client.post("/organisations/new", data=form)
    assert first.status_code == 302 and "/organisations/" in first.headers["Location"]
    assert second.status_code == 302
    assert second.headers["Location"].endswith("/organisations/")
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1


def test_two_forms_create_two_organisations(client):
    """Two forms (two tokens) are two intentions: both act."""
    login(client, make_user(Role.APPLICANT))
    client.post("/organisations/new", data=dict(ORGANISATION, once_token="first-form"))
    client.post(
        "/organisations/new", data=dict(ORGANISATION, name="Second", once_token="second-form")
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 2


def test_a_refused_form_can_be_sent_again_with_its_token(client):
    """A form refused for bad input has not acted: corrected, the same token works."""
    login(client, make_user(Role.APPLICANT))
    refused = client.post(
        "/organisations/new", data=dict(ORGANISATION, name="", once_token="fix-and-resend")
    )
    assert refused.status_code == 400
    assert 'value="fix-and-resend"' in refused.text
    accepted = client.post(
        "/organisations/new", data=dict(ORGANISATION, once_token="fix-and-resend")
    )
    assert accepted.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1


def test_the_same_start_form_sent_twice_makes_one_draft(client):
    load_shipped()
    db.session.commit()
    user = make_user(Role.APPLICANT)
    organisation = make_organisation(user)
    call = make_call()
    login(client, user)
    form = {
        "call_id": call.id,
        "organisation_id": organisation.id,
        "title": "Safe schools",
        "once_token": "start-once",
    }
    first = client.post("/proposals/start", data=form)
    second = client.post("/proposals/start", data=form)
    assert first.status_code == 302 and first.headers["Location"].endswith("/edit")
    assert second.status_code == 302 and second.headers["Location"].endswith("/dashboard")
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 1


def test_the_form_pages_carry_a_fresh_token(client):
    login(client, make_user(Role.APPLICANT))
    first = client.get("/organisations/new").text
    second = client.get("/organisations/new").text
    token = first.split('name="once_token" value="')[1].split('"')[0]
    assert len(token) >= 20 and token not in second


def test_two_copies_sent_at_the_same_moment_create_one_organisation(app, client):
    """The copies race: the database's unique token lets exactly one act."""
    import threading

    from tests.conftest import FreshContextClient

    user = make_user(Role.APPLICANT)
    clients = []
    for _ in range(2):
        app.test_client_class = FreshContextClient
        racer = app.test_client()
        login(racer, user)
        clients.append(racer)
    form = dict(ORGANISATION, once_token="sent-twice-at-once")
    barrier = threading.Barrier(2)
    statuses = []

    def send(racer):
        barrier.wait()
        statuses.append(racer.post("/organisations/new", data=form).headers["Location"])

    threads = [threading.Thread(target=send, args=(racer,)) for racer in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(statuses) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 1
    assert sum(location.endswith("/organisations/") for location in statuses) == 1
