"""Curated readings of report lines that the report's own layout gets wrong.

A report is kept byte-for-byte, so where its layout says something its text does not
mean, the correction lives beside it in ``reports/errata.csv``, one row per line:

``file,line,text,read_as,why`` — the report file, the 1-based line, the bullet text
that line holds, what it is read as instead, and why (said on the Overview).

Example: the NORD "Neutropenia, General" abstract prints "Neutropenia, Autoimmune"
just above its "Disorder Subdivisions" heading, where synonyms go, while its text names
four forms, autoimmune among them; the erratum reads it as the fourth subdivision.

Each row is checked against the report: the file must be read, the line must exist and
hold exactly that text. A row that fails is an error naming ``errata.csv`` and its line,
and is not applied: the report is then shown as printed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from explorer.models import Disorder, ParseIssue
from explorer.reading.curated_csv import read_records
from explorer.reading.reports import BULLET

ERRATA_FILE = "errata.csv"
ERRATA_COLUMNS = ("file", "line", "text", "read_as", "why")
SUBDIVISION = "subdivision"


@dataclass(frozen=True, slots=True)
class Erratum:
    """One curated reading of one report line; ``row`` is its own line in ``errata.csv``."""

    file: str
    line: int
    text: str
    read_as: str
    why: str
    row: int = 0


def read_errata(folder: Path, *, display: str) -> tuple[tuple[Erratum, ...], list[ParseIssue]]:
    """The rows of ``folder/errata.csv`` that are well formed; none when there is no file.

    ``display`` is how issues name the file (e.g. ``reports/errata.csv``).
    """
    issues: list[ParseIssue] = []
    errata: list[Erratum] = []
    records = read_records(
        folder / ERRATA_FILE, display, issues, columns=ERRATA_COLUMNS, missing_ok=True
    )
    for here, values in records:
        problems = []
        if not values["line"].isdigit() or int(values["line"]) < 1:
            problems.append(f"line {values['line']!r} is not a line number")
        if values["read_as"] not in READINGS:
            problems.append(f"read_as {values['read_as']!r} is not one of {', '.join(READINGS)}")
        problems += [f"{c} is empty" for c in ("file", "text", "why") if not values[c]]
        if problems:
            issues += [ParseIssue(display, here, "error", message) for message in problems]
            continue
        errata.append(Erratum(**{**values, "line": int(values["line"])}, row=here))
    return tuple(errata), issues


def apply_errata(
    disorder: Disorder, report_text: str, errata: Iterable[Erratum], *, display: str
) -> tuple[Disorder, list[ParseIssue]]:
    """The disorder with the errata of its report applied, after checking each against it.

    An erratum applies when its line exists in ``report_text`` and is a bullet holding
    exactly its ``text``; otherwise it is reported and the report is read as printed.
    """
    name = PurePosixPath(disorder.source.file).name
    lines = report_text.removesuffix("\n").split("\n")
    issues: list[ParseIssue] = []
    for erratum in (e for e in errata if e.file == name):
        if erratum.line > len(lines):
            message = f"{erratum.file} has no line {erratum.line} (it has {len(lines)})"
            issues.append(ParseIssue(display, erratum.row, "error", message))
            continue
        match = BULLET.match(lines[erratum.line - 1].rstrip("\r"))
        found = match["text"].strip() if match else lines[erratum.line - 1].strip()
        if found != erratum.text:
            message = f"{erratum.file}:{erratum.line} reads {found!r}, not {erratum.text!r}"
            issues.append(ParseIssue(display, erratum.row, "error", message))
            continue
        disorder = READINGS[erratum.read_as](disorder, erratum)
    return disorder, issues


def _read_as_subdivision(disorder: Disorder, erratum: Erratum) -> Disorder:
    note = f"“{erratum.text}” (line {erratum.line}) is read as a subdivision: {erratum.why}"
    return dataclasses.replace(
        disorder,
        synonyms=tuple(name for name in disorder.synonyms if name != erratum.text),
        subdivisions=tuple(dict.fromkeys((*disorder.subdivisions, erratum.text))),
        corrections=(*disorder.corrections, note),
    )


READINGS: dict[str, Callable[[Disorder, Erratum], Disorder]] = {SUBDIVISION: _read_as_subdivision}
"""What a report line can be read as instead of what its place in the report says, and how."""


def unmatched_errata(
    errata: Iterable[Erratum], report_files: Iterable[str], *, display: str
) -> list[ParseIssue]:
    """An error for each erratum naming a report that was not read."""
    read = set(report_files)
    return [
        ParseIssue(display, e.row, "error", f"no report {e.file!r} in the reports folder")
        for e in errata
        if e.file not in read
    ]
