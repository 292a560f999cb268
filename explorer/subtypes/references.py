"""``references.csv``: the sources every statement, definition and piece of advice cites."""

from __future__ import annotations

import re
from pathlib import Path

from explorer.models import ParseIssue
from explorer.subtypes.records import SUBTYPES_SUBDIR, UNDATED, Reference
from explorer.subtypes.rows import check_key, error_count, is_iso_date, read_rows

REFERENCES_FILE = "references.csv"
REFERENCE_COLUMNS = ("key", "title", "authors", "publisher", "year", "url", "accessed", "note")
_YEAR = re.compile(r"^\d{4}$")
_URL = re.compile(r"^https?://[^\s<>\"'()\[\]{}|\\^`]+$")


def read_references(folder: Path, issues: list[ParseIssue]) -> list[Reference]:
    """The sources in ``references.csv``; a row with any error is left out (and reported)."""
    rel = f"{SUBTYPES_SUBDIR}/{REFERENCES_FILE}"
    references: list[Reference] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(folder / REFERENCES_FILE, rel, REFERENCE_COLUMNS, issues):
        if not check_key(row["key"], seen, rel=rel, line=line, kind="reference", issues=issues):
            continue
        errors_before = error_count(issues)
        for column in ("title", "publisher"):
            if not row[column]:
                issues.append(ParseIssue(rel, line, "error", f"reference has no {column}"))
        if not row["url"]:
            issues.append(ParseIssue(rel, line, "error", "reference has no URL"))
        elif not _URL.match(row["url"]):
            issues.append(
                ParseIssue(rel, line, "error", f"URL {row['url']!r} is not a plain http(s) URL")
            )
        if not row["year"]:
            issues.append(ParseIssue(rel, line, "error", f"reference has no year (or {UNDATED})"))
        elif not (_YEAR.match(row["year"]) or row["year"] == UNDATED):
            issues.append(
                ParseIssue(rel, line, "error", f"year {row['year']!r} is not YYYY or {UNDATED}")
            )
        if row["accessed"] and not is_iso_date(row["accessed"]):
            issues.append(ParseIssue(rel, line, "error", "accessed must be a YYYY-MM-DD date"))
        if error_count(issues) == errors_before:
            references.append(Reference(**row, line=line))
    return references
