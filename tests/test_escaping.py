"""Text people type is shown as text, never run as HTML, on every page that shows it.

The demo fills every screen; then every free-text value anyone can enter (organisation and
proposal fields, budget lines, file names, reports, reviews, decisions, call texts, user names)
is replaced by a script-bearing tag, and each role follows every link from its dashboard. The
tag must come back escaped wherever it is shown, and raw nowhere. The content security policy is
the second line of defence; these tests check the first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select, text

from fund.extensions import db
from fund.i18n import lazy_gettext as _l
from fund.models import Grant, GrantState, ProgressReport, ProposalVersion, ReportState, Role, User
from fund.rules.limits import TEXT_FIELDS
from tests import crawling
from tests.conftest import login, make_organisation, make_proposal, make_user

PAYLOAD = "<img src=x onerror=alert(1)>"
RAW = "<img src=x"
SHOWN = "&lt;img src=x"
PAGES_PER_USER = 150
# Links that change something or send a file: no page to look at.
SKIP = re.compile(r"(\.csv|\.xlsx|/files/|/attachments/|safeguarding-policy|/logout|/static/)")

# Every column a person types free text into (codes, e-mail addresses and states are chosen).
FREE_TEXT = {
    "users": ("name",),
    "organisations": (
        "name",
        "registration_scheme",
        "registration_number",
        "safeguarding_focal_point",
    ),
    "calls": ("title", "description", "agreement_template"),
    "criteria": ("name", "guidance"),
    "proposals": TEXT_FIELDS,
    "budget_lines": ("description",),
    "proposal_attachments": ("description",),
    "stored_files": ("original_name",),
    "conflicts": ("reason",),
    "reviews": ("comments_for_applicant", "confidential_comments"),
    "decisions": ("reasons", "letter_subject", "letter_text"),
    "decision_approvals": ("comment",),
    "audit_events": ("comment",),
    "grants": ("agreement_text", "accepted_name"),
    "tranches": ("payment_reference",),
    "progress_reports": ("narrative", "activities_done", "challenges", "next_steps", "feedback"),
    "report_spending": ("description", "explanation"),
    "report_attachments": ("description",),
    "income_group_overrides": ("reason",),
}
# The keys of a frozen proposal version that hold typed text (titles, descriptions, names).
SNAPSHOT_TEXT = {*TEXT_FIELDS, "description", "name"}


def poisoned(value):
    """A snapshot with every typed text replaced by the payload."""
    if isinstance(value, dict):
        return {
            key: PAYLOAD if key in SNAPSHOT_TEXT and isinstance(item, str) else poisoned(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [poisoned(item) for item in value]
    return value


@pytest.fixture
def hostile_demo(runner, ctx):
    """The demo, with the payload in every free-text value."""
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    for table, columns in FREE_TEXT.items():
        # One parameter per column: PostgreSQL will not type one shared by text and varchar.
        values = ", ".join(f"{column} = :{column}" for column in columns)
        db.session.execute(text(f"UPDATE {table} SET {values}"), dict.fromkeys(columns, PAYLOAD))
    db.session.execute(
        text("UPDATE organisations SET website = :url"),
        {"url": f"https://example.org/{PAYLOAD}"},
    )
    for version in db.session.scalars(select(ProposalVersion)):
        version.content = poisoned(version.content)
    db.session.commit()


def crawl(client, start: str = "/dashboard") -> dict[str, str]:
    """The HTML of every page reached from `start` that answered 200; none answered 5xx."""
    pages: dict[str, str] = {}
    seen = crawling.crawl(client, start, limit=PAGES_PER_USER, skip=SKIP, on_page=pages.__setitem__)
    assert all(status < 500 for status in seen.values()), seen
    return pages


def demo_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.mark.parametrize(
    ("email", "must_show"),
    [
        # The applicant's own proposals, organisation, grants and the report form's labels.
        ("applicant@example.org", ("/proposals/", "/organisations/", "/grants/", "/reports/")),
        ("applicant2@example.org", ("/proposals/", "/organisations/", "/grants/")),
        ("reviewer@example.org", ("/reviews/", "/proposals/")),
        ("chair@example.org", ("/decisions/", "/proposals/", "/reports/", "/grants/")),
        ("admin@example.org", ("/screening/", "/admin/users", "/calls/", "/grants/", "/reports/")),
    ],
)
def test_typed_text_is_escaped_on_every_page(client, hostile_demo, email, must_show):
    login(client, demo_user(email))
    pages = crawl(client)
    assert len(pages) > 10
    raw = sorted(path for path, html in pages.items() if RAW in html)
    assert raw == []
    for prefix in must_show:  # the payload did reach these pages, escaped
        assert any(path.startswith(prefix) and SHOWN in html for path, html in pages.items()), (
            prefix
        )


def test_report_form_labels_name_budget_lines_as_text(client, hostile_demo):
    """The finding: "Spent on <line>" labels built from the applicant's budget lines."""
    report = db.session.scalars(
        select(ProgressReport)
        .join(Grant)
        .where(ProgressReport.state == ReportState.UPCOMING, Grant.state == GrantState.ACTIVE)
    ).first()
    member = report.grant.organisation.memberships[0].user
    login(client, member)
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert f"Spent on {SHOWN}" in html
    assert RAW not in html


def test_an_error_naming_what_was_sent_escapes_it(client, ctx):
    """A country code that is not offered is named in the error, as text."""
    applicant = make_user(Role.APPLICANT)
    proposal = make_proposal(make_organisation(applicant))
    login(client, applicant)
    response = client.post(
        f"/proposals/{proposal.id}/edit",
        data={"lock_version": proposal.lock_version, "title": "T", "countries": PAYLOAD},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert SHOWN in html
    assert RAW not in html


def test_a_flash_naming_a_person_escapes_the_name(client, ctx):
    admin = make_user(Role.ADMIN)
    person = make_user(Role.APPLICANT, name=PAYLOAD)
    login(client, admin)
    response = client.post(f"/admin/users/{person.id}/deactivate", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SHOWN in html
    assert RAW not in html


def test_a_lazy_translation_is_text_when_put_into_html(app):
    """Flask-Babel's own lazy strings pass as safe HTML; ours escape their values."""
    with app.test_request_context():
        assert (
            str(escape(_l("Spent on %(line)s", line=PAYLOAD)))
            == f"Spent on {SHOWN} onerror=alert(1)&gt;"
        )


def test_every_module_uses_the_escaping_lazy_translation():
    """`_l` comes from fund.i18n everywhere, so no module can put a value into HTML unescaped."""
    fund = Path(__file__).resolve().parent.parent / "fund"
    offenders = [
        str(path.relative_to(fund))
        for path in fund.rglob("*.py")
        if re.search(r"from flask_babel import .*lazy_", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
