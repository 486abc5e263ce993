"""Registering an organisation: who may, what is stored, and how bad input is refused."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import AuditEvent, Membership, Organisation, Role
from tests.conftest import login, make_user
from tests.organisations.conftest import organisation_form


def organisation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_applicant_registers_an_organisation_and_becomes_its_member(client):
    """A valid form creates the organisation, makes the creator a member and audits it."""
    applicant = make_user(Role.APPLICANT)
    login(client, applicant)

    response = client.post(
        "/organisations/new",
        data=organisation_form(safeguarding_review_date="2026-03-01"),
    )

    organisation = db.session.scalar(select(Organisation))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    assert organisation.name == "Safe Childhoods Uganda"
    assert organisation.country_code == "UG"
    assert organisation.org_type == "ngo"
    assert organisation.budget_band == "under_50k"
    assert organisation.registration_scheme == "UG-NGB"
    assert organisation.registration_number == "INDR-12345"
    assert organisation.website == "https://safechildhoods.example.org"
    assert organisation.safeguarding_review_date.isoformat() == "2026-03-01"
    assert organisation.safeguarding_focal_point == "Grace Namubiru, programme manager"
    assert [m.user_id for m in organisation.memberships] == [applicant.id]
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "organisation")
    ).all()
    assert [(a.subject_id, a.action, a.actor_id) for a in audit] == [
        (organisation.id, "create", applicant.id)
    ]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert b"Safe Childhoods Uganda is registered." in page.data


def test_optional_fields_may_be_left_empty(client):
    """Only name, country, type and budget are needed; empty optional fields are stored as NULL."""
    login(client, make_user(Role.APPLICANT))

    response = client.post(
        "/organisations/new",
        data=organisation_form(
            registration_scheme="", registration_number="", website="", safeguarding_focal_point=""
        ),
    )

    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation))
    assert organisation.registration_scheme is None
    assert organisation.website is None
    assert organisation.safeguarding_focal_point is None


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ((Role.REVIEWER,), 403),
        ((Role.CHAIR,), 403),
        ((Role.ADMIN,), 403),
        ((Role.CHAIR, Role.REVIEWER), 403),
        ((Role.APPLICANT,), 200),
        ((Role.REVIEWER, Role.APPLICANT), 200),
    ],
)
def test_only_applicants_may_open_the_registration_form(client, roles, status):
    """The form is for applicants; every other role combination gets 403."""
    login(client, make_user(*roles))
    assert client.get("/organisations/new").status_code == status


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.CHAIR, Role.ADMIN])
def test_a_user_without_the_applicant_role_cannot_post_the_form(client, role):
    """The 403 also holds for a POST, and nothing is created."""
    login(client, make_user(role))
    assert client.post("/organisations/new", data=organisation_form()).status_code == 403
    assert organisation_count() == 0


def test_anonymous_visitor_is_sent_to_login(client):
    """Registering needs an account."""
    response = client.get("/organisations/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"country_code": ""}, "This field is required."),
        ({"country_code": "ZZ"}, "Not a valid choice."),
        ({"country_code": "Uganda"}, "Not a valid choice."),
        ({"org_type": "company"}, "Not a valid choice."),
        ({"budget_band": "billions"}, "Not a valid choice."),
        ({"website": "safechildhoods.example.org"}, "Give a full address, starting with https://"),
        (
            {"website": "javascript://example.org/%0Aalert(1)"},
            "Give a full address, starting with https://",
        ),
        ({"website": "ftp://example.org/file"}, "Give a full address, starting with https://"),
        ({"website": "https://example.org/\x00"}, "Remove the invisible control characters"),
        ({"name": "Safe\x00Childhoods"}, "Remove the invisible control characters"),
        ({"name": "Safe\x1b[31mChildhoods"}, "Remove the invisible control characters"),
        ({"registration_number": "12\x0745"}, "Remove the invisible control characters"),
        ({"safeguarding_focal_point": "Grace\x08"}, "Remove the invisible control characters"),
        ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"registration_scheme": "x" * 41}, "Field cannot be longer than 40 characters."),
        ({"registration_number": "x" * 81}, "Field cannot be longer than 80 characters."),
        (
            {"website": "https://example.org/" + "x" * 290},
            "Field cannot be longer than 300 characters.",
        ),
        ({"safeguarding_focal_point": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"safeguarding_review_date": "1 March"}, "Not a valid date value."),
    ],
)
def test_bad_input_is_refused_with_a_message(client, overrides, message):
    """Each bad field gives 400, its message next to the field, and nothing is created."""
    login(client, make_user(Role.APPLICANT))

    response = client.post("/organisations/new", data=organisation_form(**overrides))

    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    assert b"Please correct the following" in response.data
    assert organisation_count() == 0


def test_html_in_the_name_is_shown_escaped(client):
    """A name with markup is stored as typed and shown as text, never as HTML."""
    login(client, make_user(Role.APPLICANT))
    name = '<script>alert("x")</script><b>Bold</b>'

    response = client.post("/organisations/new", data=organisation_form(name=name))
    page = client.get(response.headers["Location"])

    assert db.session.scalar(select(Organisation.name)) == name
    assert page.status_code == 200
    assert b"<script>alert" not in page.data
    assert b"<b>Bold</b>" not in page.data
    assert b"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;Bold&lt;/b&gt;" in page.data


def test_member_edits_the_details(client):
    """A member can change the details; the change is audited."""
    applicant = make_user(Role.APPLICANT)
    login(client, applicant)
    client.post("/organisations/new", data=organisation_form())
    organisation = db.session.scalar(select(Organisation))

    response = client.post(
        f"/organisations/{organisation.id}/edit",
        data=organisation_form(name="Safe Childhoods East Africa", country_code="KE"),
    )

    assert response.status_code == 302
    assert organisation.name == "Safe Childhoods East Africa"
    assert organisation.country_code == "KE"
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.subject_id == organisation.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "update"]
