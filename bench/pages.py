"""Time the busiest pages on a large SQLite database, against a bare Flask page and a 50-row list.

    .venv/bin/python bench/pages.py [--proposals 10000 --reviews 30000 --repeat 20]

Builds a throwaway database in a temporary folder (migrated like the tests' one), fills it with
bulk inserts, then requests every page once a round, `--repeat` rounds, with the test client,
signed in as the user who would open it. Prints the median (and the lowest) time of each page,
its ratio to the bare page and to the 50-row list (DESIGN.md section 7), and the SQL statements
it ran. Not a test; exits 0.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from fund import create_app  # noqa: E402
from fund.auth import sessions  # noqa: E402
from fund.calls import figures  # noqa: E402
from fund.decisions.scores import recompute, refresh  # noqa: E402
from fund.extensions import db  # noqa: E402
from fund.forms_def.standard import STANDARD_TEXT_IDS  # noqa: E402
from fund.models import (  # noqa: E402
    Call,
    Conflict,
    Criterion,
    CriterionScore,
    Decision,
    DecisionApproval,
    Grant,
    Membership,
    Organisation,
    ProgressReport,
    Proposal,
    ReportReach,
    Review,
    Strategy,
    Tranche,
    User,
    UserRole,
)
from fund.reviews import waiting  # noqa: E402

COUNTRIES = [
    "UG",
    "KE",
    "TZ",
    "RW",
    "NG",
    "GH",
    "SN",
    "ET",
    "MW",
    "ZM",
    "IN",
    "BD",
    "NP",
    "PK",
    "PH",
    "ID",
    "VN",
    "KH",
    "BR",
    "PE",
    "CO",
    "GT",
    "HN",
    "MX",
    "ZA",
]
ORG_TYPES = ["ngo", "ngo", "ngo", "community_based", "faith_based", "academic", "other"]
BANDS = ["under_50k", "50k_250k", "250k_1m", "over_1m"]
STRATEGIES = [s.value for s in Strategy]
CRITERIA = [
    ("Relevance to INSPIRE", 20),
    ("Evidence base", 20),
    ("Feasibility", 15),
    ("Safeguarding", 15),
    ("Value for money", 15),
    ("Sustainability", 15),
]
WORDS = [
    "safe",
    "schools",
    "parenting",
    "violence",
    "prevention",
    "community",
    "children",
    "adolescents",
    "protection",
    "norms",
    "girls",
    "boys",
    "families",
    "services",
    "play",
    "response",
    "districts",
    "youth",
    "caregivers",
    "learning",
]
# Share of each call's proposals per state (in review and reviewed lead, as in a closed round).
STATE_MIX = [
    ("draft", 4),
    ("submitted", 8),
    ("in_review", 40),
    ("reviewed", 36),
    ("revision_requested", 2),
    ("awarded", 5),
    ("declined", 3),
    ("ineligible", 1),
    ("withdrawn", 1),
]
# The report form of the INSPIRE indicators: accepted reports answer it (the portfolio sums them).
INDICATORS = json.loads(
    (Path(__file__).resolve().parent.parent / "fund/forms_def/inspire_indicators.json").read_text()
)
NUMBER_IDS = [
    q["id"] for s in INDICATORS["sections"] for q in s["questions"] if q["type"] == "number"
]
SEXES = ["female", "male", "other_or_not_recorded"]
AGE_BANDS = ["0_4", "5_9", "10_14", "15_17", "18_plus"]
REVIEWED_STATES = {"in_review", "reviewed", "revision_requested", "awarded", "declined"}


def settings(folder: Path) -> dict:
    return {
        "FUND_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "MAIL_SUPPRESS_SEND": True,
        "WTF_CSRF_ENABLED": False,
        "PUBLIC_URL": "http://127.0.0.1:5000",
        "SERVER_NAME": None,
    }


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class Builder:
    """Fills the database with bulk inserts: one executemany per table, explicit ids."""

    def __init__(self, proposals: int, reviews: int, seed: int = 2027) -> None:
        self.n_proposals = proposals
        self.n_reviews = reviews
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.counts: dict[str, int] = {}

    def put(self, model, rows: list[dict]) -> None:
        if rows:
            db.session.execute(insert(model), rows)
        self.counts[model.__tablename__] = self.counts.get(model.__tablename__, 0) + len(rows)

    def build(self) -> dict[str, int]:
        """Everything, in one transaction; returns the ids of the users the pages are read as."""
        self.users()
        self.organisations()
        self.calls()
        self.proposals()
        self.reviews()
        self.decisions_and_grants()
        # The bulk inserts skip the session hook that keeps the ranking's statistics: build
        # them as `flask fund recompute-scores` does.
        recompute(db.session.connection())
        waiting.recount_all(db.session.connection())  # likewise the waiting reviews' counts
        figures.recount_all(db.session.connection())  # and each call's figures
        db.session.commit()
        return self.who

    def users(self) -> None:
        password = generate_password_hash("bench password", method="pbkdf2:sha256:1000")
        users, roles = [], []

        def add(name: str, *role_names: str) -> int:
            uid = len(users) + 1
            users.append(
                {
                    "id": uid,
                    "email": f"user{uid}@example.org",
                    "name": name,
                    "password_hash": password,
                    "locale": "en",
                    "timezone": "UTC",
                    "email_verified_at": self.now - timedelta(days=400),
                    "active": True,
                    "failed_logins": 0,
                    "created_at": self.now - timedelta(days=400),
                }
            )
            roles.extend({"user_id": uid, "role": r, "granted_at": self.now} for r in role_names)
            return uid

        admin = add("Ada Secretariat", "admin")
        everything = add("Bea All-Roles", "admin", "chair", "reviewer")
        chairs = [add(f"Chair {i}", "chair") for i in range(1, 4)]
        self.reviewers = [everything] + [add(f"Reviewer {i:02d}", "reviewer") for i in range(1, 40)]
        self.applicants = [add(f"Applicant {i:02d}", "applicant") for i in range(1, 61)]
        observer = add("Olu Observer", "observer")
        self.put(User, users)
        self.put(UserRole, roles)
        self.admin, self.chairs = admin, chairs
        self.who = {
            "admin": admin,
            "everything": everything,
            "chair": chairs[0],
            "reviewer": self.reviewers[1],
            "applicant": self.applicants[0],
            "observer": observer,
        }

    def organisations(self) -> None:
        rng = self.rng
        orgs = [
            {
                "id": i,
                "name": f"{text(rng, 2)[:-1]} Network {i}",
                "country_code": rng.choice(COUNTRIES),
                "org_type": rng.choice(ORG_TYPES),
                "budget_band": rng.choice(BANDS),
                "created_at": self.now - timedelta(days=300),
            }
            for i in range(1, 51)
        ]
        self.org_ids = [o["id"] for o in orgs]
        self.put(Organisation, orgs)
        members = [
            {"organisation_id": (i % 50) + 1, "user_id": uid, "joined_at": self.now}
            for i, uid in enumerate(self.applicants)
        ]
        self.put(Membership, members)
        # The chair and the all-roles user have declared conflicts with two organisations each.
        self.put(
            Conflict,
            [
                {
                    "user_id": uid,
                    "organisation_id": oid,
                    "reason": "Former board member",
                    "declared_by_id": uid,
                    "declared_at": self.now,
                }
                for uid in (self.who["chair"], self.who["everything"])
                for oid in (7, 23)
            ],
        )

    def calls(self) -> None:
        # Three closed rounds (the middle one the biggest) and one open now.
        specs = [
            ("Call 2025", -700, 0.20),
            ("Call 2026", -330, 0.55),
            ("Call 2026 B", -150, 0.17),
            ("Call 2027", -10, 0.08),
        ]
        calls, criteria = [], []
        self.call_share = []
        for cid, (title, opened, share) in enumerate(specs, start=1):
            opens = self.now + timedelta(days=opened)
            closes = opens + timedelta(days=60 if opened < -60 else 40)
            calls.append(
                {
                    "id": cid,
                    "title": title,
                    "description": text(self.rng, 40),
                    "opens_at": opens,
                    "closes_at": closes,
                    "published_at": opens,
                    "budget_envelope": Decimal("5000000"),
                    "min_award": Decimal("5000"),
                    "max_award": Decimal("50000"),
                    "created_at": opens,
                }
            )
            criteria.extend(
                {
                    "call_id": cid,
                    "position": pos,
                    "name": name,
                    "weight": weight,
                    "guidance": text(self.rng, 12),
                }
                for pos, (name, weight) in enumerate(CRITERIA, start=1)
            )
            self.call_share.append((cid, closes, share))
        self.put(Call, calls)
        self.put(Criterion, criteria)
        self.criteria = {cid: [] for cid, _c, _s in self.call_share}
        for cid, crit_id, weight in db.session.execute(
            select(Criterion.call_id, Criterion.id, Criterion.weight)
        ):
            self.criteria[cid].append((crit_id, weight))
        self.biggest_call = max(self.call_share, key=lambda c: c[2])[0]

    def proposals(self) -> None:
        rng = self.rng
        rows, self.proposal_rows = [], []
        states = [s for s, _w in STATE_MIX]
        weights = [w for _s, w in STATE_MIX]
        pid = 0
        for cid, closes, share in self.call_share:
            count = (
                round(self.n_proposals * share)
                if cid != len(self.call_share)
                else (self.n_proposals - pid)
            )
            for _ in range(count):
                pid += 1
                state = (
                    rng.choices(states, weights)[0]
                    if closes < self.now
                    else rng.choice(["draft", "draft", "submitted"])
                )
                submitted = (
                    None
                    if state == "draft"
                    else closes - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
                )
                rows.append(
                    {
                        "id": pid,
                        "reference": None if submitted is None else f"INS-{closes.year}-{pid:05d}",
                        "call_id": cid,
                        "organisation_id": rng.choice(self.org_ids),
                        "title": text(rng, rng.randint(3, 8))[:-1],
                        "state": state,
                        "summary": text(rng, 60),
                        "strategies": rng.sample(STRATEGIES, 2),
                        "countries": [rng.choice(COUNTRIES)],
                        "answers": {
                            STANDARD_TEXT_IDS[name]: text(rng, words)
                            for name, words in (
                                ("target_groups", 20),
                                ("activities", 80),
                                ("timeline", 20),
                                ("expected_results", 30),
                                ("measurement", 30),
                            )
                        },
                        "start_date": (closes + timedelta(days=90)).date(),
                        "duration_months": rng.choice([12, 18]),
                        "amount_requested": Decimal(rng.randrange(5000, 50001, 500)),
                        "lock_version": 1,
                        "created_by_id": self.applicants[0],
                        "created_at": closes - timedelta(days=45),
                        "updated_at": closes,
                        "submitted_at": submitted,
                        "income_group": None if submitted is None else "LMC",
                    }
                )
        self.put(Proposal, rows)
        self.proposal_rows = rows

    def reviews(self) -> None:
        """Spread the reviews over the proposals past screening, 3-4 distinct reviewers each."""
        rng = self.rng
        reviewed = [p for p in self.proposal_rows if p["state"] in REVIEWED_STATES]
        if not reviewed:
            return
        per = [self.n_reviews // len(reviewed)] * len(reviewed)
        for i in rng.sample(range(len(reviewed)), self.n_reviews % len(reviewed)):
            per[i] += 1
        severity = {uid: rng.gauss(0, 0.5) for uid in self.reviewers}
        reviews, scores = [], []
        rid = 0
        for proposal, k in zip(reviewed, per, strict=True):
            quality = rng.gauss(3.2, 0.8)
            closes = next(c for cid, c, _s in self.call_share if cid == proposal["call_id"])
            assigned = closes + timedelta(days=10)
            for reviewer in rng.sample(self.reviewers, min(k, len(self.reviewers))):
                rid += 1
                row = {
                    "id": rid,
                    "proposal_id": proposal["id"],
                    "reviewer_id": reviewer,
                    "round": 1,
                    "due_on": (assigned + timedelta(days=rng.choice([21, 28, 400]))).date(),
                    "assigned_by_id": self.admin,
                    "assigned_at": assigned,
                    "no_conflict_at": None,
                    "conflict_declared_at": None,
                    "removed_at": None,
                    "recommendation": None,
                    "comments_for_applicant": "",
                    "confidential_comments": "",
                    "updated_at": None,
                    "submitted_at": None,
                }
                roll = rng.random()
                if proposal["state"] == "in_review":
                    status = (
                        "submitted"
                        if roll < 0.45
                        else "in_progress"
                        if roll < 0.75
                        else "to_start"
                        if roll < 0.97
                        else "conflicted"
                        if roll < 0.985
                        else "removed"
                    )
                else:
                    status = "submitted" if roll < 0.98 else "removed"
                if status == "conflicted":
                    row["conflict_declared_at"] = assigned + timedelta(days=1)
                if status == "removed":
                    row["removed_at"] = assigned + timedelta(days=2)
                if status in ("in_progress", "submitted"):
                    row["no_conflict_at"] = assigned + timedelta(days=1)
                    row["updated_at"] = assigned + timedelta(days=3)
                    given = self.criteria[proposal["call_id"]]
                    if status == "in_progress":
                        given = given[: rng.randint(0, len(given))]
                    mean = quality - severity[reviewer]
                    scores.extend(
                        {
                            "review_id": rid,
                            "criterion_id": crit,
                            "score": min(5, max(1, round(rng.gauss(mean, 0.7)))),
                        }
                        for crit, _w in given
                    )
                if status == "submitted":
                    row["recommendation"] = (
                        "fund"
                        if quality > 3.6
                        else "fund_with_changes"
                        if quality > 2.8
                        else "do_not_fund"
                    )
                    row["comments_for_applicant"] = text(rng, 40)
                    row["confidential_comments"] = text(rng, 10)
                    row["submitted_at"] = assigned + timedelta(
                        days=rng.randint(5, 25), minutes=rid % 1440
                    )
                reviews.append(row)
        self.put(Review, reviews)
        self.put(CriterionScore, scores)

    def decisions_and_grants(self) -> None:
        rng = self.rng
        decisions, approvals, grants, tranches, reports, reach = [], [], [], [], [], []
        did = gid = rep_id = 0
        for p in self.proposal_rows:
            pending = p["state"] == "reviewed" and p["call_id"] == self.biggest_call
            if pending and rng.random() < 0.03:
                approvals.append(
                    {
                        "proposal_id": p["id"],
                        "chair_id": self.chairs[1],
                        "amount": p["amount_requested"],
                        "comment": "",
                        "approved_at": self.now - timedelta(days=1),
                    }
                )
            if p["state"] not in ("awarded", "declined"):
                continue
            did += 1
            award = p["state"] == "awarded"
            decided = p["submitted_at"] + timedelta(days=60)
            decisions.append(
                {
                    "id": did,
                    "proposal_id": p["id"],
                    "number": 1,
                    "outcome": "award" if award else "decline",
                    "amount": p["amount_requested"] if award else None,
                    "currency": "USD",
                    "reasons": text(rng, 20),
                    "letter_subject": "Your proposal",
                    "letter_text": text(rng, 80),
                    "decided_by_id": self.chairs[0],
                    "decided_at": decided,
                }
            )
            if not award:
                continue
            gid += 1
            state = rng.choices(
                ["active", "pending_agreement", "suspended", "closed"], [70, 10, 5, 15]
            )[0]
            start = p["start_date"]
            end = start + timedelta(days=30 * p["duration_months"])
            signed = state != "pending_agreement"
            grants.append(
                {
                    "id": gid,
                    "proposal_id": p["id"],
                    "organisation_id": p["organisation_id"],
                    "state": state,
                    "created_at": decided,
                    "reference": f"GR-{decided.year}-{gid:04d}",
                    "amount": p["amount_requested"],
                    "currency": "USD",
                    "start_on": start,
                    "end_on": end,
                    "decision_id": did,
                    "accepted_at": decided + timedelta(days=5) if signed else None,
                    "accepted_name": "Applicant 01" if signed else None,
                }
            )
            if not signed:
                continue
            # Reports due around today, so the inbox has submitted, overdue and due-soon ones.
            for kind, due in (
                ("interim", self.today + timedelta(days=rng.randint(-90, 60))),
                ("final", self.today + timedelta(days=rng.randint(-30, 400))),
            ):
                rep_id += 1
                rstate = rng.choices(
                    ["upcoming", "submitted", "accepted", "changes_requested"], [60, 15, 20, 5]
                )[0]
                reports.append(
                    {
                        "id": rep_id,
                        "grant_id": gid,
                        "kind": kind,
                        "due_on": due,
                        "state": rstate,
                        "created_at": decided,
                        "narrative": text(rng, 40) if rstate != "upcoming" else "",
                        "submitted_at": datetime.combine(due, datetime.min.time(), UTC)
                        if rstate != "upcoming"
                        else None,
                        # An accepted report answers the indicators and counts the people reached.
                        "form": INDICATORS if rstate == "accepted" else {},
                        "answers": {q: str(rng.randint(0, 40)) for q in NUMBER_IDS}
                        if rstate == "accepted"
                        else {},
                        "accepted_at": decided + timedelta(days=200)
                        if rstate == "accepted"
                        else None,
                    }
                )
                if rstate == "accepted":
                    reach.extend(
                        {
                            "report_id": rep_id,
                            "sex": sex,
                            "age_band": band,
                            "count": rng.randint(0, 60),
                        }
                        for sex in SEXES
                        for band in AGE_BANDS
                    )
            amount = p["amount_requested"]
            tranches.append(
                {
                    "grant_id": gid,
                    "position": 1,
                    "percent": 80,
                    "amount": amount * Decimal("0.8"),
                    "condition": "signature",
                    "due_on": start,
                    "paid_on": start,
                    "paid_amount": amount * Decimal("0.8"),
                    "payment_reference": f"PAY-{gid}",
                }
            )
            tranches.append(
                {
                    "grant_id": gid,
                    "position": 2,
                    "percent": 20,
                    "amount": amount * Decimal("0.2"),
                    "condition": "final_report",
                    "due_on": None,
                    "paid_on": None,
                    "paid_amount": None,
                    "payment_reference": None,
                }
            )
        self.put(Decision, decisions)
        self.put(DecisionApproval, approvals)
        self.put(Grant, grants)
        self.put(ProgressReport, reports)
        self.put(ReportReach, reach)
        self.put(Tranche, tranches)


def measure(app, pages, users: dict[str, int], repeat: int) -> list[dict]:
    """The median and lowest time, status, size and SQL statement count of each page.

    The pages are timed in rounds, each round requesting every page once: the machine's speed
    drifts over seconds here (other work, the CPU's clock), and timing each page's requests in a
    block of their own let that drift land on some pages and not others, moving their ratios by
    a fifth from one run to the next. Within a round every page meets the same machine."""
    statements = [0]

    def count(conn, cursor, statement, parameters, context, executemany):
        statements[0] += 1

    with app.app_context():
        engine = db.engine
        identities = {}
        for who, user_id in users.items():  # a server-side sign-in per user, as the login makes
            identities[who] = f"{user_id}:{sessions.start(db.session.get(User, user_id))}"
        db.session.commit()
    clients = []
    for _label, path, who in pages:
        client = app.test_client()
        if who:
            with client.session_transaction() as session:
                session["_user_id"] = identities[who]
                session["_fresh"] = True
        for _ in range(2):  # warm up: templates compiled, statements cached
            client.get(path)
        clients.append(client)
    times: list[list[float]] = [[] for _ in pages]
    last: list = [None] * len(pages)
    queries = [0] * len(pages)
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(repeat):
            for index, (page, client) in enumerate(zip(pages, clients, strict=True)):
                path = page[1]
                statements[0] = 0
                start = time.perf_counter()
                last[index] = client.get(path)
                times[index].append(time.perf_counter() - start)
                queries[index] = statements[0]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return [
        {
            "page": label,
            "path": path,
            "who": who or "anonymous",
            "status": response.status_code,
            "ms": statistics.median(page_times) * 1000,
            "lowest": min(page_times) * 1000,
            "kb": len(response.data) / 1024,
            "queries": n,
        }
        for (label, path, who), page_times, response, n in zip(
            pages, times, last, queries, strict=True
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=20, help="rounds: requests timed per page")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="fund-bench-"))
    try:
        app = create_app(settings(folder))
        app.add_url_rule("/_bench_bare", "bench_bare", lambda: "bare")
        started = time.perf_counter()
        with app.app_context():
            upgrade()
        migrated = time.perf_counter()
        with app.app_context():
            builder = Builder(args.proposals, args.reviews, args.seed)
            users = builder.build()
            call = builder.biggest_call
            in_call = db.session.scalar(select(func.count()).where(Proposal.call_id == call))
            reviewer_open = db.session.scalar(
                select(func.count())
                .select_from(Review)
                .join(Review.proposal)
                .where(
                    Review.reviewer_id == users["reviewer"],
                    Review.submitted_at.is_(None),
                    Review.removed_at.is_(None),
                    Review.conflict_declared_at.is_(None),
                    Proposal.state == "in_review",
                )
            )
            ranked = db.session.scalar(
                select(func.count()).where(Proposal.call_id == call, Proposal.state == "reviewed")
            )
            # four reviewed proposals the chair may see (its conflicts are with organisations
            # 7 and 23), for the comparison page
            compared = db.session.scalars(
                select(Proposal.id)
                .where(
                    Proposal.call_id == call,
                    Proposal.state == "reviewed",
                    Proposal.organisation_id.not_in((7, 23)),
                )
                .order_by(Proposal.id)
                .limit(4)
            ).all()
            # what a review submission in the biggest call adds to its transaction
            tick = time.perf_counter()
            refresh(db.session.connection(), call)
            refresh_ms = (time.perf_counter() - tick) * 1000
            db.session.rollback()
            db.session.remove()
        built = time.perf_counter()
        print(
            f"database: migrated in {migrated - started:.1f} s, filled in {built - migrated:.1f} s"
        )
        print("rows: " + ", ".join(f"{table} {n}" for table, n in builder.counts.items()))
        print(
            f"biggest call: id {call}, {in_call} proposals, {ranked} reviewed (ranked by "
            f"default); the timed reviewer has {reviewer_open} open assignments"
        )
        print(
            f"refreshing the biggest call's statistics (on each submission): {refresh_ms:.0f} ms\n"
        )

        pages = [
            ("bare Flask page", "/_bench_bare", None),
            ("home page", "/", None),
            ("50-row list (/admin/users)", "/admin/users", "admin"),
            ("reviewer queue", "/reviews/", "reviewer"),
            ("chair ranking, biggest call", f"/decisions/calls/{call}", "chair"),
            (
                "chair comparison of 4",
                f"/decisions/calls/{call}/compare?" + "&".join(f"proposal={i}" for i in compared),
                "chair",
            ),
            ("screening list, biggest call", f"/screening/calls/{call}", "admin"),
            ("grants list", "/grants/", "admin"),
            ("reports inbox", "/reports/", "admin"),
            ("dashboard admin+chair+reviewer", "/dashboard", "everything"),
            ("portfolio (every grant)", "/portfolio", "observer"),
            ("overview (admin dashboard)", "/dashboard", "admin"),
            ("overview: reviews overdue", "/admin/overview/reviews?when=overdue", "admin"),
            ("overview: payments due", "/admin/overview/payments", "admin"),
            ("chair dashboard", "/dashboard", "chair"),
            ("audit log", "/admin/audit", "admin"),
        ]
        results = measure(app, pages, users, args.repeat)
        bare = results[0]["ms"]
        reference = results[2]["ms"]
        lowest_reference = results[2]["lowest"]
        print(
            f"{'page':32} {'user':10} {'status':>6} {'median ms':>10} {'x bare':>8} "
            f"{'x 50-row':>9} {'lowest ms':>10} {'x 50-row':>9} {'queries':>8} {'KB':>7}"
        )
        for r in results:
            flag = "  <-- over 5x the 50-row list" if r["ms"] > 5 * reference else ""
            if r["status"] != 200:
                flag += f"  <-- status {r['status']}: its time is not the page's"
            print(
                f"{r['page']:32} {r['who']:10} {r['status']:>6} {r['ms']:>10.2f} "
                f"{r['ms'] / bare:>8.1f} {r['ms'] / reference:>9.2f} {r['lowest']:>10.2f} "
                f"{r['lowest'] / lowest_reference:>9.2f} {r['queries']:>8} {r['kb']:>7.1f}{flag}"
            )
        print(
            f"\n{args.repeat} rounds, each timing one request of every page, after 2 warm-up "
            f"requests per page; total "
            f"{time.perf_counter() - started:.1f} s"
        )
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
