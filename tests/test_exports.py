"""Downloads (the screening list, the ranking, the grants list) as CSV and XLSX: text that a
spreadsheet would run as a formula is never run, whatever separator the spreadsheet splits on;
both formats hold the same rows, with the same conflicts left out and small counts masked."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from fund import audit
from fund.extensions import db
from fund.models import AuditEvent, Call, Conflict, ProgressReport, ReportReach, Role
from fund.spreadsheets import FORMULA_STARTS, safe_cell
from tests.conftest import login, make_organisation, make_user
from tests.decisions.conftest import make_reviewed
from tests.decisions.conftest import make_rubric_call as make_decision_call
from tests.decisions.conftest import review as submitted_review
from tests.grants.conftest import build_grant
from tests.reviews.conftest import make_in_review, make_rubric_call

PAYLOADS = [
    "x;=1+2;@SUM(1)",
    '=HYPERLINK("http://evil.example","click")',
    "Gulu, =cmd|' /C calc'!A0",
    "+1;-2",
    "tab\t@SUM(A1)",
    "x; =1+2",
]
TITLE, ORGANISATION = PAYLOADS[0], PAYLOADS[1]


def screening(client) -> str:
    call = make_rubric_call()
    organisation = make_organisation(make_user(Role.APPLICANT), name=ORGANISATION)
    for title in PAYLOADS:
        make_in_review(call, organisation, title=title, state="submitted")
    login(client, make_user(Role.ADMIN))
    return f"/screening/calls/{call.id}/proposals"


def ranking(client) -> str:
    call = make_decision_call()
    organisation = make_organisation(make_user(Role.APPLICANT), name=ORGANISATION)
    reviewer = make_user(Role.REVIEWER)
    for n, title in enumerate(PAYLOADS):
        proposal = make_reviewed(call, organisation, title=title, reference=f"INS-2027-{n:04d}")
        submitted_review(proposal, reviewer, (4, 3))
    login(client, make_user(Role.CHAIR))
    return f"/decisions/calls/{call.id}/ranking"


def grants(client) -> str:
    world = build_grant()
    world.grant.proposal.title = TITLE
    world.grant.organisation.name = ORGANISATION
    world.grant.reference = PAYLOADS[3]
    db.session.commit()
    login(client, world.admin)
    return "/grants/export"


def audit_log(client) -> str:
    admin = make_user(Role.ADMIN)
    for text in PAYLOADS:
        audit.record("call", 1, "update", actor=admin, comment=text)
    db.session.commit()
    login(client, admin)
    return "/admin/audit?action=update"  # not the rows that downloads add to the log


EXPORTS = {"screening": screening, "ranking": ranking, "grants": grants, "audit": audit_log}


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    for line in text[1:].splitlines():  # every cell quoted, separators included
        assert line.startswith('"') and line.endswith('"'), line
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def url(base: str, fmt: str) -> str:
    path, _mark, query = base.partition("?")
    return f"{path}.{fmt}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("export", EXPORTS)
def test_no_part_of_a_csv_cell_starts_like_a_formula(client, export):
    rows = csv_rows(client.get(url(EXPORTS[export](client), "csv")))
    for row in rows:
        for cell in row:
            for part in re.split(r"[;,\t]", cell):
                assert part.lstrip(" ")[:1] not in FORMULA_STARTS, (cell, part)
    assert any("'=1+2" in cell for row in rows for cell in row)  # the payload is there, defused


@pytest.mark.parametrize("export", EXPORTS)
def test_the_xlsx_holds_the_same_rows_as_text_never_as_formulas(client, export):
    base = EXPORTS[export](client)
    values = xlsx_rows(client.get(url(base, "xlsx")))
    as_csv = csv_rows(client.get(url(base, "csv")))
    assert len(values) == len(as_csv) > 1
    texts = {v for row in values for v in row if isinstance(v, str)}
    assert TITLE in texts or PAYLOADS[3] in texts  # kept exactly as typed: text is never run
    assert ORGANISATION in texts
    numbers = [v for row in values[1:] for v in row if isinstance(v, int | float)]
    assert numbers  # amounts and counts stay numbers


def test_the_ranking_download_leaves_out_an_organisation_the_chair_is_conflicted_with(client):
    base = ranking(client)
    chair = make_user(Role.CHAIR)
    other = make_organisation(make_user(Role.APPLICANT), name="Hidden Org")
    call = db.session.get(Call, int(base.split("/")[3]))
    make_reviewed(call, other, title="Hidden proposal", reference="INS-2027-0099")
    db.session.add(Conflict(user_id=chair.id, organisation_id=other.id, reason="Board"))
    db.session.commit()
    login(client, chair)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client.get(url(base, fmt)))
        assert not any("Hidden" in str(v) for row in rows for v in row), fmt
        assert len(rows) == len(PAYLOADS) + 1, fmt


def test_the_grants_download_masks_small_counts_in_both_formats(client):
    base = grants(client)
    report = db.session.scalars(db.select(ProgressReport)).first()
    report.state = "accepted"
    report.reach = [
        ReportReach(sex="female", age_band="0_4", count=3),
        ReportReach(sex="male", age_band="0_4", count=12),
    ]
    db.session.commit()
    assert csv_rows(client.get(url(base, "csv")))[1][-3:] == ["<5", "12", "0"]
    assert xlsx_rows(client.get(url(base, "xlsx")))[1][-3:] == ("<5", 12, 0)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/screening/calls/{call}/proposals.xlsx?country=ZZZ", 400),
        ("/screening/calls/{call}/proposals.xlsx?state=nonsense", 400),
        ("/screening/calls/{call}/proposals.pdf", 404),
        ("/screening/calls/2147483648/proposals.xlsx", 404),
        ("/decisions/calls/{call}/ranking.exe", 404),
        ("/decisions/calls/{call}/ranking.xlsx?sort=drop_table", 200),  # falls back, as the page
        ("/grants/export.xlsx?page=0", 400),
        ("/grants/export.xlsx?state=nope", 400),
    ],
)
def test_bad_input_to_a_download_is_a_4xx_never_a_500(client, path, status):
    call = make_rubric_call()
    login(client, make_user(Role.ADMIN, Role.CHAIR))
    assert client.get(path.format(call=call.id)).status_code == status


def test_the_download_links_sit_next_to_each_other(client):
    base = screening(client)
    page = client.get(base.removesuffix("/proposals")).get_data(as_text=True)
    assert f'href="{base}.csv' in page and f'href="{base}.xlsx' in page
    assert "Download XLSX" in page


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("x;=1+2;@SUM(1)", "x;'=1+2;'@SUM(1)"),
        ("=1", "'=1"),
        ("a, -b", "a, '-b"),
        ("tab\t+1", "tab\t'+1"),
        ("Safe schools, Gulu; 2027", "Safe schools, Gulu; 2027"),
    ],
)
def test_each_separated_part_is_guarded(text, safe):
    assert safe_cell(text) == safe


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_download_is_written_in_the_audit_log(client, export, fmt):
    base = EXPORTS[export](client)
    before = db.session.scalar(db.select(db.func.count()).where(AuditEvent.action == "export"))
    response = client.get(url(base, fmt))
    assert response.status_code == 200
    rows = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert len(rows) == before + 1
    row = rows[-1]
    assert row.subject_type == "user" and row.subject_id == row.actor_id is not None
    assert f"({fmt.upper()}, " in row.comment
