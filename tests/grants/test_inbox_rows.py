"""The reports inbox's rows, written in Python (fund/grants/inbox_rows.py), are the HTML its
template wrote for them, byte for byte: each section, both kinds of report, a grant without a
reference, names with markup characters, in two languages, and a section without rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for
from flask_babel import force_locale, gettext

from fund.extensions import db
from fund.models import Call, Organisation, ProgressReport, ReportState
from tests.conftest import login
from tests.grants.conftest import TODAY, build_grant
from tests.grants.test_inbox_pages import overdue_reports

# The template's rows before they were written in Python, kept as the reference the written
# rows are held to (its blank space is the page's own).
TEMPLATE_ROWS = """
{%- set label = {"grant": _("Grant"), "organisation": _("Organisation"), "call": _("Call"),
    "report": _("Report"), "due_on": _("Due on")} -%}
{%- set last_label = {"submitted": _("Submitted"), "overdue": _("Days late"),
    "due_soon": _("Days left")} -%}
{%- set last = last_label[key] -%}
{% for report in reports %}
              <tr>
                <td data-label="{{ label["grant"] }}"><a href="{{ report.grant_url }}">{{ report.grant }}</a></td>
                <td data-label="{{ label["organisation"] }}">{{ report.organisation }}</td>
                <td data-label="{{ label["call"] }}">{{ report.call }}</td>
                <td data-label="{{ label["report"] }}"><a href="{{ report.report_url }}">{{ report.kind }}</a></td>
                <td data-label="{{ label["due_on"] }}">{{ report.due_on }}</td>
                <td data-label="{{ last }}">{{ report.last }}</td>
              </tr>
            {% endfor %}"""  # noqa: E501 (the template's own lines)


def _long_way(key: str, report: ProgressReport) -> dict:
    """A row's values as the template was given them, each worked out from the report."""
    grant = report.grant
    if key == "submitted":
        last = report.submitted_at.strftime("%Y-%m-%d") if report.submitted_at else "–"
    elif key == "overdue":
        last = str((TODAY - report.due_on).days)
    else:
        last = str((report.due_on - TODAY).days)
    return {
        "grant_url": url_for("grants.detail", grant_id=grant.id),
        "grant": str(grant.reference or grant.id),
        "organisation": db.session.get(Organisation, grant.organisation_id).name,
        "call": db.session.get(Call, grant.proposal.call_id).title,
        "report_url": url_for("reports.detail", report_id=report.id),
        "kind": gettext("Final report") if report.kind == "final" else gettext("Interim report"),
        "due_on": str(report.due_on),
        "last": last,
    }


def _tbody(html: str, key: str) -> str:
    part = re.search(rf'<section class="panel" id="{key}">(.*?)</section>', html, re.S).group(1)
    return re.search(r"<tbody>(.*?)</tbody>", part, re.S).group(1)


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_the_written_rows_are_the_templates_own(app, client, locale):
    first, second = build_grant(), build_grant(interim_due=TODAY - timedelta(days=3))
    overdue_reports(first, 2)
    second.grant.reference = None  # its number stands for it
    db.session.get(Organisation, second.grant.organisation_id).name = 'Safe <Homes> & "co"'
    db.session.get(Call, second.grant.proposal.call_id).title = "Call <2027> & 'more'"
    first.interim.state = ReportState.SUBMITTED
    first.interim.submitted_at = datetime(2027, 3, 4, 10, 30, tzinfo=UTC)
    second.final.due_on = TODAY + timedelta(days=5)  # a final report due soon
    first.admin.locale = locale
    db.session.commit()
    login(client, first.admin)
    html = client.get("/reports/").get_data(as_text=True)
    template = app.jinja_env.from_string(TEMPLATE_ROWS)
    with app.test_request_context(), force_locale(locale):
        for key in ("submitted", "overdue", "due_soon"):
            body = _tbody(html, key)
            ids = [int(n) for n in re.findall(r'href="/reports/(\d+)"', body)]
            assert ids  # every section has rows here
            reports = [_long_way(key, db.session.get(ProgressReport, i)) for i in ids]
            rows = template.render(key=key, reports=reports)
            assert body == f"\n            \n            {rows}\n          "
    assert "Safe &lt;Homes&gt; &amp; &#34;co&#34;" in html  # escaped once, not twice
    assert f'<a href="/grants/{second.grant.id}">{second.grant.id}</a>' in html


def test_a_section_without_rows_says_none(client):
    world = build_grant()  # nothing submitted, nothing overdue
    login(client, world.admin)
    html = client.get("/reports/").get_data(as_text=True)
    none = (
        '\n            \n            \n              <tr><td colspan="6">None.</td></tr>'
        "\n            \n          "
    )
    assert _tbody(html, "submitted") == none
    assert _tbody(html, "overdue") == none
    assert "None." not in _tbody(html, "due_soon")
