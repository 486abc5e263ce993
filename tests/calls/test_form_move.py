"""The builder's drag and drop: one POST puts a question (in any section) or a section at a
new place; only the secretariat may, it is audited, and a place that is not in the form, or one
that would put a condition before its question, is refused with a clear 400."""

from __future__ import annotations

import pytest

from fund.extensions import db
from fund.models import AuditEvent, Role
from tests.conftest import login, make_user
from tests.forms_def.building import children_questions, many_questions


def world():
    """A call with sections "Children" (asked, safely) and "Many" (three short questions)."""
    call, asked, safely = children_questions()
    many = many_questions(call, 3)
    children, more = (s["id"] for s in call.proposal_form["sections"])
    return call, {"asked": asked, "safely": safely, "children": children, "many": more, "m": many}


def order(call) -> list[tuple[str, list[str]]]:
    db.session.refresh(call)
    return [(s["id"], [q["id"] for q in s["questions"]]) for s in call.proposal_form["sections"]]


def move(client, call, item, section, position, json=True):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        f"/calls/{call.id}/form/move",
        data={"item": item, "section": section, "position": str(position)},
        headers=headers,
    )


def test_a_question_dropped_in_another_section_lands_there_and_is_audited(client):
    call, ids = world()
    login(client, make_user(Role.ADMIN))
    response = move(client, call, ids["m"][2], ids["children"], 1)
    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "message": "The form's order is saved."}
    assert order(call) == [
        (ids["children"], [ids["asked"], ids["m"][2], ids["safely"]]),
        (ids["many"], ids["m"][:2]),
    ]
    audit = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "form_change"))
    assert "question moved: Question 2" in [a.comment for a in audit]


def test_a_question_dropped_within_its_section_and_a_section_reordered(client):
    call, ids = world()
    login(client, make_user(Role.ADMIN))
    assert move(client, call, ids["m"][0], ids["many"], 2).status_code == 200
    assert order(call)[1] == (ids["many"], [ids["m"][1], ids["m"][2], ids["m"][0]])
    assert move(client, call, ids["many"], "", 0).status_code == 200
    assert [s for s, _q in order(call)] == [ids["many"], ids["children"]]


def test_without_javascript_the_post_comes_back_to_the_builder(client):
    call, ids = world()
    login(client, make_user(Role.ADMIN))
    response = move(client, call, ids["many"], "", 0, json=False)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/calls/{call.id}/form#questions")


def test_a_drop_where_it_was_changes_nothing_and_writes_no_audit(client):
    call, ids = world()
    login(client, make_user(Role.ADMIN))
    before = db.session.scalar(db.select(db.func.count(AuditEvent.id)))
    assert move(client, call, ids["m"][1], ids["many"], 1).status_code == 200
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == before


@pytest.mark.parametrize(
    "item, section, position, message",
    [
        ("{safely}", "{children}", "0", "can only depend on a question that comes before it"),
        ("{asked}", "{many}", "0", "can only depend on a question that comes before it"),
        ("{asked}", "{children}", "7", "That place is not in the form."),
        ("{asked}", "{children}", "-1", "whole number"),
        ("{asked}", "{children}", "", "Say where to put it."),
        ("{asked}", "s_ffffffff", "0", "That section is no longer part of the form."),
        ("q_ffffffff", "{children}", "0", "That question is no longer part of the form."),
        ("", "{children}", "0", "Say what to move."),
        ("{many}", "", "2", "That place is not in the form."),
    ],
    ids=[
        "condition first",
        "source after",
        "past the end",
        "negative",
        "no place",
        "unknown section",
        "unknown question",
        "nothing",
        "section past the end",
    ],
)
def test_a_bad_move_is_refused_with_a_clear_400_and_changes_nothing(
    client, item, section, position, message
):
    call, ids = world()
    before = order(call)
    login(client, make_user(Role.ADMIN))
    response = client.post(
        f"/calls/{call.id}/form/move",
        data={"item": item.format(**ids), "section": section.format(**ids), "position": position},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert order(call) == before


@pytest.mark.parametrize("role", (Role.APPLICANT, Role.REVIEWER, Role.CHAIR))
def test_other_roles_are_refused_and_change_nothing(client, role):
    call, ids = world()
    before = order(call)
    login(client, make_user(role))
    assert move(client, call, ids["many"], "", 0).status_code == 403
    assert order(call) == before


def test_anonymous_visitors_are_sent_to_log_in(client):
    call, ids = world()
    before = order(call)
    response = move(client, call, ids["many"], "", 0, json=False)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert order(call) == before


def test_a_move_without_its_csrf_token_is_refused(client, csrf):
    call, ids = world()
    before = order(call)
    login(client, make_user(Role.ADMIN))
    response = move(client, call, ids["many"], "", 0)
    assert response.status_code == 400
    assert "The form had expired" in response.get_json()["message"]
    assert order(call) == before


def test_the_builder_page_carries_what_the_script_needs(client):
    call, ids = world()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}/form").get_data(as_text=True)
    assert f'data-move-url="/calls/{call.id}/form/move"' in page
    assert f'<li id="{ids["asked"]}" data-question>' in page
    assert "form_builder.js" in page
