"""The proposal page and its printable versions: who may see them (and its files), what the
applicant is shown, and the differences between versions."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from fund import storage
from fund.extensions import db
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import ProposalAttachment, ProposalState, ProposalVersion, Review, Role
from fund.proposals import submission
from fund.rules import proposal_content as content
from tests.conftest import login, make_organisation, make_user
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def submitted_proposal():
    """A proposal submitted by its member, with one attachment stored for real."""
    proposal = complete_proposal()
    member = a_member(proposal)
    stored = storage.store(
        FileStorage(BytesIO(b"%PDF-1.4 workplan"), "workplan.pdf"),
        organisation_id=proposal.organisation_id,
        uploaded_by_id=member.id,
    )
    proposal.attachments.append(ProposalAttachment(file_id=stored.id, description="Work plan"))
    submission.submit_proposal(proposal, member, proposal.call.closes_at - timedelta(days=1))
    db.session.commit()
    return proposal, stored


def user_of_kind(kind: str, proposal):
    if kind == "member":
        return a_member(proposal)
    if kind == "outsider":
        outsider = make_user(Role.APPLICANT)
        make_organisation(outsider)
        return outsider
    return make_user({"reviewer": Role.REVIEWER, "admin": Role.ADMIN, "chair": Role.CHAIR}[kind])


def page_urls(proposal, stored, app) -> list[str]:
    urls = [f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/versions/1"]
    if "proposals.file" in app.view_functions:
        urls.append(f"/proposals/{proposal.id}/files/{stored.id}")
    return urls


@pytest.mark.parametrize(
    ("kind", "status"),
    [("member", 200), ("admin", 200), ("chair", 200), ("outsider", 404), ("reviewer", 404)],
)
def test_who_sees_the_proposal_its_versions_and_files(client, app, kind, status):
    """The organisation, the secretariat and the chairs see them; another organisation's member
    and a reviewer not assigned to it get 404 (they do not learn it exists)."""
    proposal, stored = submitted_proposal()
    login(client, user_of_kind(kind, proposal))
    for url in page_urls(proposal, stored, app):
        response = client.get(url)
        response.close()  # a file is streamed: close it, or it is left open
        assert response.status_code == status, url


def test_an_anonymous_visitor_is_sent_to_log_in(client, app):
    proposal, stored = submitted_proposal()
    for url in page_urls(proposal, stored, app):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


def test_a_file_of_the_proposal_comes_as_an_attachment(client, app):
    if "proposals.file" not in app.view_functions:
        pytest.skip("the file download is not built yet")
    proposal, stored = submitted_proposal()
    login(client, make_user(Role.ADMIN))
    response = client.get(f"/proposals/{proposal.id}/files/{stored.id}")
    body = response.get_data()
    response.close()
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert body == b"%PDF-1.4 workplan"


def test_a_version_that_does_not_exist_is_404(client):
    proposal, _ = submitted_proposal()
    login(client, a_member(proposal))
    assert client.get(f"/proposals/{proposal.id}/versions/2").status_code == 404
    assert client.get(f"/proposals/{proposal.id}/versions/0").status_code == 404


def test_the_printable_version_shows_the_frozen_content(client):
    """Reference, version number, organisation, call, every section and the budget total."""
    proposal, _ = submitted_proposal()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/versions/1").get_data(as_text=True)
    for text in (
        proposal.reference,
        "Version 1, submitted",
        proposal.organisation.name,
        proposal.call.title,
        "Parents and teachers learn positive discipline.",
        "Parent and caregiver support",
        "Uganda",
        "12 months",
        "$20,000.00",
        "Facilitators",
        "workplan.pdf",
        "policy.pdf",
    ):
        assert text in page, text
    assert page.count("<h1>") == 1


def test_the_proposal_page_lists_the_versions_and_the_deadline_in_the_users_zone(client):
    proposal, _ = submitted_proposal()
    member = a_member(proposal)
    member.timezone = "Africa/Kampala"
    db.session.commit()
    login(client, member)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}/versions/1"' in page
    assert "(Africa/Kampala)" in page
    local = proposal.call.closes_at + timedelta(hours=3)  # Kampala is UTC+3 all year
    assert f"{local:%-I:%M}" in page


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        (ProposalState.SUBMITTED, "received"),
        (ProposalState.IN_REVIEW, "under review"),
        (ProposalState.REVIEWED, "under review"),
        (ProposalState.REVISION_REQUESTED, "revision requested"),
        (ProposalState.AWARDED, "decision made"),
        (ProposalState.DECLINED, "decision made"),
        (ProposalState.INELIGIBLE, "decision made"),
        (ProposalState.WITHDRAWN, "withdrawn"),
    ],
)
def test_the_applicant_sees_its_own_words_for_the_state(client, state, shown):
    """Internal steps (reviewed, declined ...) are mapped to what the applicant should see."""
    proposal, _ = submitted_proposal()
    db.session.execute(
        db.update(type(proposal)).where(type(proposal).id == proposal.id).values(state=state)
    )
    db.session.commit()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'<span class="state">{shown}</span>' in page
    assert "internal:" not in page


def test_the_applicant_never_sees_reviewers_or_scores(client):
    """A review with a named reviewer and comments exists; the applicant's page shows none of it."""
    proposal, _ = submitted_proposal()
    reviewer = make_user(Role.REVIEWER, name="Ruth Reviewer")
    db.session.add(
        Review(
            proposal_id=proposal.id,
            reviewer_id=reviewer.id,
            round=1,
            due_on=date.today(),
            confidential_comments="Weak budget.",
            comments_for_applicant="Clarify the timeline.",
        )
    )
    db.session.execute(
        db.update(type(proposal))
        .where(type(proposal).id == proposal.id)
        .values(state=ProposalState.REVIEWED)
    )
    db.session.commit()
    login(client, a_member(proposal))
    for url in (f"/proposals/{proposal.id}", f"/proposals/{proposal.id}/versions/1", "/dashboard"):
        page = client.get(url).get_data(as_text=True)
        assert "Ruth Reviewer" not in page and "Weak budget." not in page, url
        assert "reviewed" not in page, url


