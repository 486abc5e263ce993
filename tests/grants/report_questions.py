"""A grant whose call's report form asks questions of its own, made through the builder's
service as the secretariat would: "Schools reached" (a required whole number), a yes/no "Did
you work with the media?" and, only after "yes", "Media reach" (a number), and a 300-character
narrative."""

from __future__ import annotations

from dataclasses import dataclass

from fund.calls import form_builder
from fund.extensions import db
from fund.models import Call, ProgressReport
from tests.grants.conftest import GrantWorld, build_grant

SCHOOLS = "Schools reached"
MEDIA = "Did you work with the media?"
REACH = "Media reach"
STORY = "What changed in the schools"


@dataclass
class Asked:
    world: GrantWorld
    call: Call
    schools: str
    media: str
    reach: str
    story: str

    @property
    def url(self) -> str:
        return f"/reports/{self.world.interim.id}"

    def report(self) -> ProgressReport:
        return db.session.get(ProgressReport, self.world.interim.id)


def grant_with_report_questions(state: str = "active") -> Asked:
    world = build_grant(state)
    call = world.grant.proposal.call
    admin = world.admin
    section = form_builder.add_section(call, admin, "Indicators", kind="report")
    schools = form_builder.add_question(call, admin, section, "number", SCHOOLS, [], kind="report")
    form_builder.update_question(
        call,
        admin,
        schools,
        {"required": True, "limits": {"min": "0", "max": "500", "decimals": 0}},
        kind="report",
    )
    media = form_builder.add_question(call, admin, section, "yes_no", MEDIA, [], kind="report")
    reach = form_builder.add_question(call, admin, section, "number", REACH, [], kind="report")
    form_builder.update_question(
        call, admin, reach, {"condition": {"question": media, "values": ["yes"]}}, kind="report"
    )
    story = form_builder.add_question(call, admin, section, "long_text", STORY, [], kind="report")
    form_builder.update_question(
        call, admin, story, {"limits": {"max": 300, "unit": "characters"}}, kind="report"
    )
    db.session.commit()
    return Asked(world, call, schools, media, reach, story)
