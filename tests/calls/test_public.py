"""What visitors see: open calls on the home page, the list of calls, and each call's page."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fund.extensions import db
from fund.models import Call, Role
from fund.rules.limits import (
    BUDGET_LINE_DESCRIPTION_MAX,
    FIELD_LIMITS,
    MAX_ATTACHMENTS,
    MAX_BUDGET_LINES,
)
from tests.calls.conftest import NOW, create_call
from tests.conftest import count_queries, login, make_user


def calls_at_every_stage() -> None:
    create_call(title="Open call A")
    create_call(title="Open call B", closes_at=NOW + timedelta(hours=30))
    create_call(title="Unpublished call", published=False)
    create_call(
        title="Coming call", opens_at=NOW + timedelta(days=3), closes_at=NOW + timedelta(days=40)
    )
    create_call(
        title="Closed call", opens_at=NOW - timedelta(days=60), closes_at=NOW - timedelta(days=2)
    )
    create_call(
        title="Long closed call",
        opens_at=NOW - timedelta(days=400),
        closes_at=NOW - timedelta(days=300),
    )


def test_the_home_page_lists_only_open_calls(client, frozen):
    """Published calls between their opening and closing times; nothing else."""
    calls_at_every_stage()
    page = client.get("/").text
    assert "Open call A" in page and "Open call B" in page
    for title in ("Unpublished call", "Coming call", "Closed call", "Long closed call"):
        assert title not in page
    assert page.index("Open call B") < page.index("Open call A")  # closing soonest first


def test_the_home_page_says_how_long_is_left(client, frozen):
    """Each open call shows the time left before it closes."""
    create_call(title="Twelve days", closes_at=NOW + timedelta(days=12))
    create_call(title="Thirty hours", closes_at=NOW + timedelta(hours=30))
    page = client.get("/").text
    assert "(in 12 days)" in page
    assert "(in 30 hours)" in page


def test_the_closing_time_is_shown_in_the_visitors_time_zone(client, frozen):
    """14:00 UTC is shown as 16:00 to a visitor in Paris (summer time) and 14:00 in UTC."""
    call = create_call(closes_at=datetime(2027, 3, 31, 14, 0, tzinfo=UTC))
    utc_page = client.get("/").text
    assert "Mar 31, 2027, 2:00:00\u202fPM" in utc_page
    with client.session_transaction() as session:
        session["timezone"] = "Europe/Paris"
    for path in ("/", "/calls/", f"/calls/{call.id}"):
        page = client.get(path).text
        assert "Mar 31, 2027, 4:00:00\u202fPM" in page, path
        assert "Europe/Paris" in page


def test_a_signed_in_user_sees_times_in_their_own_zone(client, frozen):
    """The account's time zone wins over the default."""
    call = create_call(closes_at=datetime(2027, 3, 31, 14, 0, tzinfo=UTC))
    user = make_user(Role.APPLICANT)
    user.timezone = "Africa/Nairobi"
    db.session.commit()
    login(client, user)
    assert "Mar 31, 2027, 5:00:00\u202fPM" in client.get(f"/calls/{call.id}").text


def test_the_public_list_has_open_coming_and_recently_closed_calls(client, frozen):
    """Old closed calls and unpublished ones are not listed."""
    calls_at_every_stage()
    page = client.get("/calls/").text
    for title in ("Open call A", "Open call B", "Coming call", "Closed call"):
        assert title in page
    assert "Unpublished call" not in page and "Long closed call" not in page
    assert (
        page.index("Open now")
        < page.index("Open call A")
        < page.index("Opening soon")
        < page.index("Coming call")
        < page.index("Recently closed")
        < page.index("Closed call")
    )


