"""Helpers for the secretariat tests: income lists in the World Bank's CLASS format."""

from __future__ import annotations

import csv
import io

from fund.income_groups import SHIPPED

LONG_NAMES = {
    "LIC": "Low income",
    "LMC": "Lower middle income",
    "UMC": "Upper middle income",
    "HIC": "High income",
    "unclassified": "",
}

# Rows the World Bank adds for regions and income aggregates; they have no income group.
AGGREGATES = [
    ("World", "WLD", "", ""),
    ("Low income", "LIC", "", ""),
    ("Sub-Saharan Africa", "SSF", "", ""),
    ("Euro area", "EMU", "", ""),
]


def shipped_rows() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def class_csv(
    fiscal_year: str = "fy2027",
    changes: dict[str, str] | None = None,
    rows: list[dict[str, str]] | None = None,
) -> str:
    """The shipped list rewritten as the World Bank's CLASS list saved as CSV.

    `changes` maps an alpha-3 code to a group name as CLASS spells it.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Economy", "Code", "Region", "Income group", "Lending category"])
    for row in rows if rows is not None else shipped_rows():
        group = LONG_NAMES[row[f"income_group_{fiscal_year}"]]
        group = (changes or {}).get(row["iso3"], group)
        writer.writerow([row["name"], row["iso3"], row["region"], group, ""])
    for name, code, region, group in AGGREGATES:
        writer.writerow([name, code, region, group, ""])
    return out.getvalue()
