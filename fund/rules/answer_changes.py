"""What changed in the answers to a call's own questions between two frozen versions: each
answer read as text against the definition its own version was answered against."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from fund.forms_def.definition import questions
from fund.forms_def.display import answer_text


@dataclass(frozen=True)
class AnswerChange:
    """One question whose answer differs: its id, its label (the newer version's, or the older
    one's for a question since removed), the label it had before when it was reworded, and both
    answers as text ("" for none)."""

    question_id: str
    label: str
    old_label: str
    old_text: str
    new_text: str


def _questions(snapshot: dict[str, Any]) -> dict[str, dict]:
    return {q["id"]: q for q in questions(snapshot.get("form"))}


def answer_changes(old: dict[str, Any], new: dict[str, Any]) -> list[AnswerChange]:
    """The call's own questions answered differently in `new` than in `old`: changed, added
    and removed answers, in the newer form's order, then the questions only the older form had.

    Answers are compared as stored (a relabelled question with the same answer is no change);
    each side is written out with its own version's question and currency, so a choice shows
    the label the applicant picked then."""
    old_questions, new_questions = _questions(old), _questions(new)
    old_answers, new_answers = old.get("answers") or {}, new.get("answers") or {}
    order = list(new_questions) + [qid for qid in old_questions if qid not in new_questions]
    changes = []
    for qid in order:
        before, after = old_answers.get(qid), new_answers.get(qid)
        if before == after:
            continue
        old_q, new_q = old_questions.get(qid), new_questions.get(qid)
        old_text = answer_text(old_q, before, old.get("currency")) if old_q else ""
        new_text = answer_text(new_q, after, new.get("currency")) if new_q else ""
        if old_text == new_text and (new_q or {}).get("type") == "file" and old_text:
            new_text = _("%(name)s (another file of the same name)", name=new_text)
        elif old_text == new_text:
            continue  # e.g. "" stored where nothing was before: nothing a reader would see
        label = (new_q or old_q)["label"]
        old_label = old_q["label"] if old_q and old_q["label"] != label else ""
        changes.append(AnswerChange(qid, label, old_label, old_text, new_text))
    return changes
