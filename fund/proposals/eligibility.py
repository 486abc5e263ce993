"""Whether an organisation may apply to a call, and if not, exactly why.

Starting a proposal asks this, and submission asks it again: the income list, the call or the
organisation may have changed in between.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime
from flask_babel import gettext as _

from fund import clock
from fund.countries import country_name
from fund.i18n import lazy_gettext as _l
from fund.income_groups import income_group_for
from fund.models import Call, IncomeGroup, Organisation
from fund.organisations.forms import TYPE_LABELS

# "low" in "open to low, lower-middle and upper-middle income countries".
GROUP_ADJECTIVES = {
    IncomeGroup.LOW: _l("low"),
    IncomeGroup.LOWER_MIDDLE: _l("lower-middle"),
    IncomeGroup.UPPER_MIDDLE: _l("upper-middle"),
    IncomeGroup.HIGH: _l("high"),
}

# In the order the World Bank ranks them, so the list reads from low to high.
GROUP_ORDER = [
    IncomeGroup.LOW,
    IncomeGroup.LOWER_MIDDLE,
    IncomeGroup.UPPER_MIDDLE,
    IncomeGroup.HIGH,
]


def eligibility_problems(
    organisation: Organisation, call: Call, now: datetime | None = None
) -> list[str]:
    """The reasons `organisation` may not apply to `call`, translated; empty when it may."""
    now = now or clock.now()
    problems = []
    for check in (call_problem, _country_problem, _type_problem):
        problem = check(organisation, call, now)
        if problem:
            problems.append(problem)
    return problems


def is_accepting_proposals(call: Call, now: datetime) -> bool:
    """Published and not yet closed: drafts may be started before the call opens."""
    return call.published_at is not None and call.published_at <= now and now < call.closes_at


def call_problem(organisation: Organisation, call: Call, now: datetime) -> str | None:
    if call.published_at is None or call.published_at > now:
        return _("This call is not published yet, so proposals cannot be started.")
    if now >= call.closes_at:
        return _(
            "This call closed on %(date)s: proposals can no longer be started.",
            date=format_datetime(call.closes_at, "medium"),
        )
    if call.two_stage and (call.concept_closes_at is None or now >= call.concept_closes_at):
        # after the concept deadline only the organisations invited write (their own row)
        return _(
            "This call took concept notes until %(date)s: only the organisations invited "
            "then can submit a full proposal.",
            date=format_datetime(call.concept_closes_at or call.opens_at, "medium"),
        )
    return None


def _country_problem(organisation: Organisation, call: Call, now: datetime) -> str | None:
    income = income_group_for(organisation.country_code, call.fiscal_year)
    group = income.income_group if income else IncomeGroup.UNCLASSIFIED
    country = country_name(organisation.country_code)
    open_to = _open_to(call)
    if group == IncomeGroup.UNCLASSIFIED:
        if call.unclassified_eligible:
            return None
        return _(
            "Organisations registered in %(country)s (not classified by the World Bank in "
            "%(fiscal_year)s) are not eligible for this call: it is open only to %(groups)s.",
            country=country,
            fiscal_year=call.fiscal_year,
            groups=open_to,
        )
    if group.value in (call.eligible_income_groups or []):
        return None
    return _(
        "Organisations registered in %(country)s (%(group)s income in %(fiscal_year)s) are not "
        "eligible for this call: it is open to %(groups)s.",
        country=country,
        group=GROUP_ADJECTIVES[group],
        fiscal_year=call.fiscal_year,
        groups=open_to,
    )


def _type_problem(organisation: Organisation, call: Call, now: datetime) -> str | None:
    eligible = call.eligible_org_types or []
    if organisation.org_type in eligible:
        return None
    kind = TYPE_LABELS.get(organisation.org_type, organisation.org_type)
    if not eligible:
        return _("This call is not open to any type of organisation.")
    return _(
        "%(name)s is registered as: %(kind)s. This call is open only to: %(kinds)s.",
        name=organisation.name,
        kind=kind,
        kinds=", ".join(str(TYPE_LABELS.get(t, t)) for t in eligible),
    )


def _open_to(call: Call) -> str:
    """ "low, lower-middle and upper-middle income countries" (and unclassified economies)."""
    groups = [
        str(GROUP_ADJECTIVES[g])
        for g in GROUP_ORDER
        if g.value in (call.eligible_income_groups or [])
    ]
    if not groups:
        text = _("no income group")
    elif len(groups) == 1:
        text = _("%(group)s income countries", group=groups[0])
    else:
        text = _(
            "%(groups)s and %(last)s income countries",
            groups=", ".join(groups[:-1]),
            last=groups[-1],
        )
    if call.unclassified_eligible:
        text = _("%(groups)s, and economies the World Bank does not classify", groups=text)
    return text
