"""One reader for every curated CSV file, as a maintainer's spreadsheet saves it.

Curated files (``curated/*.csv``, ``reports/sources.csv``, ``reports/errata.csv``,
``subtypes/*.csv``, ``takeaway/*.csv``) are edited by hand, often in a spreadsheet, which
may add a byte order mark ("CSV UTF-8"), write Windows line endings, old Mac CR-only line
endings, or save in Windows-1252/Latin-1. All of them must read the same: a BOM once
switched every contact correction off. So the bytes are decoded the way reports are
(:func:`explorer.reading.report_text.decode_text`), line endings are made ``\\n``, and each record
comes with the line it STARTS on, so a message points at the line a maintainer edits.
A record that cannot be read (wrong number of fields, malformed quoting) is an error naming
the file and line, never silently dropped or half read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from explorer.models import ParseIssue
from explorer.reading.report_text import decode_text

LINE_BREAKS = re.compile(r"\r\n?")
INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
"""Invisible format characters (Unicode category Cf) a copy-paste leaves in a cell, except
the zero-width joiners that emoji and some scripts need (U+200C, U+200D)."""


def clean_cell(text: str) -> str:
    """``text`` without invisible format characters, trimmed (a BOM pasted into a name
    would otherwise make it a different name)."""
    return INVISIBLE.sub("", text).strip()


def read_text(path: Path, rel: str, issues: list[ParseIssue]) -> str | None:
    """The text of a curated file, in whatever encoding it was saved, with ``\\n`` line ends.

    None (and an error naming ``rel``) when it is not text; a warning when it was not
    UTF-8, so the maintainer can fix the file. A file the system refuses to read (``OSError``)
    is not a data problem but a deployment one: it is raised, and the app and the CLI say
    how to make the data folder readable.
    """
    raw = path.read_bytes()
    decoded = decode_text(raw)
    if decoded is None:
        issues.append(ParseIssue(rel, 1, "error", "not a text file; save it as CSV (UTF-8)"))
        return None
    text, encoding = decoded
    if encoding != "utf-8":
        message = f"file is not UTF-8; read as {encoding} (detected); save it as CSV UTF-8"
        issues.append(ParseIssue(rel, 1, "warning", message))
    return LINE_BREAKS.sub("\n", text.removeprefix("\ufeff"))


def read_records(
    path: Path,
    rel: str,
    issues: list[ParseIssue],
    *,
    columns: Sequence[str] | None = None,
    optional: Collection[str] = (),
    comments: bool = False,
    missing_ok: bool = False,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for every record of a curated CSV file, checking it as it goes.

    ``rel`` names the file in messages (relative to the data folder: visitors see them).
    With ``columns``, a missing column that is not ``optional`` is one error and nothing is
    read; an unknown one is a warning; each row has exactly ``columns`` as keys. Without,
    a row has the header's columns. ``comments`` skips lines starting with ``#``. A missing
    file is an error unless ``missing_ok``.
    """
    if not path.is_file():
        if not missing_ok:
            issues.append(ParseIssue(rel, 1, "error", "file is missing"))
        return
    text = read_text(path, rel, issues)
    if text is None:
        return
    if comments:  # blanked, not removed, so that line numbers stay the file's own
        text = "\n".join("" if line.startswith("#") else line for line in text.split("\n"))
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not "".join(record).strip():
                continue
            if header is None:
                header = [clean_cell(name) for name in record]
                if columns is not None:
                    missing = [c for c in columns if c not in header and c not in optional]
                    if missing:
                        message = f"missing column(s): {', '.join(missing)}"
                        issues.append(ParseIssue(rel, line, "error", message))
                        return
                    for name in header:
                        if name and name not in columns:
                            message = f"unknown column {name!r}"
                            issues.append(ParseIssue(rel, line, "warning", message))
                continue
            if len(record) != len(header):
                message = (
                    f"expected {len(header)} fields, found {len(record)} "
                    "(is a comma inside an unquoted value?); row not applied"
                )
                issues.append(ParseIssue(rel, line, "error", message))
                continue
            row = {name: clean_cell(value) for name, value in zip(header, record, strict=True)}
            if columns is not None:
                row = {column: row.get(column, "") for column in columns}
            yield line, row
    except csv.Error as exc:
        issues.append(ParseIssue(rel, next_line, "error", f"malformed CSV: {exc}"))
    if header is None:
        issues.append(ParseIssue(rel, 1, "error", "file is empty"))
