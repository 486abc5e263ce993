"""The decision settings of a call: the disagreement threshold, hiding reviewers' names from the
chairs, and the decision letters, set in the call form and respected where chairs read reviews
and where applicants receive letters."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from flask_login import AnonymousUserMixin
from markupsafe import escape
from sqlalchemy import select

from fund import permissions
from fund.calls import services
from fund.calls.decision_settings import LETTER_OUTCOMES, LETTER_PARTS, letter_name
from fund.calls.forms import PLACEHOLDER_HINTS
from fund.decisions.letters import PLACEHOLDERS, default_letter
from fund.extensions import db
from fund.models import AuditEvent, Call, Decision, ProposalState, Role
from fund.models.base import utcnow
from tests.calls.conftest import form_data, input_value
from tests.conftest import login, make_organisation, make_proposal, make_user, outbox
from tests.decisions.conftest import decide, make_reviewed, make_rubric_call, review


def names_box(page: str) -> str:
    """The "hide reviewers' names" checkbox's tag (its hint is named by aria-describedby)."""
    return re.search(r'<input [^>]*id="hide_reviewer_names"[^>]*type="checkbox"[^>]*>', page)[0]


AWARD_BODY = (
    'Dear {organisation},\r\nYour project "{title}" ({reference}) receives '
    "{amount} {currency}.\r\n{reasons}\r\n{reviewer_comments}\r\nThe INSPIRE Fund"
)


def built_in_letters(app, language: str = "en") -> dict[str, str]:
    """The form fields of the three built-in letters, as a browser sends them back (CRLF)."""
    with app.test_request_context(headers={"Accept-Language": language}):
        return {
            letter_name(outcome, part): text.replace("\n", "\r\n")
            for outcome in LETTER_OUTCOMES
            for part, text in zip(LETTER_PARTS, default_letter(outcome), strict=True)
        }


@pytest.fixture
def call(client, admin) -> Call:
    """A call made through the form, with the built-in decision settings."""
    assert client.post("/calls/new", data=form_data()).status_code == 302
    return Call.query.one()


def updates() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "update")))


# --- the form ---------------------------------------------------------------------------------


def test_a_new_call_starts_with_the_built_in_settings_and_letters(client, admin):
    """Threshold 15, names shown, and each letter's box holds the built-in text to edit."""
    page = client.get("/calls/new").text
    assert input_value(page, "disagreement_threshold") == "15"
    assert (
        "standard deviation of its reviewers' weighted scores (on the 0-100 scale)"
        in html.unescape(page)
    )
    assert " checked " not in names_box(page)
    for outcome in LETTER_OUTCOMES:
        subject, body = default_letter(outcome)
        assert input_value(page, f"letter_{outcome}_subject") == str(escape(subject))
        assert str(escape(body)) in page
    assert (
        "{organisation}, {title}, {reference}, {amount}, {currency}, {reasons}, "
        "{reviewer_comments}" in page
    )


def test_the_form_explains_every_placeholder_the_letters_know():
    assert list(PLACEHOLDER_HINTS) == list(PLACEHOLDERS)


