"""Reading counts from a lab portal's or spreadsheet's CSV, and checking typed counts.

Nothing is guessed that the user could get wrong without noticing: the unit is chosen
from the column header or, failing that, from the values' magnitude, and the page says
which and why so the user can change it; a file whose dates read both as day/month and
month/day (03/04/2026) is named ambiguous and the user chooses. Rows that cannot be
used (unreadable, duplicated, impossible, in the future) are listed with their line.
Pure functions: bytes in, records out; nothing is written anywhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from charset_normalizer import from_bytes

from explorer.counts.records import (
    DAY_FIRST,
    MONTH_FIRST,
    UNITS,
    Checked,
    Count,
    Entry,
    Problem,
)

MAX_UPLOAD_BYTES = 1_000_000
"""A diary of ten years of counts three times a week is about 40 kB: a bigger file is
something else (an export of the whole lab record, a spreadsheet)."""
PLAUSIBLE_MAX = 100.0
"""×10⁹/L (100,000 cells/µL): a neutrophil count above this is a typing or unit error."""
MAGNITUDE_CUTOFF = 50.0
"""No absolute neutrophil count reaches 50 ×10⁹/L, so a larger value is in cells/µL."""
DATE_WORDS = ("date", "day", "datum", "fecha", "drawn", "collected", "when")
COUNT_WORDS = ("anc", "neutro", "count", "value", "result")
UNIT_PATTERNS = (
    ("per_mm3", re.compile(r"mm\s*(3|³|\^3)", re.I)),
    ("cells_per_ul", re.compile(r"(cells|/)\s*(µ|μ|u|mc)l\b", re.I)),
    ("e3_per_ul", re.compile(r"(10\s*(\^|e|\*\*)?\s*3|10³|\bk)\s*/\s*(µ|μ|u|mc)l", re.I)),
    ("e9_per_l", re.compile(r"(10\s*(\^|e|\*\*)?\s*9|10⁹|\bg)\s*/\s*l\b", re.I)),
)
"""Checked in this order; a header naming 10³ (``10^3/uL``, ``K/µL``) is never read as
cells/µL, though it also ends in ``/µL`` (see :func:`unit_from_header`)."""
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_NAMED = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%d-%b-%Y")
_DECIMAL_COMMA = re.compile(r"^[-+]?\d*,\d+$")
_THOUSANDS = re.compile(r"^[-+]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class Upload:
    """What a file gave: its rows, the header's unit (if it names one), the rows that could
    not be read, and either a message (the file cannot be used at all) or the question the
    user must answer (its dates read both ways)."""

    entries: tuple[Entry, ...] = ()
    problems: tuple[Problem, ...] = ()
    header_unit: str | None = None
    message: str = ""
    ambiguous_dates: tuple[str, ...] = ()
    date_order: str | None = None
    date_reason: str = ""

    @property
    def needs_date_order(self) -> bool:
        return bool(self.ambiguous_dates)


def _decode(data: bytes) -> str | None:
    """The file's text, or None when it is not text (a spreadsheet, a PDF, an image)."""
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        return None if best is None else str(best)


def _looks_binary(text: str) -> bool:
    controls = sum(1 for char in text[:4096] if ord(char) < 32 and char not in "\r\n\t")
    return controls > 0


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    for candidate in ("\t", ";"):
        if candidate in first:
            return candidate
    return ","


def _plain_date(text: str) -> str:
    """The date part of a cell: ``2026-03-04T08:30`` and ``04/03/2026 08:30`` lose the time."""
    text = text.strip().strip("'\"")
    if "T" in text and _ISO.match(text.split("T", 1)[0]):
        return text.split("T", 1)[0]
    head = text.split(" ", 1)[0]
    if _ISO.match(head) or _NUMERIC.match(head):
        return head
    return text.replace(",", " ").replace("  ", " ").strip()


