"""A call in English and French, with its French texts given (all but one criterion's)."""

from __future__ import annotations

from fund.extensions import db
from fund.models import Call, Criterion
from tests.forms_def.building import children_questions

TITLE_FR = "Petites subventions 2027"
DESCRIPTION_FR = "Sensibilisation autour des stratégies INSPIRE."
ASKED_FR = "Des enfants participeront-ils aux activités ?"
SAFELY_FR = "Comment les enfants et les jeunes participeront-ils en sécurité ?"
FIT_FR = "Adéquation à INSPIRE"


def bilingual_call(call: Call | None = None) -> tuple[Call, str, str]:
    """(call, id of the yes/no question, id of its follow-up): the children questions, a rubric
    of two criteria, English the main language; the second criterion is not translated."""
    call, asked, safely = children_questions(call)
    call.description = "Awareness-raising around INSPIRE."
    call.languages, call.main_language = ["en", "fr"], "en"
    call.criteria = [
        Criterion(position=1, name="INSPIRE fit", guidance="How well it fits.", weight=60),
        Criterion(position=2, name="Feasibility", weight=40),
    ]
    # The children section comes after the standard form's sections.
    section = next(
        s["id"]
        for s in call.proposal_form["sections"]
        if any(q["id"] == asked for q in s["questions"])
    )
    call.translations = {
        "fr": {
            "title": TITLE_FR,
            "description": DESCRIPTION_FR,
            section: "Enfants",
            f"{asked}.label": ASKED_FR,
            f"{safely}.label": SAFELY_FR,
            "criterion:1.name": FIT_FR,
            "criterion:1.guidance": "Dans quelle mesure le projet s'inscrit dans INSPIRE.",
        }
    }
    db.session.commit()
    return call, asked, safely
