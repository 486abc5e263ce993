"""The grant agreement's terms: the call's template with the grant's figures filled in."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from fund.forms_def.localise import LocalCall
from fund.grants.status import condition_label
from fund.i18n import lazy_gettext as _l
from fund.models import Grant, ReportKind
from fund.money import money

PLACEHOLDERS = {
    "organisation": _l("the grantee organisation's name"),
    "reference": _l("the grant reference, e.g. GR-2027-0042"),
    "proposal_title": _l("the title of the funded proposal"),
    "call": _l("the title of the call"),
    "amount": _l("the amount awarded, in figures without the currency"),
    "currency": _l("the currency, e.g. USD"),
    "start_on": _l("the first day of the funded period"),
    "end_on": _l("the last day of the funded period"),
    "reporting_schedule": _l("the reports due, one per line, with their periods and due dates"),
    "payment_schedule": _l("the tranches, one per line, with amounts and conditions"),
}

DEFAULT_TERMS = _l(
    "Grant agreement {reference}\n\n"
    "The INSPIRE Fund grants {organisation} {amount} {currency} for the project "
    '"{proposal_title}" ({call}), to be carried out from {start_on} to {end_on}.\n\n'
    "Payments\n{payment_schedule}\n\n"
    "Reports\n{reporting_schedule}\n\n"
    "The grantee uses the grant only for the activities and budget of the approved proposal, "
    "tells the secretariat at once of any change, delay or safeguarding concern, keeps records "
    "of spending for five years, and reports people reached only as aggregate counts: never "
    "names, photos or case details of children.\n\n"
    "The INSPIRE Fund may suspend payments while a report is overdue or a concern is examined."
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def kind_label(kind: str) -> str:
    return _("Final report") if kind == ReportKind.FINAL else _("Interim report")


def reporting_schedule_text(grant: Grant) -> str:
    lines = [
        _(
            "- %(kind)s for %(start)s to %(end)s, due on %(due)s",
            kind=kind_label(r.kind),
            start=r.period_start or "",
            end=r.period_end or "",
            due=r.due_on,
        )
        for r in grant.reports
    ]
    return "\n".join(lines) or _("- none")


def payment_schedule_text(grant: Grant) -> str:
    lines = [
        _(
            "- Tranche %(n)d: %(percent)d%% (%(amount)s) %(condition)s",
            n=t.position,
            percent=t.percent,
            amount=money(t.amount, grant.currency),
            condition=condition_label(t.condition),
        )
        for t in grant.tranches
    ]
    return "\n".join(lines) or _("- none")


def values(grant: Grant) -> dict[str, str]:
    proposal = grant.proposal
    return {
        "organisation": grant.organisation.name,
        "reference": grant.reference or f"#{grant.id}",
        "proposal_title": proposal.title,
        "call": proposal.call.title,
        # the figure alone: the call's own text places {currency} beside it
        "amount": money(grant.amount, grant.currency, symbol=False),
        "currency": grant.currency,
        "start_on": grant.start_on.isoformat() if grant.start_on else "",
        "end_on": grant.end_on.isoformat() if grant.end_on else "",
        "reporting_schedule": reporting_schedule_text(grant),
        "payment_schedule": payment_schedule_text(grant),
    }


def fill(template: str, filled: dict[str, str]) -> str:
    """Replace each {name} the list knows; anything else in braces stays as written (no
    attribute lookups or format specs, unlike str.format)."""
    return _PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), template)


def terms(grant: Grant) -> str:
    """The terms as the grantee reads them now, or as it accepted them."""
    if grant.agreement_text:
        return grant.agreement_text
    # The call's own terms in the proposal's language (the main one's where not translated).
    proposal = grant.proposal
    call = LocalCall(proposal.call, proposal.language or proposal.call.main_language)
    template = call.agreement_template or str(DEFAULT_TERMS)
    return fill(template, values(grant))
