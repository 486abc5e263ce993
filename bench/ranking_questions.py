"""The chair ranking of the biggest call with 30 questions of its own answered on every proposal,
against the same call without questions of its own, in the same run.

    .venv/bin/python bench/ranking_questions.py [--proposals 10000 --reviews 30000 --seconds 60]

Builds two databases with the data of bench/pages.py (same seed, same rows); in the second,
the biggest call asks 30 questions of mixed types and each of its proposals answers them
(about 6 KB of answers each, long texts near their limit). Then times the ranking on both,
one request on each in turn so that the drift of a busy machine hits both sides, until
`--repeat` requests each or `--seconds` have passed (whichever is first). Prints the median
time of each side, their ratio, the SQL statements of one request and whether any of them
reads the answers. Not a test; exits 0.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from bench.pages import STRATEGIES, Builder, settings, text  # noqa: E402
from fund import create_app  # noqa: E402
from fund.auth import sessions  # noqa: E402
from fund.calls.form_builder import DEFAULT_LIMITS  # noqa: E402
from fund.extensions import db  # noqa: E402
from fund.forms_def.definition import check  # noqa: E402
from fund.forms_def.schema import QUESTION_TYPES  # noqa: E402
from fund.models import Call, Proposal, User  # noqa: E402

# Every type answered with one value, in the schema's order (a table has tests of its own).
KINDS = tuple(kind for kind in QUESTION_TYPES if kind != "table")


def thirty_questions() -> dict:
    """A definition of 30 questions cycling through every type, in three sections."""
    sections = []
    for s in range(3):
        questions = []
        for n in range(10):
            number = s * 10 + n
            kind = KINDS[n]
            question = {
                "id": f"q_{number:08x}",
                "type": kind,
                "label": f"Question {number + 1}",
                "help": "",
                "required": False,
                "condition": None,
            }
            if kind in DEFAULT_LIMITS:
                question["limits"] = dict(DEFAULT_LIMITS[kind])
            if kind in ("single_choice", "multiple_choice"):
                question["other"] = False
                question["choices"] = [
                    {"id": f"c_{number:04x}{c:04x}", "label": f"Choice {c + 1}"} for c in range(4)
                ]
            questions.append(question)
        sections.append({"id": f"s_{s:08x}", "title": f"Part {s + 1}", "questions": questions})
    definition = {"schema": 1, "sections": sections, "retired_ids": []}
    check(definition)  # the bench times a form the app would accept
    return definition


def answers(definition: dict, rng, strategies: list[str]) -> dict:
    """An answer to every question: long texts near their 1,500 characters."""
    given = {}
    for section in definition["sections"]:
        for q in section["questions"]:
            kind = q["type"]
            if kind == "long_text":
                value = text(rng, 400)[:1400]
            elif kind in ("single_choice", "multiple_choice"):
                value = {"choices": [rng.choice(q["choices"])["id"]], "other": ""}
            else:
                value = {
                    "short_text": text(rng, 12),
                    "number": str(rng.randint(1, 500)),
                    "date": "2027-05-01",
                    "yes_no": rng.choice(["yes", "no"]),
                    "money": f"{rng.randint(100, 50000)}.00",
                    "country": ["UG", "KE"],
                    "strategies": strategies[:2],
                }[kind]
            given[q["id"]] = value
    return given


class AnsweredBuilder(Builder):
    """The same data as Builder (same seed, same rows), but the biggest call asks 30 questions
    and each of its proposals answers them, written with the rows (as the app would have
    them), not updated afterwards."""

    def __init__(self, *args, definition: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.answer_rng = random.Random(kwargs.get("seed", 2027) + 1)  # leaves self.rng alone

    def put(self, model, rows: list[dict]) -> None:
        if rows and model in (Call, Proposal):
            biggest = max(self.call_share, key=lambda c: c[2])[0]
            for row in rows:
                if model is Call and row["id"] == biggest:
                    row["proposal_form"] = self.definition
                if model is Proposal and row["call_id"] == biggest:
                    row["answers"] = answers(self.definition, self.answer_rng, STRATEGIES)
        super().put(model, rows)


def build(folder: Path, args, definition: dict | None):
    """An app on its own database, filled by Builder or AnsweredBuilder; (app, builder, users)."""
    folder.mkdir()
    app = create_app(settings(folder))
    app.add_url_rule("/_bench_bare", "bench_bare", lambda: "bare")
    with app.app_context():
        upgrade()
        if definition is None:
            builder = Builder(args.proposals, args.reviews, seed=args.seed)
        else:
            builder = AnsweredBuilder(
                args.proposals, args.reviews, seed=args.seed, definition=definition
            )
        users = builder.build()
        db.session.remove()
    return app, builder, users


def signed_in(app, user_id: int):
    """A test client signed in as `user_id` (a server-side session, as the login makes)."""
    with app.app_context():
        identity = f"{user_id}:{sessions.start(db.session.get(User, user_id))}"
        db.session.commit()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = identity
        session["_fresh"] = True
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=30, help="requests timed on each side")
    parser.add_argument("--seconds", type=float, default=60, help="stop timing after")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="fund-bench-"))
    try:
        started = time.perf_counter()
        definition = thirty_questions()
        sides = {
            "without": build(folder / "without", args, None),
            "with": build(folder / "with", args, definition),
        }
        app, builder, users = sides["with"]
        call = builder.biggest_call
        with app.app_context():
            in_call = db.session.scalar(select(func.count()).where(Proposal.call_id == call))
            size = db.session.scalar(
                select(func.sum(func.length(Proposal.answers))).where(Proposal.call_id == call)
            )
            db.session.remove()
        print(
            f"biggest call: id {call}, {in_call} proposals answering {size / in_call / 1024:.1f}"
            f" KB each ({size / 1024 / 1024:.1f} MB); two databases built in "
            f"{time.perf_counter() - started:.1f} s\n"
        )
        path = f"/decisions/calls/{call}"
        statements: dict[str, list[str]] = {"without": [], "with": []}
        clients, listeners = {}, []
        for side, (app, _builder, users) in sides.items():
            clients[side] = signed_in(app, users["chair"])
            with app.app_context():
                engine = db.engine

            def record(conn, cursor, statement, parameters, context, executemany, side=side):
                statements[side].append(statement)

            event.listen(engine, "before_cursor_execute", record)
            listeners.append((engine, record))
        times: dict[str, list[float]] = {"without": [], "with": []}
        status: dict[str, int] = {}
        kb: dict[str, float] = {}
        try:
            for side in clients:  # warm up: templates compiled, statements cached
                for _ in range(2):
                    clients[side].get(path)
            deadline = time.perf_counter() + args.seconds
            # Interleaved, one request each in turn: drift on a busy machine hits both sides.
            while len(times["with"]) < args.repeat and time.perf_counter() < deadline:
                for side in ("without", "with"):
                    statements[side].clear()
                    begin = time.perf_counter()
                    response = clients[side].get(path)
                    times[side].append(time.perf_counter() - begin)
                    status[side] = response.status_code
                    kb[side] = len(response.data) / 1024
        finally:
            for engine, record in listeners:
                event.remove(engine, "before_cursor_execute", record)
        reads_answers = {side: any("answers" in s for s in statements[side]) for side in statements}
        print(
            f"{'ranking of the biggest call':32} {'status':>6} {'median ms':>10} {'queries':>8}"
            f" {'KB':>6} {'reads answers':>14}"
        )
        medians = {}
        for side, label in (("without", "without questions"), ("with", "with 30 answered")):
            medians[side] = statistics.median(times[side]) * 1000
            reads = "yes" if reads_answers[side] else "no"
            print(
                f"{label:32} {status[side]:>6} {medians[side]:>10.2f} "
                f"{len(statements[side]):>8} {kb[side]:>6.1f} {reads:>14}"
            )
        print(
            f"\nwith / without: {medians['with'] / medians['without']:.2f} (medians of "
            f"{len(times['with'])} interleaved requests each); total "
            f"{time.perf_counter() - started:.1f} s"
        )
        for app, _builder, _users in sides.values():
            with app.app_context():
                for engine in db.engines.values():
                    engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
