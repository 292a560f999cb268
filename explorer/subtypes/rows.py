"""Reading the curated CSV files record by record, so every problem names ``file:line``.

Shared by every reader of ``DATA_DIR/subtypes``: the header check, citation keys,
record keys and numbers are validated the same way in each file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from explorer.models import ParseIssue
from explorer.reading.curated_csv import read_records

LIST_SEPARATOR = ";"
KEY = re.compile(r"^[a-z][a-z0-9_]*$")
OPTIONAL_COLUMNS = frozenset(
    {
        "authors",
        "accessed",
        "note",
        "report_names",
        "anc_high",
        "period_days",
        "low_days",
        "chart_note",
        "aliases",
    }
)
"""Columns a file may leave out (they read as empty); any other missing column is an error."""


def split_list(raw: str) -> tuple[str, ...]:
    """The ``;``-separated items of a cell, trimmed, empty ones dropped."""
    return tuple(part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip())


def read_rows(
    path: Path, rel: str, columns: Sequence[str], issues: list[ParseIssue]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for every record, checking the header and field counts.

    ``line`` is the 1-based line where the record starts, also for quoted fields that
    span lines, so messages point at the line a maintainer has to edit. Read by
    :func:`explorer.reading.curated_csv.read_records`, as every curated file is (a BOM, CRLF,
    CR-only or Latin-1 file reads the same as the UTF-8 original).
    """
    yield from read_records(path, rel, issues, columns=columns, optional=OPTIONAL_COLUMNS)


def citation_keys(
    raw: str,
    known: Iterable[str],
    *,
    rel: str,
    line: int,
    what: str,
    issues: list[ParseIssue],
) -> tuple[str, ...]:
    """Citation keys of a record; a record without one, or with an unknown one, is an error."""
    keys = split_list(raw)
    known = set(known)
    if not keys:
        issues.append(ParseIssue(rel, line, "error", f"{what} has no citation"))
    for key in keys:
        if key not in known:
            issues.append(ParseIssue(rel, line, "error", f"{what} cites unknown reference {key!r}"))
    if len(set(keys)) != len(keys):
        issues.append(ParseIssue(rel, line, "warning", f"{what} cites a reference twice"))
    return tuple(dict.fromkeys(keys))


def check_key(
    key: str, seen: dict[str, int], *, rel: str, line: int, kind: str, issues: list[ParseIssue]
) -> bool:
    """True when ``key`` is a well-formed, first-seen key of this kind."""
    if not KEY.match(key):
        issues.append(
            ParseIssue(rel, line, "error", f"{kind} key {key!r} must be lower_snake_case")
        )
        return False
    if key in seen:
        issues.append(
            ParseIssue(rel, line, "error", f"duplicate {kind} {key!r} (first at line {seen[key]})")
        )
        return False
    seen[key] = line
    return True


def is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def positive_number(
    raw: str, *, column: str, integer: bool, rel: str, line: int, issues: list[ParseIssue]
) -> float | int | None:
    """A positive number from a chart column, or None (with an error) when it is not one."""
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        issues.append(ParseIssue(rel, line, "error", f"{column} {raw!r} is not {kind}"))
        return None
    if not value > 0:
        issues.append(ParseIssue(rel, line, "error", f"{column} must be above zero"))
        return None
    return value


def error_count(issues: Iterable[ParseIssue]) -> int:
    """How many errors so far: compared before/after a record to see if it added any."""
    return sum(issue.severity == "error" for issue in issues)
