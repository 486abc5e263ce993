"""Downloads of a list as CSV or XLSX, written from one table, so each export is defined once.

A spreadsheet runs text that starts with = + - @ (or a tab or carriage return) as a formula.
In CSV every cell is quoted, and every part of a cell that a spreadsheet might split off (at a
`;` as French, Spanish, Portuguese or German Excel does, at a `,` or a tab) gets a leading `'`
when it starts like a formula. In XLSX every text cell is stored as text, which is never run:
no formula is ever written, and numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATORS = re.compile(r"([;,\t])")
FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
XLSX_TEXT_MAX = 32_767  # the most a spreadsheet cell holds

Row = Sequence[object]


def safe_cell(value: object) -> str:
    """`value` as CSV text; each separated part that a spreadsheet would run as a formula is
    quoted with a leading `'` (spaces before it do not hide it)."""
    text = "" if value is None else str(value)
    parts = SEPARATORS.split(text)  # separators are kept, at the odd positions
    for i in range(0, len(parts), 2):
        part = parts[i]
        stripped = part.lstrip(" ")
        if stripped[:1] in FORMULA_STARTS:
            parts[i] = part[: len(part) - len(stripped)] + "'" + stripped
    return "".join(parts)


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return safe_cell(value)


def csv_text(header: Row, rows: Iterable[Row]) -> str:
    """The table as CSV: UTF-8 with a byte-order mark (so spreadsheets read accents), every
    cell quoted and guarded."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([_csv_value(v) for v in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue()


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    # Characters XML cannot hold are dropped rather than failing the whole download.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:XLSX_TEXT_MAX]


def xlsx_bytes(header: Row, rows: Iterable[Row], title: str) -> bytes:
    """The table as an XLSX workbook of one sheet; text cells are text, never formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"
    for row_number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                # Set after the value: openpyxl makes text starting with "=" a formula.
                cell.data_type = TYPE_STRING
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(header: Row, rows: Iterable[Row], *, fmt: str, filename: str) -> Response:
    """The table as a CSV or XLSX attachment named `filename`.`fmt`."""
    rows = list(rows)
    if fmt == "xlsx":
        body: str | bytes = xlsx_bytes(header, rows, title=filename)
    elif fmt == "csv":
        body = csv_text(header, rows)
    else:
        raise ValueError(f"no such format: {fmt}")
    return Response(
        body,
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


def csv_guarded(data: bytes) -> str:
    """A CSV written elsewhere (e.g. by a converter), re-written with every cell quoted and
    guarded as `csv_text` writes its own."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return csv_text(rows[0] if rows else [], rows[1:])


def xlsx_guarded(data: bytes) -> bytes:
    """A workbook written elsewhere, with every formula cell turned back into the text it was
    (openpyxl writes any text that starts with "=" as a formula)."""
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = TYPE_STRING
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
