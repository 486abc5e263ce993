"""A draft that was never submitted is the applicant organisation's alone: to everyone else its
page, its printable version and its files do not exist (404), as for anything they may not know
of. Once submitted, the secretariat and chairs read it as before."""

# The fixtures imported from drafting.py are named as test arguments: that is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import ProposalVersion, Role
from fund.models.base import utcnow
from fund.rules.proposal_content import snapshot
from tests.conftest import login, make_organisation, make_user
from tests.proposals.drafting import (  # noqa: F401  (fixtures)
    PDF,
    colleague,
    draft,
    form_data,
    member,
    organisation,
    upload,
    upload_dir,
)


@pytest.fixture
def draft_with_file(client, member, draft, upload_dir):
    """The member's draft with an attachment, and a version row as old data might hold one
    (so the version page is refused by the rule, not by a missing row)."""
    login(client, member)
    response = client.post(
        f"/proposals/{draft.id}/edit",
        content_type="multipart/form-data",
        data=form_data(draft, attachment_upload=upload(PDF, "workplan.pdf")),
    )
    assert response.status_code == 302
    db.session.add(ProposalVersion(proposal_id=draft.id, number=1, content=snapshot(draft)))
    db.session.commit()
    return draft


def pages(proposal) -> dict[str, str]:
    [attachment] = proposal.attachments
    return {
        "page": f"/proposals/{proposal.id}",
        "printable version": f"/proposals/{proposal.id}/versions/1",
        "file": f"/proposals/{proposal.id}/files/{attachment.file_id}",
    }


def visitor(app, who: str, proposal):
    """A client signed in as `who` (None: anonymous)."""
    client = app.test_client()
    if who == "member":
        user = make_user()
        proposal.organisation.memberships.append(
            type(proposal.organisation.memberships[0])(user_id=user.id)
        )
        db.session.commit()
    elif who == "other applicant":
        user = make_user(Role.APPLICANT)
        make_organisation(user)
    elif who == "reviewer":
        user = make_user(Role.REVIEWER)
    elif who == "chair":
        user = make_user(Role.CHAIR)
    elif who == "admin":
        user = make_user(Role.ADMIN)
    else:
        return client
    login(client, user)
    return client


def status(client, url: str) -> int:
    response = client.get(url)
    response.get_data()
    response.close()  # a sent file stays open until then
    return response.status_code


@pytest.mark.parametrize("page", ["page", "printable version", "file"])
@pytest.mark.parametrize("who", ["admin", "chair", "reviewer", "other applicant"])
def test_a_draft_does_not_exist_for_others(app, draft_with_file, who, page):
    client = visitor(app, who, draft_with_file)
    assert status(client, pages(draft_with_file)[page]) == 404


@pytest.mark.parametrize("page", ["page", "printable version", "file"])
def test_an_anonymous_visitor_is_sent_to_log_in(app, draft_with_file, page):
    response = app.test_client().get(pages(draft_with_file)[page])
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize("page", ["page", "printable version", "file"])
def test_the_organisations_members_see_their_draft(app, draft_with_file, page):
    client = visitor(app, "member", draft_with_file)
    assert status(client, pages(draft_with_file)[page]) == 200


@pytest.mark.parametrize("page", ["page", "file"])
def test_a_draft_withdrawn_before_it_was_sent_stays_private(app, draft_with_file, page):
    draft_with_file.state = "withdrawn"
    db.session.commit()
    client = visitor(app, "chair", draft_with_file)
    assert status(client, pages(draft_with_file)[page]) == 404


@pytest.mark.parametrize("page", ["page", "file"])
@pytest.mark.parametrize("who", ["admin", "chair"])
def test_once_submitted_the_secretariat_and_chairs_read_it(app, draft_with_file, who, page):
    draft_with_file.state, draft_with_file.submitted_at = "submitted", utcnow()
    db.session.commit()
    client = visitor(app, who, draft_with_file)
    assert status(client, pages(draft_with_file)[page]) == 200
