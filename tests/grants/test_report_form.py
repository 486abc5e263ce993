"""The progress report form: drafts, completeness, the variance rule, bad input, files."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest

from fund.extensions import db
from fund.models import ProgressReport, ReportState
from tests.conftest import login, outbox
from tests.grants.conftest import TODAY, build_grant, complete_form

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def report(world) -> ProgressReport:
    return db.session.get(ProgressReport, world.interim.id)


def test_the_form_warns_about_childrens_details_and_is_prefilled_from_the_proposal(client):
    world = build_grant()
    login(client, world.member)
    page = client.get(f"/reports/{world.interim.id}").get_data(as_text=True)
    assert "Do not enter names, photos or case details of any child." in page
    assert "Facilitators" in page and "Workshops" in page
    assert "Planned: $2,958.90" in page  # 6,000 for the 180 of 365 days elapsed
    assert "Train 40 parents." in page  # the planned activities, ready to edit


def test_save_draft_keeps_a_partial_report_without_checking_it(client):
    world = build_grant()
    login(client, world.member)
    response = client.post(
        f"/reports/{world.interim.id}",
        data={
            "narrative": "Half done.",
            "reach_female_0_4": "3",
            "spent_1": "100",
            "action": "save",
        },
    )
    assert response.status_code == 302
    saved = report(world)
    assert (saved.state, saved.narrative) == (ReportState.UPCOMING, "Half done.")
    assert [(r.sex, r.age_band, r.count) for r in saved.reach] == [("female", "0_4", 3)]
    assert [(s.description, s.planned, s.spent) for s in saved.spending] == [
        ("Facilitators", Decimal("2958.90"), Decimal("100")),
        ("Workshops", Decimal("1972.60"), None),
    ]


def test_a_complete_report_is_submitted_and_the_secretariat_told(client):
    world = build_grant()
    login(client, world.member)
    response = client.post(f"/reports/{world.interim.id}", data=complete_form())
    assert response.status_code == 302
    saved = report(world)
    assert saved.state == ReportState.SUBMITTED and saved.submitted_at is not None
    assert [m.recipient for m in outbox("report_submitted")] == [world.admin.email]


def test_submitting_an_incomplete_report_is_refused_but_the_draft_is_kept(client):
    world = build_grant()
    login(client, world.member)
    response = client.post(
        f"/reports/{world.interim.id}", data=complete_form(challenges="", reach_male_18_plus="")
    )
    assert response.status_code == 400
    assert "cannot be submitted until" in response.text
    saved = report(world)
    assert saved.state == ReportState.UPCOMING and saved.narrative == "We trained parents."
    assert outbox("report_submitted") == []


def test_a_line_more_than_10_percent_off_the_plan_needs_an_explanation(client):
    world = build_grant()
    login(client, world.member)
    url = f"/reports/{world.interim.id}"
    response = client.post(url, data=complete_form(spent_1="3300"))  # 2,958.90 planned
    assert response.status_code == 400
    assert "explain why" in response.text
    assert report(world).state == ReportState.UPCOMING
    assert report(world).spending[0].spent == Decimal("3300")  # kept in the draft
    response = client.post(
        url, data=complete_form(spent_1="3300", explanation_1="A second facilitator.")
    )
    assert response.status_code == 302 and report(world).state == ReportState.SUBMITTED


def test_within_10_percent_needs_no_explanation(client):
    world = build_grant()
    login(client, world.member)
    response = client.post(f"/reports/{world.interim.id}", data=complete_form(spent_1="3254"))
    assert response.status_code == 302  # 3,254 is 9.97% above 2,958.90


@pytest.mark.parametrize(
    "field,value",
    [
        ("reach_female_5_9", "-1"),
        ("reach_female_5_9", "many"),
        ("reach_male_0_4", "2.5"),
        ("reach_male_0_4", "99999999999"),
        ("spent_1", "-5"),
        ("spent_1", "lots"),
        ("spent_2", "NaN"),
        ("spent_2", "Infinity"),
        ("spent_2", "1e400"),
        ("next_steps", "x" * 20_001),
        ("challenges", "bad\x00byte"),
    ],
)
def test_bad_numbers_and_text_are_refused_and_nothing_saved_is_lost(client, field, value):
    world = build_grant()
    login(client, world.member)
    url = f"/reports/{world.interim.id}"
    assert client.post(url, data={"narrative": "First draft.", "action": "save"}).status_code == 302
    response = client.post(url, data=complete_form(**{field: value, "narrative": "Second."}))
    assert response.status_code == 400
    assert "Nothing was saved" in response.text
    saved = report(world)
    assert saved.narrative == "First draft." and saved.state == ReportState.UPCOMING
    assert saved.reach == [] and saved.spending[0].spent is None


def test_html_typed_in_the_report_is_shown_as_text(client):
    world = build_grant()
    login(client, world.member)
    client.post(
        f"/reports/{world.interim.id}",
        data=complete_form(narrative="<script>alert(1)</script><b>bold</b>"),
    )
    login(client, world.admin)
    page = client.get(f"/reports/{world.interim.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<script>alert(1)" not in page
    assert report(world).narrative == "<script>alert(1)</script><b>bold</b>"  # kept as typed


def test_a_file_is_attached_and_downloaded_by_the_grantee_and_the_secretariat(client):
    world = build_grant()
    login(client, world.member)
    response = client.post(
        f"/reports/{world.interim.id}",
        data={
            "action": "save",
            "attachment": (BytesIO(PDF), "attendance.pdf"),
            "attachment_description": "Attendance totals",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    attachment = report(world).attachments[0]
    url = f"/reports/{world.interim.id}/files/{attachment.id}"
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()  # a file is streamed: close it, or it is left open
    login(client, world.admin)
    download = client.get(url)
    assert download.status_code == 200
    download.close()
    login(client, world.outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "name,content",
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n0000"),
        ("report.docx", b"not a zip"),
        ("script.exe", b"MZ"),
        ("empty.pdf", b""),
    ],
)
def test_files_that_do_not_match_their_names_are_refused_with_nothing_saved(client, name, content):
    world = build_grant()
    login(client, world.member)
    response = client.post(
        f"/reports/{world.interim.id}",
        data={
            "action": "save",
            "narrative": "With a file.",
            "attachment": (BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    saved = report(world)
    assert saved.attachments == [] and saved.narrative == ""
    assert "With a file." in response.text  # what was typed is still in the form


def test_a_submitted_report_can_no_longer_be_edited(client):
    world = build_grant()
    login(client, world.member)
    client.post(f"/reports/{world.interim.id}", data=complete_form())
    response = client.post(
        f"/reports/{world.interim.id}", data={"narrative": "Changed.", "action": "save"}
    )
    assert response.status_code == 409
    assert report(world).narrative == "We trained parents."


def _status_cell(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


@pytest.mark.parametrize(
    "due_in, shown",
    [(-3, "<strong>overdue</strong>"), (5, "<strong>due soon</strong>"), (30, "upcoming")],
    ids=["overdue", "due soon", "later"],
)
def test_a_report_not_yet_submitted_has_one_status_never_upcoming_and_overdue(
    client, due_in, shown
):
    """The report page and the grant page say "overdue" or "due soon" in place of "upcoming"."""
    world = build_grant(interim_due=TODAY + timedelta(days=due_in))
    login(client, world.member)
    report_page = client.get(f"/reports/{world.interim.id}").get_data(as_text=True)
    assert _status_cell(report_page, '<dd class="state">', "</dd>") == shown
    grant_page = client.get(f"/grants/{world.grant.id}").get_data(as_text=True)
    interim_row = grant_page.split("Interim report</a>", 1)[1]
    assert _status_cell(interim_row, 'data-label="Status">', "</td>") == shown