def test_a_call_is_created_with_its_decision_settings(client, admin, app):
    """What the secretariat enters is stored; letters left as built in are not copied."""
    response = client.post(
        "/calls/new",
        data=form_data(
            **{
                **built_in_letters(app),
                "disagreement_threshold": "12,5",
                "hide_reviewer_names": "y",
                "letter_award_subject": "Good news about {reference}",
                "letter_award_body": AWARD_BODY,
            }
        ),
    )
    assert response.status_code == 302
    call = Call.query.one()
    assert call.disagreement_threshold == Decimal("12.5")
    assert call.hide_reviewer_names is True
    assert call.letter_templates == {
        "award": {
            "subject": "Good news about {reference}",
            "body": AWARD_BODY.replace("\r\n", "\n"),
        }
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_built_in_letters_sent_back_unchanged_are_not_stored(client, admin, app, language):
    """The built-in letter, in any language, stays built in: each member reads their own."""
    response = client.post("/calls/new", data=form_data(**built_in_letters(app, language)))
    assert response.status_code == 302
    assert Call.query.one().letter_templates == {}


def test_the_edit_form_shows_the_calls_own_settings(client, call):
    call.disagreement_threshold = Decimal("22.50")
    call.hide_reviewer_names = True
    call.letter_templates = {"decline": {"body": "Sorry, {organisation}."}}
    db.session.commit()
    page = client.get(f"/calls/{call.id}/edit").text
    assert input_value(page, "disagreement_threshold") == "22.5"
    assert " checked " in names_box(page)
    assert "Sorry, {organisation}.</textarea>" in page
    assert input_value(page, "letter_decline_subject") == str(escape(default_letter("decline")[0]))


def test_editing_the_decision_settings_saves_and_audits_them(client, call, admin):
    """The change is saved and the audit entry names the three settings."""
    response = client.post(
        f"/calls/{call.id}/edit",
        data=form_data(
            disagreement_threshold="20",
            hide_reviewer_names="y",
            letter_decline_body="Sorry, {organisation}: {reasons}",
        ),
    )
    assert response.status_code == 302
    assert (call.disagreement_threshold, call.hide_reviewer_names) == (Decimal("20"), True)
    assert call.letter_templates == {"decline": {"body": "Sorry, {organisation}: {reasons}"}}
    (event,) = updates()
    assert (event.subject_id, event.actor_id) == (call.id, admin.id)
    for name in ("disagreement_threshold", "hide_reviewer_names", "letter_templates"):
        assert name in event.comment


def test_the_settings_still_change_after_proposals_are_submitted(client, call):
    """They shape decisions, not proposals, so the first submission does not lock them."""
    proposal = make_proposal(make_organisation(make_user(Role.APPLICANT)), call)
    proposal.state, proposal.submitted_at = ProposalState.SUBMITTED, utcnow()
    db.session.commit()
    assert services.locked_fields(call)
    response = client.post(
        f"/calls/{call.id}/edit",
        data={
            key: value
            for key, value in form_data(
                disagreement_threshold="30", letter_award_subject="Grant for {reference}"
            ).items()
            if key.split("-")[0] not in services.LOCKED_FIELDS
        },
    )
    assert response.status_code == 302
    assert call.disagreement_threshold == Decimal("30")
    assert call.letter_templates == {"award": {"subject": "Grant for {reference}"}}


def test_an_edit_that_does_not_send_the_letters_or_threshold_keeps_them(client, call):
    call.disagreement_threshold = Decimal("25")
    call.letter_templates = {"award": {"body": "Well done, {organisation}."}}
    db.session.commit()
    assert client.post(f"/calls/{call.id}/edit", data=form_data(title="Renamed")).status_code == 302
    assert call.title == "Renamed"
    assert call.disagreement_threshold == Decimal("25")
    assert call.letter_templates == {"award": {"body": "Well done, {organisation}."}}


# --- bad input: 400, a message, nothing saved ---------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Give a number of points from 0 to 50."),
        ("50.01", "Give a number of points from 0 to 50."),
        ("51", "Give a number of points from 0 to 50."),
        ("", "Enter a number of points, e.g. 15 or 12.5."),
        ("abc", "Enter a number of points, e.g. 15 or 12.5."),
        ("NaN", "Enter a number of points, e.g. 15 or 12.5."),
        ("1e3", "Enter a number of points, e.g. 15 or 12.5."),
        ("12.345", "Enter a number of points, e.g. 15 or 12.5."),
    ],
)
def test_a_bad_threshold_is_refused(client, admin, value, message):
    response = client.post("/calls/new", data=form_data(disagreement_threshold=value))
    assert response.status_code == 400
    assert message in response.text
    assert Call.query.count() == 0


@pytest.mark.parametrize("value", ["0", "50"])
def test_the_thresholds_limits_are_allowed(client, admin, value):
    assert (
        client.post("/calls/new", data=form_data(disagreement_threshold=value)).status_code == 302
    )
    assert Call.query.one().disagreement_threshold == Decimal(value)


