"""The indicators summed as their docstring says (fund/portfolio/queries.py `indicators`), checked
against a straightforward reading of the same reports on random ones: several frozen forms that
share questions under other labels, answers of every kind a JSON form may hold, reports of every
state, accepted on different days."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

import pytest

from fund.extensions import db
from fund.models import ProgressReport
from fund.portfolio import queries
from fund.portfolio.queries import Filters
from tests.conftest import make_call, make_organisation
from tests.portfolio.conftest import grant

QUESTIONS = ["q_a", "q_b", "q_c", "q_d", "q_e"]
ANSWERS = ["3", "3", "12", "0", "", "2.5", "-1", "1e2", "many", "NaN", "Infinity"]
ANSWERS += [7, 0, 1.5, -0.0, True, False, None, [1], {"n": 1}]


def random_form(rng: random.Random, n: int) -> dict:
    """A frozen report form: some of the questions, in some order, numeric or not."""
    asked = rng.sample(QUESTIONS, rng.randint(1, len(QUESTIONS)))
    return {
        "sections": [
            {
                "id": f"s_{n}",
                "questions": [
                    {
                        "id": qid,
                        "type": rng.choice(["number", "number", "text"]),
                        "label": f"{qid} as form {n} asks it",
                    }
                    for qid in asked
                ],
            }
        ]
    }


def number(value: object) -> Decimal | None:
    """An answer as a number, or None (the rule of fund/portfolio/queries.py, written out)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def expected(reports: list[ProgressReport]) -> list[tuple[str, str, Decimal, int]]:
    """(question, label, total, grants) read report by report, newest first."""
    labels: dict[str, str] = {}
    totals: dict[str, Decimal] = {}
    grants: dict[str, set[int]] = {}
    newest_first = sorted(reports, key=lambda r: (r.accepted_at, r.id), reverse=True)
    for row in newest_first:
        for question in row.form["sections"][0]["questions"]:
            if question["type"] != "number":
                continue
            qid = question["id"]
            labels.setdefault(qid, question["label"])
            value = number((row.answers or {}).get(qid))
            if value is not None:
                totals[qid] = totals.get(qid, Decimal()) + value
                grants.setdefault(qid, set()).add(row.grant_id)
    return [(q, label, totals[q], len(grants[q])) for q, label in labels.items() if q in grants]


@pytest.mark.parametrize("seed", range(4))
def test_the_indicators_are_the_accepted_reports_read_one_by_one(ctx, seed):
    rng = random.Random(seed)
    call = make_call(title="Call")
    forms = [random_form(rng, n) for n in range(3)]
    made = [grant(make_organisation(), call, "1000") for _ in range(6)]
    day = datetime(2026, 9, 1, tzinfo=UTC)
    for _ in range(30):
        state = rng.choice(["accepted", "accepted", "submitted"])
        answers = {q: rng.choice(ANSWERS) for q in rng.sample(QUESTIONS, rng.randint(0, 5))}
        db.session.add(
            ProgressReport(
                grant_id=rng.choice(made).id,
                kind="interim",
                state=state,
                due_on=day.date(),
                form=rng.choice(forms),
                answers=answers,
                accepted_at=day + timedelta(days=rng.randint(0, 5))
                if state == "accepted"
                else None,
            )
        )
    db.session.commit()
    accepted = db.session.scalars(
        db.select(ProgressReport).where(ProgressReport.state == "accepted")
    ).all()
    found = [(i.question_id, i.label, i.total, i.grants) for i in queries.indicators(Filters())]
    assert found == expected(accepted)
    # down to each total's exponent, as the downloads write it
    assert [str(total) for _q, _l, total, _g in found] == [
        str(total) for _q, _l, total, _g in expected(accepted)
    ]
