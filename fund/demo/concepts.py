"""The demo's two-stage call, in English and French: concept notes until two days ago, full
proposals by invitation for five more weeks. One note is invited (its full proposal in draft),
one waits for a decision and one is declined, each through the services the pages use."""

from __future__ import annotations

from datetime import timedelta

from fund import clock
from fund.calls import form_builder, rules
from fund.calls import services as calls
from fund.demo.calls import add_schools_reached
from fund.demo.french import TWO_STAGE_DESCRIPTION, add_french_texts
from fund.models import Call, Organisation, User
from fund.proposals import concept, drafts
from fund.reviews import concepts

NOTES = (
    # (organisation index, title, summary, what happens to it)
    (
        0,
        "Faith leaders against violence in Lira",
        "Imams and pastors in Lira learn INSPIRE's norms and values strategy and lead "
        "community dialogues on raising children without violence.",
        "invite",
    ),
    (
        0,
        "Radio drama on positive parenting",
        "A twelve-episode radio drama in Luo and English, with call-in shows on positive "
        "parenting.",
        "wait",
    ),
    (
        1,
        "Caravane de sensibilisation à Kaolack",
        "Une caravane de théâtre et de causeries dans vingt villages sur la protection des "
        "enfants contre la violence.",
        "decline",
    ),
)


def seed_two_stage_call(users: dict[str, User], organisations: list[Organisation]) -> Call:
    """The two-stage call and its concept notes, in the current transaction."""
    admin, chair = users["admin@example.org"], users["chair@example.org"]
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    call = calls.create_call(
        admin,
        {
            **rules.default_values(),
            "title": "INSPIRE community voices 2027 (two stages)",
            "description": (
                "Grants for community and faith-based organisations that change the norms which "
                "allow violence against children. Send a two-page concept note first; the "
                "organisations shortlisted are invited to submit a full proposal."
            ),
            "timezone": "Africa/Kampala",
            "opens_at": now - timedelta(days=30),
            "concept_closes_at": now - timedelta(days=2),
            "closes_at": now + timedelta(weeks=5),
            "two_stage": True,
            # in French too: a French reader reads the concept notes' questions in French
            "languages": ["en", "fr"],
            "main_language": "en",
            "strategies": ["norms", "parent_support", "multisectoral"],
        },
    )
    add_schools_reached(call, admin)  # its grantees will report like the other calls'
    section = form_builder.add_section(call, admin, "Your idea", kind="concept")
    need = form_builder.add_question(
        call,
        admin,
        section,
        "long_text",
        "What problem will the project tackle?",
        [],
        kind="concept",
    )
    form_builder.update_question(
        call,
        admin,
        need,
        {"required": True, "limits": {"max": 1000, "unit": "characters"}},
        kind="concept",
    )
    add_french_texts(call, admin, TWO_STAGE_DESCRIPTION)
    calls.open_call(call, admin, now - timedelta(days=30))
    written = now - timedelta(days=5)  # inside the concept window
    for index, title, summary, outcome in NOTES:
        organisation = organisations[index]
        member = organisation.memberships[0].user
        note = drafts.start_proposal(call, organisation, title, member, now=written)
        note.summary = summary
        note.countries = [organisation.country_code]
        note.strategies = ["norms"]
        note.concept_answers = {
            need: "Harsh punishment of children is widely accepted as part of raising them."
        }
        concept.submit_concept_note(note, member, written)
        if outcome == "invite":
            concepts.invite(note, admin, "Please add how girls will take part.", now)
            # the full proposal in draft, started from the concept note
            note.target_groups = "Faith leaders of 30 congregations and their communities."
        elif outcome == "decline":
            concepts.decline(
                note, chair, "The call funds work in the organisation's own region only.", now
            )
    return call