BAD_TEMPLATES = [
    ("letter_decline_body", "Dear {organisaton},", "Unknown placeholder {organisaton}."),
    ("letter_award_subject", "Grant {0}", "Unknown placeholder {0}."),
    ("letter_award_body", "Dear {organisation", "at “Dear {organisation”"),
    ("letter_request_revision_body", "Dear organisation}", "at “organisation}”"),
    ("letter_award_body", "Dear {{organisation}}", "A brace that is not part of a placeholder"),
    (
        "letter_decline_subject",
        "About {reference:>10}",
        "A brace that is not part of a placeholder",
    ),
    ("letter_award_body", "Dear { title }", "A brace that is not part of a placeholder"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_TEMPLATES)
def test_a_letter_with_a_bad_placeholder_is_refused(client, call, name, text, message):
    """The message names the placeholder or the brace; the call is left as it was."""
    response = client.post(f"/calls/{call.id}/edit", data=form_data(**{name: text}))
    assert response.status_code == 400
    assert str(escape(message)) in response.text
    assert f'href="#{name}"' in response.text  # in the summary, leading to the field
    db.session.expire_all()
    assert call.letter_templates == {}
    assert updates() == []


@pytest.mark.parametrize(
    ("name", "length", "limit"),
    [
        ("letter_award_body", 10001, 10000),
        ("letter_decline_subject", 201, 200),
    ],
)
def test_an_over_long_letter_is_refused(client, admin, name, length, limit):
    response = client.post("/calls/new", data=form_data(**{name: "x" * length}))
    assert response.status_code == 400
    assert f"Up to {limit} characters; this has {length}." in response.text
    assert Call.query.count() == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"disagreement_threshold": Decimal("NaN")}, "disagreement_threshold"),
        ({"disagreement_threshold": Decimal("-0.5")}, "disagreement_threshold"),
        ({"letter_templates": {"award": {"body": "x" * 10001}}}, "letter_award_body"),
        ({"letter_templates": {"decline": {"subject": "{score}"}}}, "letter_decline_subject"),
        ({"letter_templates": {"decline": {"body": "Dear {"}}}, "letter_decline_body"),
        ({"letter_templates": {"prize": {"body": "Hello"}}}, "letter_templates"),
        ({"letter_templates": {"award": {"footer": "Hello"}}}, "letter_templates"),
    ],
)
def test_the_service_refuses_bad_settings_from_any_entry_point(call, values, field):
    """The rules live in the service, so an import or the demo cannot bypass them."""
    with pytest.raises(services.CallInvalid) as raised:
        services.update_call(call, make_user(Role.ADMIN), values)
    assert list(raised.value.errors) == [field]
    db.session.rollback()


# --- the letter the applicant receives -----------------------------------------------------------


def test_the_edited_award_letter_is_what_the_applicant_receives(client, call, app):
    """Set in the call form, filled in by an award through the chairs' page, mailed as edited,
    in English even to a member whose language is French."""
    assert (
        client.post(
            f"/calls/{call.id}/edit",
            data=form_data(
                **{
                    **built_in_letters(app),
                    "letter_award_subject": "Good news about {reference}",
                    "letter_award_body": AWARD_BODY,
                }
            ),
        ).status_code
        == 302
    )
    members = [make_user(Role.APPLICANT), make_user(Role.APPLICANT, locale="fr")]
    organisation = make_organisation(*members, name="Kids First Kampala")
    call.published_at = call.opens_at
    db.session.commit()
    proposal = make_reviewed(
        call, organisation, title="Parents together", amount="12000", reference="INS-2027-0042"
    )
    login(client, make_user(Role.CHAIR))
    response = decide(client, proposal.id, "award", amount="12000", reasons="An excellent fit.")
    assert response.status_code == 302
    expected = (
        'Dear Kids First Kampala,\nYour project "Parents together" (INS-2027-0042) '
        "receives 12,000.00 USD.\nAn excellent fit.\n"
    )
    decision = db.session.scalar(select(Decision))
    assert decision.letter_subject == "Good news about INS-2027-0042"
    assert decision.letter_text.startswith(expected)
    assert decision.letter_text.endswith("\nThe INSPIRE Fund")
    messages = outbox(event="decision_award")
    assert sorted(m.recipient for m in messages) == sorted(m.email for m in members)
    for message in messages:
        assert message.subject == "Good news about INS-2027-0042"
        assert expected in message.body_text


