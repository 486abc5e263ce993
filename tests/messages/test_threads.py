"""Message threads on proposals and grants: who reads and writes, the e-mail to the other side,
attachments, and sharing a message with the reviewers."""

from __future__ import annotations

from io import BytesIO

import pytest
from flask_babel import force_locale, gettext

from fund.extensions import db
from fund.messages.forms import BODY_MAX
from fund.models import AuditEvent, Message, Review, Role
from tests.conftest import login, make_user, outbox
from tests.grants.conftest import build_grant
from tests.messages.conftest import reads_english, write
from tests.proposals.drafting import PDF


def _greeting(locale: str, user) -> str:
    """The e-mail's greeting in `locale` (which must not be the English one)."""
    with force_locale(locale):
        greeting = gettext("Dear %(name)s,", name=user.name)
    assert greeting != f"Dear {user.name},"
    return greeting


def _post(client, proposal, body="When do you decide?", **extra):
    return client.post(
        f"/messages/proposals/{proposal.id}",
        data={"body": body, **extra},
        content_type="multipart/form-data",
    )


# --- access -----------------------------------------------------------------------------------

READ = {
    "member": 200,
    "admin": 200,
    "chair": 200,
    "reviewer": 404,
    "outsider": 404,
    "anonymous": 302,
}
WRITE = {
    "member": 302,
    "admin": 302,
    "chair": 403,
    "reviewer": 404,
    "outsider": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize(("role", "status"), READ.items())
def test_who_reads_a_proposal_thread(client, people, role, status):
    """Members, the secretariat and the chairs read it; reviewers and others do not see it."""
    write(people.proposal, people.member, "A question", secretariat=False)
    people.as_role(client, role)
    response = client.get(f"/messages/proposals/{people.proposal.id}")
    assert response.status_code == status
    if status == 302:
        assert "/account/login" in response.headers["Location"]
    if status == 200:
        assert "A question" in response.text


@pytest.mark.parametrize(("role", "status"), WRITE.items())
def test_who_writes_in_a_proposal_thread(client, people, role, status):
    """The two sides write; chairs only read; the rest are refused and nothing is kept."""
    people.as_role(client, role)
    response = _post(client, people.proposal)
    assert response.status_code == status
    count = db.session.scalar(db.select(db.func.count()).select_from(Message))
    assert count == (1 if role in ("member", "admin") else 0)


def test_a_draft_has_no_thread(client, people):
    """Until it is submitted a proposal is its organisation's alone: no thread to write in."""
    people.proposal.state = "draft"
    people.proposal.submitted_at = None
    db.session.commit()
    login(client, people.member)
    assert _post(client, people.proposal).status_code == 404
    assert client.get(f"/messages/proposals/{people.proposal.id}").status_code == 404


# --- writing and the e-mail to the other side ---------------------------------------------------


def test_an_applicant_message_goes_to_every_admin_in_their_language(client, people):
    """The secretariat (every active admin) is told, in its own language, with a reply link."""
    login(client, people.member)
    response = _post(client, people.proposal, "Can we change the start date?")
    assert response.headers["Location"].endswith(f"/proposals/{people.proposal.id}#messages")
    message = db.session.scalar(db.select(Message))
    assert (message.from_secretariat, message.author_id) == (False, people.member.id)
    mail = outbox("message_to_secretariat")
    assert [m.recipient for m in mail] == [people.admin.email]
    assert "Can we change the start date?" in mail[0].body_text
    assert f"/proposals/{people.proposal.id}#messages" in mail[0].body_text
    assert "Safe Homes" in mail[0].subject
    assert _greeting("es", people.admin) in mail[0].body_text
    assert outbox("message_to_applicant") == []


def test_a_secretariat_message_goes_to_the_members_in_their_language(client, people):
    """Each member receives it in their own language (here French)."""
    login(client, people.admin)
    _post(client, people.proposal, "Please send your registration certificate.")
    mail = outbox("message_to_applicant")
    assert [m.recipient for m in mail] == [people.member.email]
    assert "Please send your registration certificate." in mail[0].body_text
    assert _greeting("fr", people.member) in mail[0].body_text
    assert db.session.scalar(db.select(Message.from_secretariat)) is True


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Write the message."), ("   ", "Write the message."), ("x" * (BODY_MAX + 1), "10000")],
    ids=["empty", "blank", "too-long"],
)
def test_a_bad_message_is_refused_with_the_reason_and_kept(client, people, body, message):
    """An empty or over-long message: 400, the reason next to the field, nothing sent."""
    reads_english(people.member)
    login(client, people.member)
    response = _post(client, people.proposal, body)
    assert response.status_code == 400
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    assert outbox() == []


def test_opening_the_thread_marks_the_other_sides_messages_read(client, people):
    """An admin opening the proposal marks the applicant's messages read, not its own."""
    mine = write(people.proposal, people.admin, "Our question", secretariat=True)
    theirs = write(people.proposal, people.member, "Our answer", secretariat=False)
    login(client, people.admin)
    assert client.get(f"/proposals/{people.proposal.id}").status_code == 200
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert mine.read_at is None and theirs.read_at is not None


