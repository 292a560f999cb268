"""The diary's cited lines (``DATA_DIR/counts/notes.csv``): what sources ask for and the
severity bands, each citing keys of ``subtypes/references.csv``.

Checked like the fever card's lines: a line without a known citation is an error and is
not shown, so the page and the PDF never print an uncited medical statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from explorer.models import ParseIssue
from explorer.reading.curated_csv import read_records
from explorer.subtypes import SubtypeData

NOTES_FILE = "counts/notes.csv"
NOTE_KEYS = ("sampling", "bands")
"""The lines the page and the PDF need; a missing one is an error."""
COLUMNS = ("key", "text", "citations")


@dataclass(frozen=True, slots=True)
class Note:
    """A cited line, with its reference numbers as on the Subtypes page."""

    key: str
    text: str
    citations: tuple[str, ...]
    markers: tuple[int, ...]

    @property
    def display(self) -> str:
        return f"{self.text} " + "".join(f"[{n}]" for n in self.markers)


def load_notes(data_dir: Path, data: SubtypeData) -> tuple[dict[str, Note], list[ParseIssue]]:
    """Read and check the notes; returns ``(notes by key, issues)`` with ``file:line``.

    Read by :func:`explorer.reading.curated_csv.read_records`, as every curated file is: a file a
    spreadsheet saved (a BOM, CRLF or CR-only lines, Latin-1) reads as the UTF-8 original,
    and a row that cannot be read is an error naming its line, never silently dropped.
    """
    known = {reference.key for reference in data.references}
    notes: dict[str, Note] = {}
    issues: list[ParseIssue] = []
    try:
        rows = list(read_records(data_dir / NOTES_FILE, NOTES_FILE, issues, columns=COLUMNS))
    except OSError as exc:  # no server path: the page shows these
        reason = exc.strerror or type(exc).__name__
        return {}, [ParseIssue(NOTES_FILE, 1, "error", f"cannot read file: {reason}")]
    for line, row in rows:
        key, body = row["key"], row["text"]
        keys = tuple(k.strip() for k in row["citations"].split(";") if k.strip())
        problems = [] if body else ["line has no text"]
        problems += [] if keys else ["line has no citation"]
        problems += [f"line cites unknown reference {k!r}" for k in keys if k not in known]
        issues += [ParseIssue(NOTES_FILE, line, "error", p) for p in problems]
        if key not in NOTE_KEYS:
            message = f"unknown key {key!r}: the line is not shown (keys: {', '.join(NOTE_KEYS)})"
            issues.append(ParseIssue(NOTES_FILE, line, "warning", message))
        elif key in notes:
            message = f"the {key!r} line is given twice: this one is not shown"
            issues.append(ParseIssue(NOTES_FILE, line, "warning", message))
        elif not problems:
            markers = tuple(sorted(data.marker(k) for k in keys))
            notes[key] = Note(key, body, keys, markers)
    issues += [
        ParseIssue(NOTES_FILE, 1, "error", f"the {key!r} line is missing")
        for key in NOTE_KEYS
        if key not in notes
    ]
    return notes, issues
