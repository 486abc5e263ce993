"""Starting a call's report form from the shipped "INSPIRE indicators" template (the
secretariat's choice on the builder page of an empty report form).

The service flushes but never commits, and writes an audit row on the call.
"""

from __future__ import annotations

from flask_babel import gettext as _

from fund.calls.form_builder import FormChangeRefused, is_locked
from fund.calls.form_kinds import KINDS
from fund.calls.services import audit
from fund.extensions import db
from fund.forms_def import definition as forms
from fund.forms_def.report_template import indicators_template
from fund.models import Call, User


def start_from_indicators(call: Call, actor: User) -> None:
    """Fill the call's empty report form with the INSPIRE indicators template.

    Refused once a report has been submitted (its answers fix the form) and when the form
    already has sections (the template would not replace the secretariat's own work)."""
    kind = KINDS["report"]
    if is_locked(call, "report"):
        raise FormChangeRefused(
            _(
                "Grantees have already submitted reports on this form, so it cannot be "
                "replaced by the template."
            )
        )
    if forms.load(kind.definition(call))["sections"]:
        raise FormChangeRefused(
            _("The report form already has sections: remove them first to start from the template.")
        )
    template = indicators_template()
    # ids this call retired stay retired, unless the template itself uses them again
    used = set(forms.all_ids(template))
    template["retired_ids"] = [
        i for i in forms.load(kind.definition(call))["retired_ids"] if i not in used
    ]
    kind.store(call, template)
    said = _("started from the INSPIRE indicators template")
    audit(call, "form_change", actor, f"{kind.title}: {said}")
    db.session.flush()
