"""Starting a proposal: the published call it is for, the organisations the user may start it
for, and the "Start a proposal" box of a call's page with the reasons an organisation may not
apply."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from fund import permissions
from fund.extensions import db
from fund.models import Call, Organisation
from fund.numbers import parse_id
from fund.proposals.eligibility import eligibility_problems
from fund.proposals.forms import StartForm


def call_or_404(call_id: str | None) -> Call:
    """A published call by its id as sent in a form or a query string."""
    number = parse_id(call_id)
    call = db.session.get(Call, number) if number is not None else None
    if call is None or call.published_at is None:
        abort(404)
    return call


def user_organisations(user) -> list[Organisation]:
    ids = permissions.member_organisation_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        )
    )


def start_form(user, organisations: list[Organisation] | None = None) -> StartForm:
    form = StartForm()
    organisations = user_organisations(user) if organisations is None else organisations
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    return form


@dataclass
class StartOptions:
    """What the "Start a proposal" box shows the current user for one call."""

    signed_in: bool
    may_start: bool
    organisations: list[tuple[Organisation, list[str]]] = field(default_factory=list)
    form: StartForm | None = None

    @property
    def eligible(self) -> list[Organisation]:
        return [organisation for organisation, problems in self.organisations if not problems]


def start_options(call: Call, form: StartForm | None = None) -> StartOptions:
    """The user's organisations, each with the reasons it may not apply (the call page's box)."""
    if not permissions.is_signed_in(current_user):
        return StartOptions(signed_in=False, may_start=False)
    if not permissions.can_start_proposal(current_user):
        return StartOptions(signed_in=True, may_start=False)
    organisations = user_organisations(current_user)
    form = form or start_form(current_user, organisations)
    form.call_id.data = str(call.id)
    checked = [(o, eligibility_problems(o, call)) for o in organisations]
    eligible = [o for o, problems in checked if not problems]
    if len(eligible) == 1 and not form.organisation_id.data:
        form.organisation_id.data = eligible[0].id
    return StartOptions(signed_in=True, may_start=True, organisations=checked, form=form)