def read_date(text: str, order: str | None) -> date | None:
    """A date in ISO (2026-03-04), numeric day/month or month/day (``order``), or with a
    month name (4 Mar 2026); None when it is not one (or ``order`` is needed and missing)."""
    text = _plain_date(text)
    try:
        if match := _ISO.match(text):
            year, month, day = (int(part) for part in match.groups())
            return date(year, month, day)
        if match := _NUMERIC.match(text):
            first, second, year = (int(part) for part in match.groups())
            if order == DAY_FIRST:
                return date(year, second, first)
            if order == MONTH_FIRST:
                return date(year, first, second)
            return None
    except ValueError:
        return None
    for pattern in _NAMED:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def date_order_evidence(texts: Iterable[str]) -> tuple[set[str], list[str]]:
    """Which orders the numeric dates allow (a first part above 12 means day first, a
    second above 12 month first), and the dates that read both ways."""
    seen: set[str] = set()
    either: list[str] = []
    for text in texts:
        match = _NUMERIC.match(_plain_date(text))
        if not match:
            continue
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12 >= second:
            seen.add(DAY_FIRST)
        elif second > 12 >= first:
            seen.add(MONTH_FIRST)
        elif first != second and first <= 12 and second <= 12:
            either.append(text.strip())
    return seen, either


def read_number(text: str, *, decimal_comma: bool) -> float | None:
    """``0.42``, ``0,42`` (decimal comma), ``1,200`` (thousands, unless the file writes
    decimal commas), ``1 200``; a leading ``'`` (a spreadsheet's text marker) is ignored."""
    text = text.strip().lstrip("'").replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if not text:
        return None
    if decimal_comma and _DECIMAL_COMMA.match(text.replace(".", "")):
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def unit_from_header(header: str) -> str | None:
    """The unit a column header names (``ANC (10^9/L)``, ``Neutrophils cells/uL``), if any."""
    for key, pattern in UNIT_PATTERNS:
        if key == "cells_per_ul" and re.search(r"10\s*(\^|e|\*\*)?\s*3|10³|\bk\s*/", header, re.I):
            continue
        if pattern.search(header):
            return key
    return None


def guess_unit(header_unit: str | None, values: Sequence[float]) -> tuple[str, str]:
    """The unit to read the values in, and why, in words the page shows."""
    if header_unit:
        return header_unit, f"the column header says {UNITS[header_unit].label}"
    if values and max(abs(v) for v in values) > MAGNITUDE_CUTOFF:
        return "cells_per_ul", (
            f"some values are above {MAGNITUDE_CUTOFF:g}, which only a count in cells/µL can be"
        )
    return "e9_per_l", (f"every value is {MAGNITUDE_CUTOFF:g} or less, as counts in ×10⁹/L are")


def _pick_columns(header: list[str]) -> tuple[int, int]:
    lowered = [cell.casefold() for cell in header]
    date_col = next((i for i, c in enumerate(lowered) if any(w in c for w in DATE_WORDS)), 0)
    count_col = next(
        (i for i, c in enumerate(lowered) if i != date_col and any(w in c for w in COUNT_WORDS)),
        next((i for i in range(len(header)) if i != date_col), 1),
    )
    return date_col, count_col


