"""The package as the flat CSV and XLSX that 360Giving's tools read, made by flattentool (the
converter those tools use) from the JSON and the grant schema, with the standard's column titles.

The CSV is the main "grants" sheet (the first of each repeated part rolled up into it, as the
standard's template has it); the XLSX holds every sheet, one row per repeated part.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from pathlib import Path
from typing import Any

import flattentool
from flattentool.exceptions import FlattenToolWarning

from fund import spreadsheets
from fund.opendata.schema import GRANT_SCHEMA


def flat(package: dict[str, Any], fmt: str) -> str | bytes:
    """`package` as "csv" (the grants sheet) or "xlsx" (every sheet), with no cell that a
    spreadsheet would run as a formula (fund/spreadsheets.py)."""
    with tempfile.TemporaryDirectory(prefix="fund-360giving-") as folder:
        source = Path(folder) / "grants.json"
        source.write_text(json.dumps(package), encoding="utf-8")
        output = Path(folder) / ("flat" if fmt == "csv" else "grants.xlsx")
        with warnings.catch_warnings():
            # It names each part of the schema it leaves out for want of a title (transaction
            # lists other than the disbursements' rolled-up total): expected, not a fault.
            warnings.simplefilter("ignore", FlattenToolWarning)
            flattentool.flatten(
                str(source),
                output_name=str(output),
                output_format=fmt,
                schema=str(GRANT_SCHEMA),
                main_sheet_name="grants",
                root_list_path="grants",
                root_id="",
                use_titles=True,
                rollup=True,
            )
        if fmt == "csv":
            return spreadsheets.csv_guarded((output / "grants.csv").read_bytes())
        return spreadsheets.xlsx_guarded(output.read_bytes())
