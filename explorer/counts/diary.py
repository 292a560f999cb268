"""The diary written back as CSV, for the user to keep and upload next time.

Every row given is in it, in its order: a usable count as an ISO date and the value in
its unit; a row left out with what was given and, in ``note``, why. The header names the
unit, so the file reads back the same. Cells a spreadsheet would run as a formula are
neutralised (:func:`explorer.cells.csv_text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from explorer.cells import csv_text
from explorer.counts.records import UNITS, Checked, Entry, Problem

DATE_COLUMN = "date"
NOTE_COLUMN = "note"


def count_column(unit: str) -> str:
    """``anc (×10⁹/L)``: the header :func:`~explorer.counts.reading.unit_from_header` reads."""
    return f"anc ({UNITS[unit].label})"


def diary_csv(
    entries: Iterable[Entry], unreadable: Sequence[Problem], checked: Checked, unit: str
) -> bytes:
    """The diary as UTF-8 CSV (with a BOM, so spreadsheets read µ and ⁹ right)."""
    reasons = {problem.line: problem.message for problem in checked.problems}
    column = count_column(unit)
    rows = [
        (
            entry.line,
            {
                DATE_COLUMN: f"{entry.day:%Y-%m-%d}" if entry.day else entry.raw_date,
                column: f"{entry.value:g}" if entry.value is not None else entry.raw_value,
                NOTE_COLUMN: reasons.get(entry.line, ""),
            },
        )
        for entry in entries
        if entry.day is not None or entry.value is not None
    ]
    rows += [
        (p.line, {DATE_COLUMN: p.raw_date, column: p.raw_value, NOTE_COLUMN: p.message})
        for p in unreadable
    ]
    rows.sort(key=lambda pair: pair[0])
    text = csv_text((DATE_COLUMN, column, NOTE_COLUMN), (row for _, row in rows))
    return ("\ufeff" + text).encode("utf-8")