def _size_words(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def read_upload(data: bytes, *, date_order: str | None = None) -> Upload:
    """Read a CSV of dates and counts (any column order; a header is optional).

    Returns an :class:`Upload` whose ``message`` explains a file that cannot be used
    (empty, too big, not text, no rows), or whose ``ambiguous_dates`` name the dates
    that read both ways when ``date_order`` was not given. Unit conversion and the
    plausibility checks are :func:`check_entries`' job, once the unit is known.
    """
    if not data.strip():
        return Upload(message="The file is empty: there are no counts in it.")
    if len(data) > MAX_UPLOAD_BYTES:
        return Upload(
            message=(
                f"The file is {_size_words(len(data))}; a count diary is a few kilobytes, and "
                f"files up to {_size_words(MAX_UPLOAD_BYTES)} are read. Save only the dates "
                "and counts as CSV and upload that."
            )
        )
    text = _decode(data)
    if text is None or _looks_binary(text):
        return Upload(
            message=(
                "This is not a text CSV file (it looks like a spreadsheet, PDF or image). "
                "Save the dates and counts as CSV (comma- or semicolon-separated) and upload that."
            )
        )
    delimiter = _delimiter(text)
    rows = [
        (number, row)
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        return Upload(message="The file is empty: there are no counts in it.")
    first = rows[0][1]
    has_header = _no_date(first) and not any(
        read_number(cell, decimal_comma=True) is not None for cell in first
    )
    date_col, count_col = _pick_columns(first) if has_header else (0, 1)
    header_unit = unit_from_header(first[count_col]) if has_header else None
    body = rows[1:] if has_header else rows
    raw = [(line, row) for line, row in body]
    values = [row[count_col] for _, row in raw if len(row) > count_col]
    decimal_comma = delimiter != "," and any("," in value for value in values)
    decimal_comma = decimal_comma or any(
        _DECIMAL_COMMA.match(v.strip()) and not _THOUSANDS.match(v.strip()) for v in values
    )
    dates = [row[date_col] for _, row in raw if len(row) > date_col]
    date_reason = "chosen by you" if date_order else ""
    if date_order is None:
        seen, either = date_order_evidence(dates)
        if len(seen) == 1:
            date_order = next(iter(seen))
            proof = next(d.strip() for d in dates if date_order_evidence([d])[0] == {date_order})
            date_reason = f"a date such as {proof} can only be read that way"
        elif either or len(seen) > 1:
            examples = tuple(dict.fromkeys(either or dates))[:3]
            return Upload(header_unit=header_unit, ambiguous_dates=examples)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for line, row in raw:
        raw_date = row[date_col].strip() if len(row) > date_col else ""
        raw_value = row[count_col].strip() if len(row) > count_col else ""
        day = read_date(raw_date, date_order)
        value = read_number(raw_value, decimal_comma=decimal_comma)
        if len(row) <= max(date_col, count_col):
            problems.append(Problem(line, "the row has no count", raw_date, raw_value))
        elif day is None:
            problems.append(Problem(line, f"{raw_date!r} is not a date", raw_date, raw_value))
        elif value is None:
            problems.append(Problem(line, f"{raw_value!r} is not a number", raw_date, raw_value))
        else:
            entries.append(Entry(line, day, value, raw_date, raw_value))
    if not entries and not problems:
        return Upload(message="The file has a header but no counts under it.")
    return Upload(
        entries=tuple(entries),
        problems=tuple(problems),
        header_unit=header_unit,
        date_order=date_order,
        date_reason=date_reason,
    )


def _no_date(row: list[str]) -> bool:
    return all(read_date(cell, DAY_FIRST) is None for cell in row)


def check_entries(entries: Iterable[Entry], unit: str, *, today: date) -> Checked:
    """Convert to ×10⁹/L and keep what can be a real count; list the rest with its line.

    Left out, with the reason: a row without a date or a count, a negative count, one
    above :data:`PLAUSIBLE_MAX`, a date after ``today``, and a second count on a date
    that already has one (the first one given is kept).
    """
    factor = UNITS[unit].factor
    kept: dict[date, Count] = {}
    problems: list[Problem] = []
    for entry in entries:
        raw = (entry.raw_date, entry.raw_value)
        if entry.day is None and entry.value is None:
            continue
        if entry.day is None:
            problems.append(Problem(entry.line, "the count has no date", *raw))
            continue
        if entry.value is None:
            problems.append(Problem(entry.line, "the date has no count", *raw))
            continue
        anc = entry.value * factor
        if anc < 0:
            problems.append(Problem(entry.line, "a count cannot be negative", *raw))
        elif anc > PLAUSIBLE_MAX:
            problems.append(
                Problem(
                    entry.line,
                    f"{entry.value:g} {UNITS[unit].label} is above any real neutrophil count "
                    f"({PLAUSIBLE_MAX:g} ×10⁹/L): is the unit right?",
                    *raw,
                )
            )
        elif entry.day > today:
            problems.append(Problem(entry.line, f"{entry.day:%Y-%m-%d} is in the future", *raw))
        elif entry.day in kept:
            first = kept[entry.day]
            problems.append(
                Problem(
                    entry.line,
                    f"a second count on {entry.day:%Y-%m-%d} (line {first.line} is kept)",
                    *raw,
                )
            )
        else:
            kept[entry.day] = Count(entry.day, anc, entry.line)
    return Checked(
        tuple(sorted(kept.values(), key=lambda c: c.day)),
        tuple(sorted(problems, key=lambda p: p.line)),
    )
