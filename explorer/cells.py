"""Spreadsheet-safe CSV cells, shared by every CSV the app writes (flat export and HSDS).

A text cell that a spreadsheet could read as a formula is neutralised (OWASP "CSV
injection"): a cell starting with ``= + - @``, TAB or CR gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: object) -> object:
    """Prefix ``'`` to text a spreadsheet would execute; numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(
    columns: Iterable[str], rows: Iterable[dict], *, verbatim: Collection[str] = ()
) -> str:
    """CSV with a header row, every cell neutralised except the ``verbatim`` columns.

    A row key that is not a column raises (a misspelt column is a bug, not data to drop);
    a column a row lacks is written empty.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), restval="")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: value if key in verbatim else neutralise_cell(value)
                for key, value in row.items()
            }
        )
    return buffer.getvalue()
