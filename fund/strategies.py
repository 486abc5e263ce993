"""The INSPIRE strategies as people read them (WHO and partners, 2016)."""

from __future__ import annotations

from fund.i18n import lazy_gettext as _l
from fund.models import Strategy

STRATEGY_LABELS = {
    Strategy.LAWS: _l("Implementation and enforcement of laws"),
    Strategy.NORMS: _l("Norms and values"),
    Strategy.SAFE_ENVIRONMENTS: _l("Safe environments"),
    Strategy.PARENT_SUPPORT: _l("Parent and caregiver support"),
    Strategy.INCOME: _l("Income and economic strengthening"),
    Strategy.RESPONSE_SERVICES: _l("Response and support services"),
    Strategy.EDUCATION: _l("Education and life skills"),
    Strategy.MULTISECTORAL: _l("Multisectoral actions and coordination (cross-cutting)"),
    Strategy.MONITORING: _l("Monitoring and evaluation (cross-cutting)"),
}


def strategy_label(code: str) -> str:
    return str(STRATEGY_LABELS.get(code, code))
