"""Every CSV download is written here: Dutch spreadsheet dialect, and no cell a spreadsheet
would run as a formula.

A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel and
LibreOffice as a formula (OWASP, "CSV injection"): a name like `=HYPERLINK(...)` typed into a
form would run on the treasurer's or the gemeente's computer. Such a cell gets a single quote
in front, which the spreadsheet shows as plain text.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell that is only a number — an optional minus, digits, Dutch thousands dots, a decimal
# comma (or point), perhaps " %" — is written as it is: it cannot hold a formula, and a quote
# in front would turn the figure (a negative amount, say) into text in the spreadsheet.
_NUMBER = re.compile(r"-?\d[\d.]*(?:[,.]\d+)?(?: ?%)?")


def cell(value: object) -> str:
    """The text of one cell, neutralised when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def write(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV text for Dutch Excel: semicolons, a byte-order mark so it reads UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()


def response(filename: str, rows: Iterable[Iterable[object]]) -> Response:
    """A download of `rows` (the header row first) as `filename`."""
    return Response(write(rows), mimetype="text/csv",  # Werkzeug adds "; charset=utf-8"
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
