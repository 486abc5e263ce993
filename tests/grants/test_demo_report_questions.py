"""The demo shows the report form as data: every demo call reports the INSPIRE indicators and
"Schools reached", and the demo reports submitted answer them."""

from __future__ import annotations

from fund.forms_def.definition import questions
from fund.models import Call, ProgressReport

INDICATORS = ["Events held", "Materials produced", "Partners engaged", "Media reach"]


def test_the_demo_calls_report_the_indicators_and_schools_reached(runner, ctx):
    result = runner.invoke(args=["fund", "seed-demo"])
    assert result.exit_code == 0, result.output
    for call in Call.query.all():
        labels = [q["label"] for q in questions(call.report_form)]
        assert labels[:5] == [*INDICATORS, "Schools reached"], call.title
    submitted = ProgressReport.query.filter(ProgressReport.submitted_at.is_not(None)).all()
    assert submitted
    for report in submitted:
        frozen = {q["label"]: q["id"] for q in questions(report.form)}
        assert report.answers[frozen["Schools reached"]].isdigit()
        assert all(report.answers[frozen[label]].isdigit() for label in INDICATORS)
