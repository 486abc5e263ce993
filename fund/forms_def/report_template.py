"""The shipped "INSPIRE indicators" report form (inspire_indicators.json beside this module):
awareness-raising and engagement indicators, as aggregate counts, with a short narrative on each.

People reached by sex and age band and spending against the budget are fixed parts of every
report (fund/rules/report_content.py), so the template does not ask them again.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).with_name("inspire_indicators.json")


@cache
def _shipped() -> dict[str, Any]:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def indicators_template() -> dict[str, Any]:
    """A fresh copy of the INSPIRE indicators report form, safe to change and store."""
    return copy.deepcopy(_shipped())
