"""The retention schedule (issue 11): `flask fund apply-retention [--dry-run]` on a database
holding items on both sides of every boundary, with the clock set: the dry run counts exactly
the items due and changes nothing; the real run removes exactly those, writes one audit row,
and deletes files only after its commit. The admin page shows the rules, the last run and what
is due."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from fund import clock, storage
from fund.extensions import db
from fund.models import (
    AuditEvent,
    FormStash,
    Grant,
    LinkToken,
    OutgoingMessage,
    Proposal,
    ProposalAttachment,
    ProposalVersion,
    Role,
    SafeguardingConcern,
    StoredFile,
    UsedFormToken,
    User,
)
from tests.conftest import login, make_grant, make_organisation, make_proposal, make_user

NOW = datetime(2031, 6, 15, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)
EXPECTED = {
    "unverified_accounts": 1,
    "mail_bodies": 1,
    "form_tokens": 1,
    "links": 1,
    "stashes": 1,
    "unfunded_proposals": 1,
    "grant_contacts": 1,
}


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def _user(name, created, verified=False, **kw):
    user = make_user(name=name, verified=verified, **kw)
    user.created_at = created
    return user


def _mail(recipient, sent_at, status="sent"):
    db.session.add(
        OutgoingMessage(
            recipient=recipient,
            subject="Hello",
            body_text="Dear Ana, your text",
            body_html="<p>Dear Ana</p>",
            event="password_changed",
            status=status,
            sent_at=sent_at,
        )
    )


def _declined(organisation, title, entered):
    proposal = make_proposal(organisation, state="declined", title=title)
    proposal.reference = f"INS-2027-{proposal.id:04d}"
    proposal.summary = f"Summary of {title}"
    proposal.answers = {"q": f"Answer of {title}"}
    db.session.add(
        AuditEvent(
            subject_type="proposal",
            subject_id=proposal.id,
            action="decline",
            from_state="reviewed",
            to_state="declined",
            created_at=entered,
        )
    )
    db.session.add(
        ProposalVersion(
            proposal_id=proposal.id, number=1, content={"title": title, "answers": {"q": "x"}}
        )
    )
    stored = storage.store(
        FileStorage(io.BytesIO(b"%PDF-1.4\nplan\n%%EOF\n"), f"{title}.pdf"),
        organisation_id=organisation.id,
        uploaded_by_id=None,
    )
    db.session.add(ProposalAttachment(proposal_id=proposal.id, file_id=stored.id))
    return proposal, stored


@pytest.fixture
def world(ctx):
    """One item due and one not yet due (or never due) for every rule."""
    w = {}
    w["old_unverified"] = _user("Old Unverified", NOW - 31 * DAY)
    w["new_unverified"] = _user("New Unverified", NOW - 29 * DAY)
    _user("Old Verified", NOW - 400 * DAY, verified=True)
    with_history = _user("Old Member", NOW - 400 * DAY)
    member_org = make_organisation(with_history)
    _mail("a@example.org", NOW - 91 * DAY)
    _mail("b@example.org", NOW - 89 * DAY)
    _mail("c@example.org", NOW - 200 * DAY, status="queued")
    db.session.add_all(
        [
            UsedFormToken(token="old", used_at=NOW - 8 * DAY),
            UsedFormToken(token="new", used_at=NOW - 6 * DAY),
            LinkToken(
                purpose="reset_password",
                token_hash="1" * 64,
                email="x@example.org",
                expires_at=NOW - 8 * DAY,
            ),
            LinkToken(
                purpose="reset_password",
                token_hash="2" * 64,
                email="y@example.org",
                expires_at=NOW + DAY,
                used_at=NOW - 6 * DAY,
            ),
            FormStash(key="old", path="/p", data={}, created_at=NOW - 8 * DAY),
            FormStash(key="new", path="/p", data={}, created_at=NOW - 6 * DAY),
        ]
    )
    w["old_declined"], w["old_file"] = _declined(member_org, "Old plan", NOW - (3 * 365 + 2) * DAY)
    w["new_declined"], w["new_file"] = _declined(member_org, "New plan", NOW - (3 * 365 - 2) * DAY)
    old_grant = make_grant(make_proposal(member_org, state="awarded"), state="closed")
    old_grant.end_on = (NOW - (7 * 365 + 3) * DAY).date()
    old_grant.accepted_name, old_grant.accepted_ip = "Grace Director", "10.0.0.1"
    old_grant.amount = Decimal("5000")
    new_grant = make_grant(make_proposal(member_org, state="awarded"), state="closed")
    new_grant.end_on = (NOW - (7 * 365 - 3) * DAY).date()
    new_grant.accepted_name = "Recent Director"
    w["old_grant"], w["new_grant"] = old_grant, new_grant
    reporter = make_user(Role.REVIEWER)
    concern = SafeguardingConcern(reporter_id=reporter.id, about="x", description="Kept always")
    concern.created_at = NOW - 3000 * DAY
    db.session.add(concern)
    db.session.commit()
    return w


def run(runner, *args):
    result = runner.invoke(args=["fund", "apply-retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def counts(output: str) -> dict[str, int]:
    found = {}
    for line in output.splitlines():
        name, _, rest = line.partition(": ")
        if name in EXPECTED:
            found[name] = int(rest.split()[0])
    return found


def test_the_dry_run_counts_what_is_due_and_changes_nothing(runner, world):
    output = run(runner, "--dry-run")
    assert counts(output) == EXPECTED
    assert "Dry run: nothing changed." in output
    db.session.expire_all()
    assert db.session.get(User, world["old_unverified"].id).name == "Old Unverified"
    assert db.session.scalar(select(func.count(UsedFormToken.id))) == 2
    assert world["old_declined"].summary == "Summary of Old plan"
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "retention_run")
        )
        == 0
    )


def test_the_run_removes_exactly_what_is_due(runner, app, world):
    folder = Path(app.config["UPLOAD_FOLDER"])
    old_path = folder / world["old_file"].storage_name
    new_path = folder / world["new_file"].storage_name
    old_file_id = world["old_file"].id
    assert counts(run(runner)) == EXPECTED
    db.session.expire_all()
    assert db.session.get(User, world["old_unverified"].id).name.startswith("Former user")
    assert db.session.get(User, world["new_unverified"].id).name == "New Unverified"
    bodies = dict(
        db.session.execute(select(OutgoingMessage.recipient, OutgoingMessage.body_text)).all()
    )
    assert bodies == {
        "a@example.org": "",
        "b@example.org": "Dear Ana, your text",
        "c@example.org": "Dear Ana, your text",
    }
    assert list(db.session.scalars(select(UsedFormToken.token))) == ["new"]
    assert list(db.session.scalars(select(LinkToken.token_hash))) == ["2" * 64]
    assert list(db.session.scalars(select(FormStash.key))) == ["new"]
    old, new = db.session.get(Proposal, world["old_declined"].id), world["new_declined"]
    db.session.refresh(new)
    assert (old.title, old.summary, old.answers, old.state) == (old.reference, "", {}, "declined")
    assert old.redacted_at == NOW and new.redacted_at is None
    assert new.summary == "Summary of New plan"
    version = db.session.scalar(
        select(ProposalVersion).where(ProposalVersion.proposal_id == old.id)
    )
    assert (version.content["title"], version.content["answers"]) == (old.reference, {})
    assert db.session.get(StoredFile, old_file_id) is None
    assert not old_path.exists() and new_path.exists()
    old_grant, new_grant = (db.session.get(Grant, world[k].id) for k in ("old_grant", "new_grant"))
    assert (old_grant.accepted_name, old_grant.accepted_ip) == (None, None)
    assert old_grant.amount == Decimal("5000")
    assert new_grant.accepted_name == "Recent Director"
    assert db.session.scalar(select(SafeguardingConcern.description)) == "Kept always"
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention_run"))
    assert "unfunded_proposals=1" in event.comment


def test_a_second_run_finds_nothing_more(runner, world):
    run(runner)
    assert counts(run(runner, "--dry-run")) == dict.fromkeys(EXPECTED, 0)


def test_the_admin_page_shows_the_schedule_and_what_is_due(client, world):
    login(client, make_user(Role.ADMIN))
    page = client.get("/admin/retention/").get_data(as_text=True)
    assert "It has not run yet" in page
    assert "Texts and files of unfunded proposals" in page and "3 years" in page
    assert page.count('<td class="num">1</td>') == len(EXPECTED)


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.REVIEWER, Role.CHAIR])
def test_only_admins_see_the_schedule(client, role):
    login(client, make_user(role))
    assert client.get("/admin/retention/").status_code == 403


def test_the_schedule_needs_a_login(client, ctx):
    assert client.get("/admin/retention/").headers["Location"].startswith("/account/login")


def test_files_of_file_questions_go_with_an_unfunded_proposal(runner, app, ctx):
    from tests.proposals.file_questions import letter_call

    call, letter, _note = letter_call()
    organisation = make_organisation(make_user())
    proposal, _attached = _declined(organisation, "Plan with a letter", NOW - (4 * 365) * DAY)
    proposal.call = call
    stored = storage.store(
        FileStorage(io.BytesIO(b"%PDF-1.4\nletter\n%%EOF\n"), "letter.pdf"),
        organisation_id=organisation.id,
        uploaded_by_id=None,
    )
    proposal.answers = {letter: {"file_id": stored.id}}
    db.session.commit()
    stored_id, path = stored.id, Path(app.config["UPLOAD_FOLDER"]) / stored.storage_name
    assert counts(run(runner))["unfunded_proposals"] == 1
    db.session.expire_all()
    assert db.session.get(StoredFile, stored_id) is None
    assert not path.exists()
