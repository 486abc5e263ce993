"""What changed between two versions includes the call's own questions: answers changed, added
and removed, each labelled and written out with the definition its own version was answered
against (choices by label, countries by name, money with its currency)."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest

from fund.calls import form_builder
from fund.extensions import db
from fund.forms_def.definition import find_question
from fund.forms_def.standard import STANDARD_TEXT_IDS
from fund.models import ProposalVersion, Role
from fund.proposals import submission
from fund.rules import proposal_content as content
from tests.conftest import login, make_user
from tests.forms_def.mixed import answer_all, mixed_questions
from tests.proposals.submitting import a_member, complete_proposal, load_income_groups


@pytest.fixture(autouse=True)
def _income_groups(ctx):
    load_income_groups()


def submitted_with_mixed_answers():
    """Version 1 of a proposal answering ten questions, one of each type, in a EUR call."""
    proposal = complete_proposal()
    proposal.call.currency = "EUR"
    ids = mixed_questions(proposal.call, 10)
    proposal.answers = answer_all(proposal.call)
    db.session.commit()
    submission.submit_proposal(
        proposal, a_member(proposal), proposal.call.closes_at - timedelta(days=1)
    )
    db.session.commit()
    return proposal, ids


def second_version(proposal, change) -> dict:
    """Version 2: version 1's content changed by `change(content)`."""
    first = proposal.versions[0].content
    second = copy.deepcopy(first)
    change(second)
    db.session.add(ProposalVersion(proposal_id=proposal.id, number=2, content=second))
    db.session.commit()
    return second


def question(snapshot, qid) -> dict:
    return find_question(snapshot["form"], qid)[1]


def test_changed_added_and_removed_answers_are_listed_as_text(ctx):
    """A choice changed (shown by its labels), a country changed (by name), money changed (with
    its currency), an answer added and one removed; untouched answers are not listed."""
    proposal, ids = submitted_with_mixed_answers()
    text, number, choice, money, country = ids[0], ids[2], ids[4], ids[7], ids[8]
    first = copy.deepcopy(proposal.versions[0].content)
    del first["answers"][number]  # version 1 left the number unanswered

    def change(c):
        c["answers"][choice] = {"choices": [question(c, choice)["choices"][2]["id"]], "other": ""}
        c["answers"][country] = ["KE", "TZ"]
        c["answers"][money] = "2500.50"
        del c["answers"][text]

    second = second_version(proposal, change)
    changes = {c.field: c for c in content.diff(first, second)}
    assert set(changes) == {number, choice, country, money, text}
    assert (changes[choice].old, changes[choice].new) == ("Schools", "Homes")
    assert (changes[country].old, changes[country].new) == ("Uganda", "Kenya; Tanzania")
    assert (changes[money].old, changes[money].new) == ("€1,500.00", "€2,500.50")
    assert (changes[number].status, changes[number].new) == ("added", "12")
    assert (changes[text].status, changes[text].old) == ("removed", "A short answer")
    assert changes[choice].status == "changed" and changes[choice].label == "Question 5"


def test_each_side_reads_with_the_definition_it_was_answered_against(ctx):
    """A question relabelled and a choice renamed between the versions: the old answer keeps the
    old choice's label, the change is labelled with the new label and names the old one; a
    question only the older form had is still listed, with its label then."""
    proposal, ids = submitted_with_mixed_answers()
    choice, yes_no = ids[4], ids[6]
    first = proposal.versions[0].content

    def change(c):
        asked = question(c, choice)
        asked["label"] = "Where will sessions be held?"
        asked["choices"][0]["label"] = "Primary schools"
        c["answers"][choice] = {"choices": [asked["choices"][1]["id"]], "other": ""}
        section = c["form"]["sections"][0]
        section["questions"] = [q for q in section["questions"] if q["id"] != yes_no]
        del c["answers"][yes_no]

    changes = {c.field: c for c in content.diff(first, second_version(proposal, change))}
    assert changes[choice].label == "Where will sessions be held?"
    assert changes[choice].old_label == "Question 5"
    assert (changes[choice].old, changes[choice].new) == ("Schools", "Health centres")
    assert (changes[yes_no].label, changes[yes_no].old, changes[yes_no].new) == (
        "Question 7",
        "Yes",
        "",
    )


def test_a_relabelled_question_with_the_same_answer_is_no_change(ctx):
    proposal, ids = submitted_with_mixed_answers()
    first = proposal.versions[0].content

    def change(c):
        question(c, ids[0])["label"] = "A better label"

    assert content.diff(first, second_version(proposal, change)) == []


def test_a_version_frozen_before_forms_existed_compares_without_answers(ctx):
    """Snapshots without "form" and "answers" (older versions) still compare: every answer
    of the newer one, the standard form's texts included, reads as added."""
    proposal, ids = submitted_with_mixed_answers()
    old = {k: v for k, v in proposal.versions[0].content.items() if k not in ("form", "answers")}
    changes = content.diff(old, proposal.versions[0].content)
    assert {c.field for c in changes} == set(ids) | set(STANDARD_TEXT_IDS.values())
    assert all(c.status == "added" for c in changes)


def test_the_versions_page_shows_the_answers_before_and_after(client):
    proposal, ids = submitted_with_mixed_answers()
    choice, text = ids[4], ids[0]

    def change(c):
        c["answers"][choice] = {"choices": [question(c, choice)["choices"][2]["id"]], "other": ""}
        c["answers"][text] = "<b>Bold</b> new words"

    second_version(proposal, change)
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/proposals/{proposal.id}/versions/2").get_data(as_text=True)
    assert f'<a href="#content-{choice}">Question 5</a>' in page
    assert "answer changed" in page
    assert "<dd>Schools</dd>" in page and "<dd>Homes</dd>" in page
    assert "<dd>&lt;b&gt;Bold&lt;/b&gt; new words</dd>" in page
    assert f'href="#content-{ids[1]}"' not in page  # the long text did not change


def test_a_removed_answer_is_named_without_a_link_to_content_it_no_longer_has(client):
    proposal, ids = submitted_with_mixed_answers()
    admin = make_user(Role.ADMIN)
    form_builder.update_question(proposal.call, admin, ids[3], {"label": "Start of the survey"})
    db.session.commit()

    def change(c):
        del c["answers"][ids[3]]

    second_version(proposal, change)
    login(client, admin)
    page = client.get(f"/proposals/{proposal.id}/versions/2").get_data(as_text=True)
    assert "answer removed" in page and "<dd>2027-05-01</dd>" in page
    assert f'href="#content-{ids[3]}"' not in page
    assert "Start of the survey" not in page  # the frozen definitions, not the call's now
