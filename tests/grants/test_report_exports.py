"""A call's submitted reports as CSV/XLSX: one column per report question, numbers as numbers,
text formula-safe, people reached under 5 as "<5"; for the secretariat and the chairs only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from fund.clock import utcnow
from fund.extensions import db
from fund.models import Conflict, Grant, ProgressReport, ReportReach, Role
from tests.conftest import count_queries, login, make_user
from tests.grants.conftest import TODAY, complete_form
from tests.grants.report_questions import REACH, SCHOOLS, STORY, grant_with_report_questions


def submit(client, asked, form) -> None:
    login(client, asked.world.member)
    assert client.post(asked.url, data=form).status_code == 302


def export_url(asked, fmt: str = "csv") -> str:
    return f"/reports/export.{fmt}?call={asked.call.id}"


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_csv_has_a_column_per_report_question_masks_small_counts_and_is_formula_safe(client):
    asked = grant_with_report_questions()
    submit(
        client,
        asked,
        complete_form(
            **{asked.schools: "12", asked.media: "no", asked.story: "=HYPERLINK(1)"},
            reach_female_0_4="3",
            reach_male_0_4="12",
            reach_female_5_9="0",
        ),
    )
    login(client, asked.world.admin)
    response = client.get(export_url(asked))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header, row = rows_of(response)
    assert header[-4:] == [SCHOOLS, "Did you work with the media?", REACH, STORY]
    assert row[-4:] == ["12", "No", "", "'=HYPERLINK(1)"]
    cells = dict(zip(header, row, strict=True))
    assert cells["Reached: Female, 0-4"] == "<5"
    assert cells["Reached: Male, 0-4"] == "12"
    assert cells["Reached: Female, 5-9"] == "0"


def test_the_xlsx_keeps_numbers_as_numbers_and_text_as_text(client):
    asked = grant_with_report_questions()
    submit(client, asked, complete_form(**{asked.schools: "12", asked.story: "=1+1"}))
    login(client, asked.world.admin)
    response = client.get(export_url(asked, "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, row = (list(r) for r in sheet.iter_rows(values_only=True))
    assert row[header.index(SCHOOLS)] == 12
    assert (
        row[header.index(STORY)] == "=1+1"
        and sheet.cell(2, header.index(STORY) + 1).data_type == "s"
    )


def test_only_reports_submitted_are_exported_and_unsubmitted_ones_are_not(client):
    asked = grant_with_report_questions()
    login(client, asked.world.admin)
    header, *rows = rows_of(client.get(export_url(asked)))
    assert rows == [] and SCHOOLS in header


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CHAIR])
def test_the_secretariat_and_chairs_may_download(client, role):
    asked = grant_with_report_questions()
    login(client, make_user(role))
    assert client.get(export_url(asked)).status_code == 200


@pytest.mark.parametrize("who", ["member", "outsider", "reviewer"])
def test_grantees_other_applicants_and_reviewers_may_not(client, who):
    asked = grant_with_report_questions()
    user = make_user(Role.REVIEWER) if who == "reviewer" else getattr(asked.world, who)
    login(client, user)
    assert client.get(export_url(asked)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    asked = grant_with_report_questions()
    response = client.get(export_url(asked))
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("query", ["", "?call=", "?call=abc", "?call=99999", "?call=1e9"])
def test_a_missing_or_unknown_call_is_a_clear_400(client, query):
    asked = grant_with_report_questions()
    login(client, asked.world.admin)
    response = client.get(f"/reports/export.csv{query}")
    assert response.status_code == 400
    assert "Choose a call from the list to download its reports." in response.text


def test_a_conflicted_chair_does_not_get_the_organisations_reports(client):
    asked = grant_with_report_questions()
    submit(client, asked, complete_form(**{asked.schools: "1"}))
    chair = make_user(Role.CHAIR)
    db.session.add(
        Conflict(
            user_id=chair.id,
            organisation_id=asked.world.grant.organisation_id,
            reason="Board member.",
            declared_by_id=chair.id,
        )
    )
    db.session.commit()
    login(client, chair)
    header, *rows = rows_of(client.get(export_url(asked)))
    assert rows == []


def test_the_download_does_not_grow_with_the_reports(client):
    asked = grant_with_report_questions()
    submit(client, asked, complete_form(**{asked.schools: "1"}))
    login(client, asked.world.admin)
    url, form, schools = export_url(asked), asked.call.report_form, asked.schools
    grant_id = asked.world.grant.id
    client.get(url)  # the first request after signing in also records the session
    db.session.expunge_all()  # nothing the test loaded may save the app a query
    with count_queries() as few:
        client.get(url)
    grant = db.session.get(Grant, grant_id)
    for n in range(5):  # more submitted reports on the same grant, each with its counts
        grant.reports.append(
            ProgressReport(
                kind="interim",
                due_on=TODAY + timedelta(days=40 + n),
                state="submitted",
                submitted_at=utcnow(),
                answers={schools: str(n)},
                form=form,
                reach=[ReportReach(sex="female", age_band="0_4", count=n + 10)],
            )
        )
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as more:
        response = client.get(url)
    assert len(rows_of(response)) == 7
    assert len(more) == len(few)
