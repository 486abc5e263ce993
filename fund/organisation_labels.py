"""The words for an organisation's type and yearly budget band, shared by the organisation's
form, the call's eligibility rules, templates and reports (so no area's forms module is
imported from below the areas)."""

from __future__ import annotations

from fund.i18n import lazy_gettext as _l
from fund.models import BudgetBand, OrganisationType

TYPE_LABELS = {
    OrganisationType.NGO: _l("Non-governmental organisation"),
    OrganisationType.COMMUNITY_BASED: _l("Community-based organisation"),
    OrganisationType.FAITH_BASED: _l("Faith-based organisation"),
    OrganisationType.ACADEMIC: _l("Academic or research institution"),
    OrganisationType.GOVERNMENT: _l("Government body"),
    OrganisationType.OTHER: _l("Other"),
}

BUDGET_LABELS = {
    BudgetBand.UNDER_50K: _l("Under USD 50,000"),
    BudgetBand.FROM_50K_TO_250K: _l("USD 50,000 to 250,000"),
    BudgetBand.FROM_250K_TO_1M: _l("USD 250,000 to 1 million"),
    BudgetBand.OVER_1M: _l("Over USD 1 million"),
}
