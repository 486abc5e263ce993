"""The calls that `flask fund seed-demo` adds."""

from __future__ import annotations

from datetime import timedelta

from fund import clock
from fund.calls.queries import CallStatus, status
from fund.calls.rubric import DEFAULT_RUBRIC
from fund.forms_def.standard import core_questions
from fund.models import AuditEvent, Call, ProposalVersion


def test_seed_demo_adds_an_open_and_a_closed_call(runner, ctx):
    """One call open for about six more weeks, one closed, both published with the rubric."""
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    now = clock.now()
    calls = Call.query.order_by(Call.closes_at).all()
    statuses = [status(call, now) for call in calls]
    assert CallStatus.CLOSED in statuses and CallStatus.OPEN in statuses
    open_ = Call.query.filter(Call.title.startswith("INSPIRE small grants 2027")).one()
    assert status(open_, now) == CallStatus.OPEN
    assert timedelta(weeks=5) < open_.closes_at - now <= timedelta(weeks=6)
    for call in calls:
        assert call.published_at is not None
        assert [(c.name, c.weight, c.levels) for c in call.criteria] == [
            (str(c.name), c.weight, [str(level) for level in c.levels]) for c in DEFAULT_RUBRIC
        ]
        assert (
            AuditEvent.query.filter_by(
                subject_type="call", subject_id=call.id, action="open"
            ).count()
            == 1
        )


def test_the_demo_calls_show_on_the_public_pages(runner, client):
    """The open call is on the home page; both are on the list of calls."""
    runner.invoke(args=["fund", "seed-demo"])
    home = client.get("/").text
    assert "INSPIRE small grants 2027" in home and "pilot round 2026" not in home
    listing = client.get("/calls/").text
    assert "INSPIRE small grants 2027" in listing and "pilot round 2026" in listing


def test_the_open_demo_call_asks_a_core_question_in_its_own_words(runner, ctx):
    """The demo shows a fixed question re-labelled by the secretariat, still in the form."""
    runner.invoke(args=["fund", "seed-demo"])
    open_ = Call.query.filter(Call.title.startswith("INSPIRE small grants 2027")).one()
    attachments = core_questions(open_.proposal_form)["attachments"]
    assert attachments["label"] == "Supporting documents (optional)"
    assert attachments["help"].startswith("A work plan")


def test_the_demo_calls_have_declarations_and_their_versions_keep_them(runner, ctx):
    """The open call's own declaration, in English and French; every submitted demo version
    keeps the declaration its applicant ticked."""
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    open_ = Call.query.filter(Call.title.startswith("INSPIRE small grants 2027")).one()
    assert "child-safeguarding policy is in force" in open_.declaration
    assert "protection de l'enfance" in open_.translations["fr"]["declaration"]
    versions = ProposalVersion.query.all()
    assert versions
    assert all(v.content.get("declaration") for v in versions)
