"""Helpers for the file-question tests: a call asking for a letter of support (PDF or an image,
at most 1 MB), a complete draft to it, and saving the draft with a file."""

from __future__ import annotations

from fund.calls import form_builder
from fund.extensions import db
from fund.models import Call, Proposal, Role
from tests.conftest import make_call, make_user
from tests.proposals.drafting import form_data, upload
from tests.proposals.submitting import complete_proposal

LETTER = "Letter of support from a partner"
NOTE = "A note for the reviewers"


def letter_call(call: Call | None = None, *, required: bool = False) -> tuple[Call, str, str]:
    """(call, id of the file question, id of a short-text question after it)."""
    call = call or make_call()
    admin = make_user(Role.ADMIN)
    section = form_builder.add_section(call, admin, "Partners")
    letter = form_builder.add_question(call, admin, section, "file", LETTER, [])
    form_builder.update_question(
        call,
        admin,
        letter,
        {"required": required, "limits": {"kinds": ["pdf", "image"], "max_mb": 1}},
    )
    note = form_builder.add_question(call, admin, section, "short_text", NOTE, [])
    db.session.commit()
    return call, letter, note


def letter_draft(*, required: bool = False) -> tuple[Proposal, str, str]:
    """A complete draft to a call with a file question: (proposal, letter id, note id)."""
    call, letter, note = letter_call(required=required)
    return complete_proposal(call=call), letter, note


def save_with_file(client, proposal: Proposal, letter: str, data: bytes, name: str, **fields):
    """Save the draft (the edit form, as the browser sends it) with a file for `letter`."""
    return client.post(
        f"/proposals/{proposal.id}/edit",
        content_type="multipart/form-data",
        data=form_data(proposal, **{f"{letter}-file": upload(data, name)}, **fields),
    )


def saved_letter(proposal: Proposal, letter: str) -> dict | None:
    db.session.expire_all()
    return (db.session.get(Proposal, proposal.id).answers or {}).get(letter)
