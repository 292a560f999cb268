"""Put a checked diary together with its cited words: one record for the page, the PDF
and the command line, so all three say the same."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.counts.cycle import Estimate, estimate_cycle
from explorer.counts.notes import Note, load_notes
from explorer.counts.reading import check_entries, guess_unit
from explorer.counts.records import UNITS, Checked, Entry
from explorer.models import ParseIssue
from explorer.subtypes import SubtypeData, load_subtypes
from explorer.takeaway import card_content, load_card_lines

if TYPE_CHECKING:
    from explorer.counts.pdf import ClinicianPage


@dataclass(frozen=True, slots=True)
class Analysis:
    """Rows, the unit they were read in (and why), the checked counts and the estimate."""

    entries: tuple[Entry, ...]
    unit: str
    unit_reason: str
    checked: Checked
    estimate: Estimate


def analyse(
    entries: Sequence[Entry], *, header_unit: str | None, unit: str | None, today: date
) -> Analysis:
    """Check the rows in ``unit`` (or the guessed one) and look for a cycle."""
    values = [e.value for e in entries if e.value is not None]
    guessed, reason = guess_unit(header_unit, values)
    chosen = unit or guessed
    if unit:
        reason = "chosen by you"
    checked = check_entries(entries, chosen, today=today)
    return Analysis(
        tuple(entries), chosen, reason, checked, estimate_cycle(checked.counts, today=today)
    )


@dataclass(frozen=True, slots=True)
class Words:
    """The cited lines the diary prints: the notes and the fever rule, with numbers."""

    notes: dict[str, Note]
    fever_rule: str
    citations: tuple[str, ...]
    data: SubtypeData


def load_words(data_dir: Path) -> tuple[Words | None, list[ParseIssue]]:
    """The notes and the fever card's first line, checked; None while any is in error."""
    data, issues = load_subtypes(data_dir)
    if data is None:
        return None, issues
    lines, card_issues = load_card_lines(data_dir, data)
    notes, note_issues = load_notes(data_dir, data)
    problems = [*card_issues, *note_issues]
    fever = card_content(data, lines).fever_rule
    if problems or not fever:
        return None, [*issues, *problems]
    citations = {key for note in notes.values() for key in note.citations}
    citations |= {data.references[n - 1].key for n in fever[0].markers}
    return Words(notes, fever[0].display, tuple(sorted(citations)), data), issues


def clinician_page(analysis: Analysis, words: Words, *, made: date) -> ClinicianPage:
    """The PDF's record: the references are those its lines cite, numbered as on Subtypes."""
    from explorer.counts.pdf import ClinicianPage  # with fpdf2: only when a PDF is made

    wanted = set(words.citations)
    references = tuple(
        (number, reference)
        for number, reference in enumerate(words.data.references, start=1)
        if reference.key in wanted
    )
    return ClinicianPage(
        counts=analysis.checked.counts,
        problems=analysis.checked.problems,
        estimate=analysis.estimate,
        unit_label=UNITS[analysis.unit].label,
        notes=words.notes,
        fever_rule=words.fever_rule,
        references=references,
        made=made,
    )