# --- attachments ------------------------------------------------------------------------------


def test_a_message_carries_a_file_checked_by_content(client, people):
    """A real PDF is kept with the message and downloaded by those who read the thread."""
    login(client, people.member)
    response = _post(
        client, people.proposal, "Our certificate", attachments=[(BytesIO(PDF), "cert.pdf")]
    )
    assert response.status_code == 302
    message = db.session.scalar(db.select(Message))
    attachment = message.attachments[0]
    assert attachment.file.original_name == "cert.pdf"
    url = f"/messages/{message.id}/files/{attachment.id}"
    for role, status in {"member": 200, "admin": 200, "chair": 200, "reviewer": 404}.items():
        login(client, getattr(people, role))
        got = client.get(url)
        assert got.status_code == status, role
        if status == 200:
            assert got.get_data() == PDF
        got.close()  # a file response holds the file open until closed
    with client.session_transaction() as session:
        session.clear()
    assert client.get(url).status_code == 302


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_sent(client, people):
    """A "PDF" that is not one: 400 with the reason, no message, no mail."""
    login(client, people.member)
    response = _post(
        client, people.proposal, "Our file", attachments=[(BytesIO(b"not a pdf"), "cert.pdf")]
    )
    assert response.status_code == 400
    assert ".pdf" in response.text and "message-attachments-error-1" in response.text
    assert db.session.scalar(db.select(db.func.count()).select_from(Message)) == 0
    assert outbox() == []


def test_an_attachment_of_another_message_is_not_found(client, people):
    """Ids that do not belong together give 404, not someone else's file."""
    login(client, people.member)
    _post(client, people.proposal, "One", attachments=[(BytesIO(PDF), "a.pdf")])
    other = write(people.proposal, people.member, "Two", secretariat=False)
    attachment = db.session.scalar(db.select(Message).where(Message.body == "One")).attachments[0]
    assert client.get(f"/messages/{other.id}/files/{attachment.id}").status_code == 404


# --- sharing with reviewers -------------------------------------------------------------------


SHARE = {"admin": 302, "member": 403, "chair": 403, "reviewer": 404, "outsider": 404}


@pytest.mark.parametrize(("role", "status"), [*SHARE.items(), ("anonymous", 302)])
def test_only_the_secretariat_shares_a_message(client, people, role, status):
    message = write(people.proposal, people.member, "Budget detail", secretariat=False)
    people.as_role(client, role)
    assert client.post(f"/messages/{message.id}/share").status_code == status
    db.session.refresh(message)
    assert (message.shared_at is not None) == (role == "admin")


def test_a_shared_message_shows_on_the_reviewers_page_marked_as_shared(client, people):
    """The reviewer sees the shared message (marked so), never the others; it is audited."""
    shared = write(people.proposal, people.member, "Shared budget detail", secretariat=False)
    write(people.proposal, people.member, "Private remark", secretariat=False)
    login(client, people.admin)
    assert client.post(f"/messages/{shared.id}/share").status_code == 302
    audit = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "share_message"))
    assert audit.subject_id == people.proposal.id
    with client.session_transaction() as session:
        session.clear()
    login(client, people.reviewer)
    review_id = db.session.scalar(
        db.select(Review.id).where(Review.reviewer_id == people.reviewer.id)
    )
    page = client.get(f"/reviews/{review_id}").text
    assert "Shared budget detail" in page and "shared with reviewers" in page
    assert "Private remark" not in page
    assert "Maria Member" not in page  # reviewers do not learn the applicant's people


def test_sharing_twice_says_it_was_already_shared(client, people):
    message = write(people.proposal, people.member, "Detail", secretariat=False)
    reads_english(people.admin)
    login(client, people.admin)
    client.post(f"/messages/{message.id}/share")
    response = client.post(f"/messages/{message.id}/share", follow_redirects=True)
    assert "already shared" in response.text


# --- grants -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "read", "write_status"),
    [
        ("member", 200, 302),
        ("admin", 200, 302),
        ("outsider", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_a_grant_has_its_thread_for_the_grantee_and_the_secretariat(
    client, role, read, write_status
):
    world = build_grant()
    if role != "anonymous":
        login(client, getattr(world, role))
    assert client.get(f"/messages/grants/{world.grant.id}").status_code == read
    response = client.post(
        f"/messages/grants/{world.grant.id}",
        data={"body": "About the second tranche"},
        content_type="multipart/form-data",
    )
    assert response.status_code == write_status
    if write_status == 302 and role != "anonymous":
        assert response.headers["Location"].endswith(f"/grants/{world.grant.id}#messages")
        page = client.get(f"/grants/{world.grant.id}").text
        assert "About the second tranche" in page


def test_a_chair_reads_a_grant_thread_but_does_not_write(client):
    world = build_grant()
    chair = make_user(Role.CHAIR)
    login(client, chair)
    assert client.get(f"/messages/grants/{world.grant.id}").status_code == 200
    response = client.post(
        f"/messages/grants/{world.grant.id}",
        data={"body": "Hello"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
