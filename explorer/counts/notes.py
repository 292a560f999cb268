"""The diary's cited lines (``DATA_DIR/counts/notes.csv``): what sources ask for and the
severity bands, each citing keys of ``subtypes/references.csv``.

Checked like the fever card's lines: a line without a known citation is an error and is
not shown, so the page and the PDF never print an uncited medical statement.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from explorer.models import ParseIssue
from explorer.subtypes import SubtypeData

NOTES_FILE = "counts/notes.csv"
NOTE_KEYS = ("sampling", "bands")
"""The lines the page and the PDF need; a missing one is an error."""


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
    """Read and check the notes; returns ``(notes by key, issues)`` with ``file:line``."""
    try:
        text = (data_dir / NOTES_FILE).read_text(encoding="utf-8-sig")
    except OSError as exc:
        return {}, [ParseIssue(NOTES_FILE, 1, "error", f"cannot read file: {exc}")]
    known = {reference.key for reference in data.references}
    notes: dict[str, Note] = {}
    issues: list[ParseIssue] = []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        line = reader.line_num
        key, body = (row.get("key") or "").strip(), (row.get("text") or "").strip()
        keys = tuple(k.strip() for k in (row.get("citations") or "").split(";") if k.strip())
        problems = [] if body else ["line has no text"]
        problems += [] if keys else ["line has no citation"]
        problems += [f"line cites unknown reference {k!r}" for k in keys if k not in known]
        issues += [ParseIssue(NOTES_FILE, line, "error", p) for p in problems]
        if not problems:
            markers = tuple(sorted(data.marker(k) for k in keys))
            notes[key] = Note(key, body, keys, markers)
    issues += [
        ParseIssue(NOTES_FILE, 1, "error", f"the {key!r} line is missing")
        for key in NOTE_KEYS
        if key not in notes
    ]
    return notes, issues
