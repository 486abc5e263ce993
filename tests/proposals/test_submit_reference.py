"""Proposal references: INS-<year>-<4 digits>, numbered per year, never given twice, even when
submissions race."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from fund import clock, workflow
from fund.extensions import db
from fund.models import Call, Proposal, ProposalVersion, User
from fund.proposals import submission
from fund.proposals.submission import SubmissionRefused
from tests.conftest import login, make_call, make_organisation, make_user
from tests.proposals.submitting import a_member, at, complete_proposal, load_income_groups


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def call_closing_in(year: int) -> Call:
    call = make_call()
    call.opens_at = datetime(year - 1, 12, 1, tzinfo=UTC)
    call.published_at = call.opens_at
    call.closes_at = datetime(year, 3, 31, 17, tzinfo=UTC)
    db.session.commit()
    return call


def submit_now(proposal) -> str:
    now = proposal.call.closes_at - timedelta(days=1)
    proposal.start_date = (now + timedelta(days=60)).date()  # after the submission, as it must
    submission.submit_proposal(proposal, a_member(proposal), now)
    db.session.commit()
    return proposal.reference


def test_two_proposals_get_0001_and_0002(client, monkeypatch):
    """Submitted through the page, one after the other, while the 2027 call is open."""
    call = call_closing_in(2027)
    monkeypatch.setattr(clock, "now", at(call.closes_at - timedelta(days=3)))
    first, second = complete_proposal(call=call), complete_proposal(call=call)
    for proposal in (first, second):
        login(client, a_member(proposal))
        assert (
            client.post(f"/proposals/{proposal.id}/submit", data={"declaration": "y"}).status_code
            == 302
        )
    assert (first.reference, second.reference) == ("INS-2027-0001", "INS-2027-0002")


def test_numbers_restart_each_year(ctx):
    """The year is the year the call closes; each year counts from 0001."""
    calls = {2027: call_closing_in(2027), 2028: call_closing_in(2028)}
    references = [
        submit_now(complete_proposal(call=calls[year])) for year in (2027, 2027, 2028, 2027, 2028)
    ]
    assert references == [
        "INS-2027-0001",
        "INS-2027-0002",
        "INS-2028-0001",
        "INS-2027-0003",
        "INS-2028-0002",
    ]


def test_a_refused_submission_uses_no_number(ctx):
    """A submission with problems allocates nothing: the next one still gets 0001."""
    call = call_closing_in(2027)
    broken = complete_proposal(call=call)
    broken.summary = ""
    db.session.commit()
    with pytest.raises(SubmissionRefused):
        submit_now(broken)
    db.session.rollback()
    assert submit_now(complete_proposal(call=call)) == "INS-2027-0001"


def test_a_rolled_back_allocation_gives_its_number_back(ctx):
    assert submission.allocate_reference(2031) == "INS-2031-0001"
    db.session.rollback()
    assert submission.allocate_reference(2031) == "INS-2031-0001"
    assert submission.allocate_reference(2031) == "INS-2031-0002"


def test_the_number_has_four_digits_and_grows_past_them():
    assert submission.format_reference(2027, 42) == "INS-2027-0042"
    assert submission.format_reference(2027, 12345) == "INS-2027-12345"


def _allocate(app, year: int, barrier: threading.Barrier, results: list) -> None:
    with app.app_context():
        try:
            barrier.wait(timeout=10)
            reference = submission.allocate_reference(year)
            db.session.commit()
            results.append(reference)
        except Exception as error:  # reported by the test, not lost in the thread
            results.append(error)
        finally:
            db.session.remove()


def test_concurrent_allocations_never_repeat_a_number(app, ctx):
    """Eight transactions asking at once get 0001 to 0008, each exactly once."""
    db.session.remove()
    barrier, results = threading.Barrier(8), []
    threads = [
        threading.Thread(target=_allocate, args=(app, 2029, barrier, results)) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [f"INS-2029-{n:04d}" for n in range(1, 9)], results


def _race_submit(app, proposal_id: int, user_id: int, now, barrier, results: list) -> None:
    with app.app_context():
        try:
            proposal = db.session.get(Proposal, proposal_id)
            actor = db.session.get(User, user_id)
            submission.submission_problems(proposal, actor, now)  # load before the start line
            barrier.wait(timeout=10)
            try:
                submission.submit_proposal(proposal, actor, now)
                db.session.commit()
                results.append("submitted")
            except workflow.TransitionRefused as refused:
                db.session.rollback()
                results.append(refused.status)
        except Exception as error:
            results.append(error)
        finally:
            db.session.remove()


def test_two_racing_submits_of_one_proposal_make_one_version(app, ctx, postgresql_only):
    """A double click that reaches two servers at once: one submits, the other gets 409; one
    reference, one version, and the counter was not used twice."""
    member = make_user()
    proposal = complete_proposal(make_organisation(member), call=call_closing_in(2030))
    now = proposal.call.closes_at - timedelta(days=1)
    proposal.start_date = (now + timedelta(days=60)).date()  # after the submission, as it must
    db.session.commit()
    proposal_id, member_id = proposal.id, member.id
    db.session.remove()
    barrier, results = threading.Barrier(2), []
    threads = [
        threading.Thread(
            target=_race_submit, args=(app, proposal_id, member_id, now, barrier, results)
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results, key=str) == [409, "submitted"], results
    assert db.session.scalar(select(func.count()).select_from(ProposalVersion)) == 1
    assert db.session.get(Proposal, proposal_id).reference == "INS-2030-0001"
    assert submission.allocate_reference(2030) == "INS-2030-0002"
