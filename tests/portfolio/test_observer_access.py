"""The observer reads the portfolio and the public pages, and nothing else: every route of the
app (its url_map, so a route added later is walked too) is requested as an observer, on the
demo's data, with the ids of real records."""

from __future__ import annotations

import pytest
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter

from fund.extensions import db
from fund.models import (
    Call,
    Decision,
    Grant,
    IncomeGroupOverride,
    Organisation,
    ProgressReport,
    Proposal,
    ProposalVersion,
    ReportAttachment,
    Review,
    Role,
    StoredFile,
    Tranche,
    User,
)
from tests.conftest import login, make_user

# What an observer may open: the public pages, its own account, the dashboard and the
# portfolio. Anything else it asks for must be refused.
ALLOWED = {
    "static",
    "main.healthz",
    "main.index",
    "main.dashboard",
    "main.set_language",
    "main.upload_too_large",  # the page nginx shows for an upload over its limit
    "calls.index",
    "calls.detail",
    "opendata.awarded",
    "opendata.download",
    "portfolio.index",
    "portfolio.download",
    "auth.login",
    "auth.logout",
    "auth.register",
    "auth.forgot_password",
    "auth.profile",
    "auth.change_password",
    "auth.resend_verification",
    "auth.verify_email",
    "auth.reset_password",
    "auth.end_other_sessions",
    # Its own second factor, its own data (download, erasure), the privacy notice and the
    # texts it accepts, and reporting a safeguarding concern (open to anyone signed in).
    "two_factor.code",
    "two_factor.setup",
    "two_factor.new_recovery_codes",
    "two_factor.disable",
    "passkeys.register_options",
    "passkeys.register",
    "passkeys.confirm_options",
    "passkeys.remove",
    "passkeys.login_options",
    "passkeys.login",
    "my_data.index",
    "my_data.download",
    "my_data.erase",
    "policies.privacy",
    "policies.accept",
    "safeguarding.report",
    # The organisations the person belongs to (none for an observer), and an invitation link
    # (one sent to this person; the test's made-up token is refused as gone, 410).
    "organisations.mine",
    "organisations.accept_invitation",
}


@pytest.fixture
def demo(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output


def _first_id(model, *where) -> int:
    found = db.session.scalar(db.select(model.id).where(*where).order_by(model.id).limit(1))
    return found if found is not None else 1


def real_ids() -> dict[str, int]:
    """An id of a real record for each kind of id the routes take."""
    return {
        "call_id": _first_id(Call),
        "proposal_id": _first_id(Proposal, Proposal.state == "awarded"),
        "grant_id": _first_id(Grant),
        "report_id": _first_id(ProgressReport, ProgressReport.state != "upcoming"),
        "review_id": _first_id(Review),
        "organisation_id": _first_id(Organisation),
        "user_id": _first_id(User),
        "file_id": _first_id(StoredFile),
        "attachment_id": _first_id(ReportAttachment),
        "decision_id": _first_id(Decision),
        "tranche_id": _first_id(Tranche),
        "override_id": _first_id(IncomeGroupOverride),
        "number": _first_id(ProposalVersion),
    }


def requests(app) -> list[tuple[str, str, str]]:
    """(endpoint, URL, method) of every route, with real ids and a plausible value for the
    other arguments."""
    ids = real_ids()
    call = db.session.get(Call, ids["call_id"])
    sections = (call.proposal_form or {}).get("sections") or [{"id": "x", "questions": []}]
    questions = sections[0]["questions"] or [{"id": "x"}]
    others = {
        "filename": "app.css",
        "key": "call",
        "language": "fr",
        "token": "x",
        "section_id": sections[0]["id"],
        "question_id": questions[0]["id"],
    }
    found = []
    for rule in app.url_map.iter_rules():
        values = {}
        for name, converter in rule._converters.items():  # werkzeug lists them only there
            if isinstance(converter, AnyConverter):
                values[name] = sorted(converter.items)[0]
            elif isinstance(converter, IntegerConverter):
                values[name] = ids.get(name, 1)
            else:
                values[name] = others.get(name, "x")
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, url, method))
    return found


def test_an_observer_is_refused_everywhere_but_the_public_pages_and_the_portfolio(
    app, client, demo
):
    observer = make_user(Role.OBSERVER)
    answers = {}
    for endpoint, url, method in requests(app):
        login(client, observer)  # again each time: a route that signs out must not hide others
        response = client.open(url, method=method)
        answers[endpoint, method] = (response.status_code, response.headers.get("Location"))
    opened = {
        key: answer
        for key, answer in answers.items()
        if key[0] not in ALLOWED and answer[0] not in (403, 404, 405)
    }
    assert opened == {}
    assert answers["portfolio.index", "GET"][0] == 200
    assert answers["portfolio.download", "GET"][0] == 200
    assert answers["opendata.awarded", "GET"][0] == 200