def test_the_call_page_tells_an_applicant_everything_before_registering(client, frozen):
    """Purpose, eligibility, amounts, duration, strategies, questions with limits, rubric."""
    call = create_call(
        title="Grants 2027",
        description="Ending violence in schools.",
        max_duration_months=12,
        eligible_income_groups=["LIC", "LMC"],
        strategies=["laws", "education"],
        eligible_org_types=["ngo"],
    )
    page = html.unescape(client.get(f"/calls/{call.id}").text)
    assert "<h1>Grants 2027</h1>" in page
    assert "Ending violence in schools." in page
    assert "from $5,000.00 to $50,000.00" in page
    assert "$200,000.00" in page
    assert "12 months" in page
    assert "Low income" in page and "Lower-middle income" in page
    assert "Upper-middle income" not in page
    assert "fiscal year FY2027" in page
    assert "does not classify are not eligible" in page
    assert "Non-governmental organisation" in page and "Academic" not in page
    assert "Implementation and enforcement of laws" in page
    assert "Education and life skills" in page and "Parent and caregiver support" not in page
    for limit in FIELD_LIMITS.values():
        assert f"Up to {limit} characters." in page
    assert f"Up to {MAX_BUDGET_LINES} lines" in page
    assert f"up to {BUDGET_LINE_DESCRIPTION_MAX} characters" in page
    assert f"Up to {MAX_ATTACHMENTS} files" in page
    assert "From 1 to 12 months." in page
    for criterion in call.criteria:
        assert (
            f'<td data-label="Criterion">{criterion.name}</td>'
            f'<td data-label="Weight">{criterion.weight}%</td>'
        ) in page
        assert criterion.guidance in page
    assert "80% of the award when the grant agreement is signed" in page
    assert "An interim report 6 months after the project starts" in page
    assert "A final report 60 days after the project ends" in page


def test_the_call_page_shows_amounts_in_the_calls_currency(client, frozen):
    """A call in euros shows euros, formatted for the reader's language."""
    call = create_call(currency="EUR")
    assert "€5,000.00" in html.unescape(client.get(f"/calls/{call.id}").text)


def test_the_call_page_prints_without_navigation(client, frozen):
    """Buttons and navigation are marked so the print style leaves them out."""
    call = create_call()
    login(client, make_user(Role.ADMIN))
    page = client.get(f"/calls/{call.id}").text
    assert 'class="actions"' in page
    css = (Path(__file__).parents[2] / "fund" / "static" / "app.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".no-print" in print_rules and ".actions" in print_rules


@pytest.mark.parametrize("field", ["title", "description"])
def test_markup_in_a_call_is_shown_as_text(client, frozen, field):
    """HTML and script in the title or description are escaped on every page."""
    attack = '<script>alert("x")</script><b onmouseover="x()">bold</b>'
    call = (
        create_call(**{field: attack})
        if field == "title"
        else create_call(title="Safe title", description=attack)
    )
    login(client, make_user(Role.ADMIN))
    paths = ["/", "/calls/", f"/calls/{call.id}", "/calls/manage", f"/calls/{call.id}/edit"]
    for path in paths:
        page = client.get(path).text
        assert "<script>alert" not in page, path
        assert "<b onmouseover" not in page, path
    assert "&lt;script&gt;alert(" in client.get(f"/calls/{call.id}").text


def make_open_calls(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        create_call(title=f"Call {i}", closes_at=NOW + timedelta(days=5 + i))
        create_call(
            title=f"Closed {i}",
            opens_at=NOW - timedelta(days=60),
            closes_at=NOW - timedelta(days=1 + i),
        )


@pytest.mark.parametrize("path", ["/", "/calls/"])
def test_query_count_does_not_grow_with_the_number_of_calls(client, frozen, path):
    """3 calls or 30, the page makes the same number of queries."""
    make_open_calls(3)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    make_open_calls(27, start=3)
    with count_queries() as many:
        page = client.get(path).text
    assert "Call 29" in page
    assert len(many) == len(few)


def test_the_secretariats_list_makes_the_same_queries_for_3_or_30_calls(client, admin, frozen):
    """The count of submitted proposals per call is one grouped query, not one per call."""
    make_open_calls(3)
    with count_queries() as few:
        assert client.get("/calls/manage").status_code == 200
    make_open_calls(12, start=3)
    with count_queries() as many:
        client.get("/calls/manage")
    assert len(many) == len(few)


def test_a_call_page_without_a_rubric_still_shows(client, frozen):
    """A call made elsewhere without criteria shows its page (with an empty rubric)."""
    call = Call(
        title="Bare",
        published_at=NOW,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
    )
    db.session.add(call)
    db.session.commit()
    assert client.get(f"/calls/{call.id}").status_code == 200