def test_staff_also_see_the_internal_state(client):
    proposal, _ = submitted_proposal()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "internal: submitted" in page


def test_a_second_version_shows_what_changed(client):
    """Version 2 lists the fields that differ from version 1."""
    proposal, _ = submitted_proposal()
    first = proposal.versions[0].content
    second = dict(first, summary="A new summary.", duration_months=15)
    db.session.add(ProposalVersion(proposal_id=proposal.id, number=2, content=second))
    db.session.commit()
    assert [c.field for c in content.diff(first, second)] == ["summary", "duration_months"]
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/versions/2").get_data(as_text=True)
    assert "Changes since version 1" in page
    assert 'href="#content-summary">Summary</a>' in page
    assert 'href="#content-duration_months">Duration (months)</a>' in page
    assert 'href="#content-title"' not in page


def test_a_changed_answer_to_a_standard_text_is_listed_with_its_question(client):
    """The five texts are answers now: a change to one is listed under its question's label."""
    proposal, _ = submitted_proposal()
    first = proposal.versions[0].content
    qid = STANDARD_TEXT_IDS["timeline"]
    second = dict(first, answers={**first["answers"], qid: "Months 1-6 only."})
    db.session.add(ProposalVersion(proposal_id=proposal.id, number=2, content=second))
    db.session.commit()
    [change] = content.diff(first, second)
    assert (change.field, change.label, change.new) == (qid, "Timeline", "Months 1-6 only.")
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/versions/2").get_data(as_text=True)
    assert f'href="#content-{qid}">Timeline</a>' in page and f'id="content-{qid}"' in page


def test_html_typed_into_a_version_is_shown_escaped(client):
    proposal, _ = submitted_proposal()
    version = proposal.versions[0]
    version.content = dict(
        version.content,
        title="<img src=x onerror=alert(1)>",
        answers={STANDARD_TEXT_IDS["activities"]: "<script>alert(2)</script>"},
    )
    db.session.commit()
    login(client, a_member(proposal))
    page = client.get(f"/proposals/{proposal.id}/versions/1").get_data(as_text=True)
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_the_snapshot_holds_every_field():
    """Nothing the applicant filled in is left out of a frozen version."""
    assert set(content.FIELD_LABELS) <= {
        "title",
        "summary",
        "strategies",
        "countries",
        "start_date",
        "duration_months",
        "budget_lines",
        "amount_requested",
        "safeguarding",
        "attachments",
    }


def test_a_snapshot_has_every_labelled_field(ctx):
    proposal, _ = submitted_proposal()
    snapshot = content.snapshot(proposal)
    assert set(content.FIELD_LABELS) <= set(snapshot)
    assert snapshot["attachments"][0]["name"] == "workplan.pdf"
    assert snapshot["organisation"]["country_code"] == "UG"
    assert snapshot["call"]["title"] == proposal.call.title