# --- reviewers' names ---------------------------------------------------------------------------


@pytest.fixture
def reviewed(ctx):
    """A reviewed proposal with two reviews: Rita's assigned first, then Sam's."""
    proposal = make_reviewed(make_rubric_call())
    review(
        proposal,
        make_user(Role.REVIEWER, name="Rita Secretname"),
        (4, 4),
        comments="Rita's comment.",
    )
    review(
        proposal, make_user(Role.REVIEWER, name="Sam Secretname"), (2, 3), comments="Sam's comment."
    )
    return proposal


PAGES = ["/decisions/proposals/{id}", "/reviews/proposals/{id}"]


@pytest.mark.parametrize("page", PAGES)
def test_a_call_that_hides_names_shows_chairs_numbered_reviewers(client, reviewed, page):
    """Chairs see "Reviewer 1" and "Reviewer 2", in the order reviewers were assigned."""
    reviewed.call.hide_reviewer_names = True
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    response = client.get(page.format(id=reviewed.id))
    assert response.status_code == 200
    assert "Secretname" not in response.text
    assert response.text.index("Reviewer 1") < response.text.index("Reviewer 2")


def test_the_numbers_match_the_reviews_on_the_decision_page(client, reviewed):
    reviewed.call.hide_reviewer_names = True
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    html = client.get(f"/decisions/proposals/{reviewed.id}").text
    first, second = html.index("Reviewer 1"), html.index("Reviewer 2")
    assert first < html.index("Rita&#39;s comment.") < second < html.index("Sam&#39;s comment.")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("role", "hidden"),
    [
        (Role.ADMIN, True),
        (Role.ADMIN, False),
        (Role.CHAIR, False),
    ],
)
def test_names_are_shown_to_the_secretariat_and_to_chairs_of_calls_that_show_them(
    client, reviewed, page, role, hidden
):
    reviewed.call.hide_reviewer_names = hidden
    db.session.commit()
    login(client, make_user(role))
    response = client.get(page.format(id=reviewed.id))
    assert response.status_code == 200
    assert "Rita Secretname" in response.text
    assert "Sam Secretname" in response.text
    assert "Reviewer 1" not in response.text


@pytest.mark.parametrize(
    ("roles", "hidden", "allowed"),
    [
        ((Role.ADMIN,), True, True),
        ((Role.ADMIN,), False, True),
        ((Role.ADMIN, Role.CHAIR), True, True),
        ((Role.CHAIR,), False, True),
        ((Role.CHAIR,), True, False),
        ((Role.REVIEWER,), False, False),
        ((Role.APPLICANT,), False, False),
        ((), False, False),
    ],
)
def test_who_may_see_reviewers_names(ctx, roles, hidden, allowed):
    call = Call(hide_reviewer_names=hidden)
    user = make_user(*roles) if roles else AnonymousUserMixin()
    assert permissions.can_see_reviewer_names(user, call) is allowed


def test_a_conflict_declared_by_a_reviewer_does_not_name_them_to_chairs(client, reviewed):
    """The decision page's history shows changes of state only, not who declared a conflict."""
    from fund.reviews import conflicts

    reviewed.call.hide_reviewer_names = True
    declarer = make_user(Role.REVIEWER, name="Connie Secretname")
    conflicts.record_conflict(declarer, reviewed, "I advised them last year.", declarer)
    db.session.commit()
    login(client, make_user(Role.CHAIR))
    response = client.get(f"/decisions/proposals/{reviewed.id}")
    assert response.status_code == 200
    assert "Secretname" not in response.text
