"""Demo of a revised proposal whose answers changed: version 2 says what changed since version 1,
and the reviewers, back for round 2, see it above the proposal on their review page."""

from __future__ import annotations

from decimal import Decimal

from fund import clock
from fund.models import Proposal

TITLE = "Play without violence in early learning centres"
SAFELY_BEFORE = "Two trained adults in every session."
SAFELY_AFTER = (
    "Two trained adults in every session, one of them a woman; parents sign a consent form; "
    "every centre names a safeguarding focal point whom children and parents can call."
)


def seed_revision(users: dict, organisation) -> Proposal:
    """A past round asking the open call's questions, and one proposal reviewed, sent back for
    revision (the chairs asked about safeguarding), answered differently and resubmitted: round
    2 is open for its three reviewers. In the current transaction, through the app's services."""
    from fund.decisions import services as decisions
    from fund.demo.calls import add_children_questions, add_reach_questions
    from fund.demo.decisions import past_round, reviewed_proposal
    from fund.forms_def.definition import questions
    from fund.proposals.declaration import declaration_text
    from fund.proposals.submission import resubmit_proposal

    admin, chair = users["admin@example.org"], users["chair2@example.org"]
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    call = past_round(admin, "INSPIRE round 2026: revised proposals", 1, now)
    add_children_questions(call, admin)
    add_reach_questions(call, admin)
    # The call's own questions by type: the yes/no and long text of "Children's
    # participation", then the money and countries of "Reach and co-funding".
    own = {}
    for question in questions(call.proposal_form):
        own.setdefault(question["type"], []).append(question["id"])
    asked, safely = own["yes_no"][-1], own["long_text"][-1]
    money, where = own["money"][-1], own["country"][-1]
    proposal = reviewed_proposal(
        call,
        organisation,
        TITLE,
        (4, 3, 3),
        Decimal("24000"),
        users,
        now,
        answers={asked: "yes", safely: SAFELY_BEFORE, money: "5000.00", where: ["UG"]},
    )
    decisions.request_revision(
        proposal,
        chair,
        "Say how children are kept safe in the sessions, and which other donors contribute.",
        now,
    )
    proposal.answers = {
        **proposal.answers,  # the standard texts stay as they were
        asked: "yes",
        safely: SAFELY_AFTER,
        money: "8000.00",
        where: ["UG", "KE"],
    }
    # After the reviews were submitted (their time is the clock's, not rounded to the hour).
    member = organisation.memberships[0].user
    declaration = declaration_text(proposal.call, proposal.language)
    resubmit_proposal(proposal, member, clock.now(), declaration=declaration)
    return proposal
