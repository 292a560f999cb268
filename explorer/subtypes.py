"""The forms of severe chronic neutropenia compared side by side, every statement sourced.

The content is curated by hand in ``DATA_DIR/subtypes`` and checked here, so an
uncited or mis-cited statement is caught by ``python -m explorer check`` before it
reaches a parent or a clinician:

- ``references.csv`` — the sources (key, title, authors, publisher, year, url, …);
- ``attributes.csv`` — the rows of the comparison, in display order;
- ``forms.csv`` — the forms, the report names that map to each, and the parameters of
  the schematic ANC chart with the citations they come from;
- ``statements.csv`` — one short statement per (form, attribute) with citation keys;
- ``glossary.csv`` — plain-language definitions of the jargon, also cited;
- ``about.toml`` — the table-wide facts: last review date, classification note.

CSV keeps one record per line, so every problem is reported as ``file:line``. A
(form, attribute) pair without a row is shown as :data:`NO_STATEMENT`: we leave out
what we cannot source rather than write it from memory.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from explorer.models import ParseIssue

SUBTYPES_SUBDIR = "subtypes"
NO_STATEMENT = "no sourced statement"
CHART_SHAPES = ("steady", "cyclic")
LIST_SEPARATOR = ";"
UNDATED = "n.d."
MAX_STATEMENT_CHARS = 300
"""Longer statements draw a warning: a cell should be readable at a glance."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Spreadsheet formula triggers (OWASP CSV injection); such cells get a leading ``'``."""

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_YEAR = re.compile(r"^\d{4}$")
_URL = re.compile(r"^https?://[^\s<>\"'()\[\]{}|\\^`]+$")
_TOML_ERROR_LINE = re.compile(r"at line (\d+)")

REFERENCE_COLUMNS = ("key", "title", "authors", "publisher", "year", "url", "accessed", "note")
ATTRIBUTE_COLUMNS = ("attribute", "label")
FORM_COLUMNS = (
    "form",
    "label",
    "report_names",
    "chart_shape",
    "anc_low",
    "anc_high",
    "period_days",
    "low_days",
    "chart_citations",
    "chart_note",
)
STATEMENT_COLUMNS = ("form", "attribute", "text", "citations")
GLOSSARY_COLUMNS = ("term", "aliases", "definition", "citations")
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


@dataclass(frozen=True, slots=True)
class Reference:
    """A source as a reader would look it up; ``year`` is four digits or ``"n.d."``."""

    key: str
    title: str
    authors: str
    publisher: str
    year: str
    url: str
    accessed: str = ""
    note: str = ""
    line: int = 0

    def citation(self) -> str:
        """One-line citation in the usual order: authors, title, publisher, year."""
        parts = [self.authors, self.title, self.publisher, self.year]
        return ". ".join(part.rstrip(".") for part in parts if part) + "."


@dataclass(frozen=True, slots=True)
class Attribute:
    """One row of the comparison (e.g. ``onset`` → "Typical age at onset")."""

    key: str
    label: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class AncChart:
    """Parameters of a form's schematic ANC curve, in 10⁹/L and days, with their sources.

    ``steady`` forms are drawn flat at ``anc_low``; ``cyclic`` forms stay at ``anc_low``
    for ``low_days`` of every ``period_days`` and rise to ``anc_high`` in between.
    """

    shape: str
    anc_low: float
    citations: tuple[str, ...]
    anc_high: float | None = None
    period_days: int | None = None
    low_days: int | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Form:
    """A form of the disorder and the report names (synonyms, subdivisions) that mean it."""

    key: str
    label: str
    report_names: tuple[str, ...]
    chart: AncChart
    line: int = 0


@dataclass(frozen=True, slots=True)
class Statement:
    """What the sources say about one attribute of one form."""

    form: str
    attribute: str
    text: str
    citations: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A jargon word, the other ways it is written, and what it means."""

    term: str
    aliases: tuple[str, ...]
    definition: str
    citations: tuple[str, ...]
    line: int = 0

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass(frozen=True, slots=True)
class SubtypeData:
    """All curated subtype content of one data directory, validated and immutable."""

    forms: tuple[Form, ...]
    attributes: tuple[Attribute, ...]
    statements: tuple[Statement, ...]
    references: tuple[Reference, ...]
    glossary: tuple[GlossaryTerm, ...]
    last_reviewed: date
    classification_note: str
    classification_citations: tuple[str, ...]

    def form(self, key: str) -> Form:
        """The form with this key; ``KeyError`` for an unknown one (a caller's bug)."""
        for form in self.forms:
            if form.key == key:
                return form
        raise KeyError(f"unknown form {key!r}")

    def attribute(self, key: str) -> Attribute:
        for attribute in self.attributes:
            if attribute.key == key:
                return attribute
        raise KeyError(f"unknown attribute {key!r}")

    def statement(self, form: str, attribute: str) -> Statement | None:
        """The statement for this cell, or None when no sourced statement exists."""
        return next(
            (s for s in self.statements if s.form == form and s.attribute == attribute), None
        )

    def marker(self, key: str) -> int:
        """The reference's number on the page: its 1-based place in ``references.csv``.

        Numbers follow the file, not the current selection, so a printed or shared table
        keeps the same markers whatever forms and attributes were chosen.
        """
        for number, reference in enumerate(self.references, start=1):
            if reference.key == key:
                return number
        raise KeyError(f"unknown reference {key!r}")


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a comparison: the statement text (or :data:`NO_STATEMENT`) and markers."""

    text: str
    citations: tuple[str, ...]
    markers: tuple[int, ...]

    @property
    def sourced(self) -> bool:
        return bool(self.citations)

    @property
    def display(self) -> str:
        """Text followed by its markers, e.g. ``"Rare. [3][7]"``."""
        return " ".join([self.text, "".join(f"[{n}]" for n in self.markers)]).strip()


@dataclass(frozen=True, slots=True)
class Comparison:
    """The chosen forms × attributes, with the references the shown cells cite."""

    forms: tuple[Form, ...]
    attributes: tuple[Attribute, ...]
    cells: dict[tuple[str, str], Cell]
    references: tuple[tuple[int, Reference], ...]

    def cell(self, attribute: str, form: str) -> Cell:
        return self.cells[(attribute, form)]

    @property
    def table(self) -> pd.DataFrame:
        """Rows = attribute labels, columns = form labels, values = text with markers."""
        return pd.DataFrame(
            [[self.cell(a.key, f.key).display for f in self.forms] for a in self.attributes],
            index=pd.Index([a.label for a in self.attributes], name="Attribute"),
            columns=[f.label for f in self.forms],
            dtype="object",
        )


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a glossary term occurs in a piece of text (``text[start:end]``)."""

    start: int
    end: int
    term: GlossaryTerm


# --- reading ---------------------------------------------------------------------------


def _split_list(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip())


def _read_rows(
    path: Path, rel: str, columns: Sequence[str], issues: list[ParseIssue]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` for every record, checking the header and field counts.

    ``line`` is the 1-based line where the record starts, also for quoted fields that
    span lines, so messages point at the line a maintainer has to edit.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        issues.append(ParseIssue(rel, 1, "error", "file is missing"))
        return
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(ParseIssue(rel, 1, "error", f"cannot read file: {exc}"))
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not record or not "".join(record).strip():
                continue
            if header is None:
                header = [name.strip() for name in record]
                missing = [c for c in columns if c not in header and c not in OPTIONAL_COLUMNS]
                if missing:
                    issues.append(
                        ParseIssue(rel, line, "error", f"missing column(s): {', '.join(missing)}")
                    )
                    return
                for name in header:
                    if name not in columns:
                        issues.append(ParseIssue(rel, line, "warning", f"unknown column {name!r}"))
                continue
            if len(record) != len(header):
                issues.append(
                    ParseIssue(
                        rel,
                        line,
                        "error",
                        f"expected {len(header)} fields, found {len(record)} "
                        "(is a comma inside an unquoted value?)",
                    )
                )
                continue
            row = {name: value.strip() for name, value in zip(header, record, strict=True)}
            yield line, {column: row.get(column, "") for column in columns}
    except csv.Error as exc:
        issues.append(ParseIssue(rel, next_line, "error", f"malformed CSV: {exc}"))
    if header is None:
        issues.append(ParseIssue(rel, 1, "error", "file is empty"))


def _citations(
    raw: str,
    known: Iterable[str],
    *,
    rel: str,
    line: int,
    what: str,
    issues: list[ParseIssue],
) -> tuple[str, ...]:
    """Citation keys of a record; a record without one, or with an unknown one, is an error."""
    keys = _split_list(raw)
    known = set(known)
    if not keys:
        issues.append(ParseIssue(rel, line, "error", f"{what} has no citation"))
    for key in keys:
        if key not in known:
            issues.append(ParseIssue(rel, line, "error", f"{what} cites unknown reference {key!r}"))
    if len(set(keys)) != len(keys):
        issues.append(ParseIssue(rel, line, "warning", f"{what} cites a reference twice"))
    return tuple(dict.fromkeys(keys))


def _check_key(
    key: str, seen: dict[str, int], *, rel: str, line: int, kind: str, issues: list[ParseIssue]
) -> bool:
    """True when ``key`` is a well-formed, first-seen key of this kind."""
    if not _KEY.match(key):
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


def _read_references(folder: Path, issues: list[ParseIssue]) -> list[Reference]:
    rel = f"{SUBTYPES_SUBDIR}/references.csv"
    references: list[Reference] = []
    seen: dict[str, int] = {}
    for line, row in _read_rows(folder / "references.csv", rel, REFERENCE_COLUMNS, issues):
        if not _check_key(row["key"], seen, rel=rel, line=line, kind="reference", issues=issues):
            continue
        errors_before = _errors(issues)
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
        if row["accessed"] and not _is_iso_date(row["accessed"]):
            issues.append(ParseIssue(rel, line, "error", "accessed must be a YYYY-MM-DD date"))
        if _errors(issues) == errors_before:
            references.append(Reference(**row, line=line))
    return references


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _read_attributes(folder: Path, issues: list[ParseIssue]) -> list[Attribute]:
    rel = f"{SUBTYPES_SUBDIR}/attributes.csv"
    attributes: list[Attribute] = []
    seen: dict[str, int] = {}
    for line, row in _read_rows(folder / "attributes.csv", rel, ATTRIBUTE_COLUMNS, issues):
        key = row["attribute"]
        if not _check_key(key, seen, rel=rel, line=line, kind="attribute", issues=issues):
            continue
        if not row["label"]:
            issues.append(ParseIssue(rel, line, "error", f"attribute {key!r} has no label"))
            continue
        attributes.append(Attribute(key, row["label"], line))
    return attributes


def _number(
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


def _errors(issues: Iterable[ParseIssue]) -> int:
    """How many errors so far: compared before/after a record to see if it added any."""
    return sum(issue.severity == "error" for issue in issues)


def _read_chart(
    row: dict[str, str], references: Iterable[str], *, rel: str, line: int, issues: list[ParseIssue]
) -> AncChart | None:
    """The chart parameters of a form row, or None when any of them is invalid."""
    errors_before = _errors(issues)
    where = {"rel": rel, "line": line, "issues": issues}
    shape = row["chart_shape"]
    if shape not in CHART_SHAPES:
        issues.append(
            ParseIssue(
                rel, line, "error", f"chart_shape {shape!r} is not one of {', '.join(CHART_SHAPES)}"
            )
        )
    citations = _citations(
        row["chart_citations"], references, rel=rel, line=line, what="chart", issues=issues
    )
    low = _number(row["anc_low"], column="anc_low", integer=False, **where)
    high = period = low_days = None
    if shape == "cyclic":
        high = _number(row["anc_high"], column="anc_high", integer=False, **where)
        period = _number(row["period_days"], column="period_days", integer=True, **where)
        low_days = _number(row["low_days"], column="low_days", integer=True, **where)
        if low is not None and high is not None and high <= low:
            issues.append(ParseIssue(rel, line, "error", "anc_high must be above anc_low"))
        if period is not None and low_days is not None and low_days >= period:
            issues.append(ParseIssue(rel, line, "error", "low_days must be below period_days"))
    if _errors(issues) > errors_before or low is None:
        return None
    return AncChart(shape, low, citations, high, period, low_days, row["chart_note"])


def _read_forms(folder: Path, references: Iterable[str], issues: list[ParseIssue]) -> list[Form]:
    rel = f"{SUBTYPES_SUBDIR}/forms.csv"
    forms: list[Form] = []
    seen: dict[str, int] = {}
    name_owner: dict[str, tuple[str, int]] = {}
    references = tuple(references)
    for line, row in _read_rows(folder / "forms.csv", rel, FORM_COLUMNS, issues):
        key = row["form"]
        if not _check_key(key, seen, rel=rel, line=line, kind="form", issues=issues):
            continue
        if not row["label"]:
            issues.append(ParseIssue(rel, line, "error", f"form {key!r} has no label"))
        names = _split_list(row["report_names"])
        for name in names:
            owner = name_owner.setdefault(normalise_report_name(name), (key, line))
            if owner[0] != key:
                issues.append(
                    ParseIssue(
                        rel,
                        line,
                        "error",
                        f"report name {name!r} already maps to {owner[0]!r} (line {owner[1]})",
                    )
                )
        chart = _read_chart(row, references, rel=rel, line=line, issues=issues)
        if chart is not None and row["label"]:
            forms.append(Form(key, row["label"], names, chart, line))
    return forms


def _read_statements(
    folder: Path,
    forms: dict[str, int],
    attributes: dict[str, int],
    references: Iterable[str],
    issues: list[ParseIssue],
) -> list[Statement]:
    rel = f"{SUBTYPES_SUBDIR}/statements.csv"
    statements: list[Statement] = []
    seen: dict[tuple[str, str], int] = {}
    references = tuple(references)
    for line, row in _read_rows(folder / "statements.csv", rel, STATEMENT_COLUMNS, issues):
        form, attribute, text = row["form"], row["attribute"], row["text"]
        errors_before = _errors(issues)
        if form not in forms:
            known = ", ".join(forms) or "none"
            issues.append(ParseIssue(rel, line, "error", f"unknown form {form!r} (known: {known})"))
        if attribute not in attributes:
            known = ", ".join(attributes) or "none"
            issues.append(
                ParseIssue(rel, line, "error", f"unknown attribute {attribute!r} (known: {known})")
            )
        if not text:
            issues.append(ParseIssue(rel, line, "error", "statement has no text"))
        elif text.casefold() == NO_STATEMENT:
            issues.append(
                ParseIssue(rel, line, "error", f"leave the row out instead of writing {text!r}")
            )
        elif len(text) > MAX_STATEMENT_CHARS:
            issues.append(
                ParseIssue(
                    rel, line, "warning", f"statement is long ({len(text)} characters); shorten it"
                )
            )
        if (form, attribute) in seen:
            issues.append(
                ParseIssue(
                    rel,
                    line,
                    "error",
                    f"duplicate statement for {form}/{attribute} "
                    f"(first at line {seen[(form, attribute)]})",
                )
            )
        seen.setdefault((form, attribute), line)
        citations = _citations(
            row["citations"], references, rel=rel, line=line, what="statement", issues=issues
        )
        if _errors(issues) == errors_before:
            statements.append(Statement(form, attribute, text, citations, line))
    return statements


def _read_glossary(
    folder: Path, references: Iterable[str], issues: list[ParseIssue]
) -> list[GlossaryTerm]:
    rel = f"{SUBTYPES_SUBDIR}/glossary.csv"
    terms: list[GlossaryTerm] = []
    seen: dict[str, int] = {}
    references = tuple(references)
    for line, row in _read_rows(folder / "glossary.csv", rel, GLOSSARY_COLUMNS, issues):
        names = (row["term"], *_split_list(row["aliases"]))
        errors_before = _errors(issues)
        if not row["term"]:
            issues.append(ParseIssue(rel, line, "error", "glossary entry has no term"))
        for name in names:
            folded = name.casefold()
            if folded in seen:
                issues.append(
                    ParseIssue(
                        rel,
                        line,
                        "error",
                        f"glossary name {name!r} is already used (line {seen[folded]})",
                    )
                )
            seen.setdefault(folded, line)
        if not row["definition"]:
            issues.append(ParseIssue(rel, line, "error", f"{row['term']!r} has no definition"))
        citations = _citations(
            row["citations"], references, rel=rel, line=line, what="definition", issues=issues
        )
        if _errors(issues) == errors_before:
            terms.append(GlossaryTerm(row["term"], names[1:], row["definition"], citations, line))
    return terms


def _toml_line(text: str, key: str) -> int:
    """The line where a top-level ``key = …`` is set (1 when it is absent)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _read_about(
    folder: Path, references: Iterable[str], issues: list[ParseIssue]
) -> tuple[date, str, tuple[str, ...]] | None:
    rel = f"{SUBTYPES_SUBDIR}/about.toml"
    try:
        text = (folder / "about.toml").read_text(encoding="utf-8")
        about = tomllib.loads(text)
    except FileNotFoundError:
        issues.append(ParseIssue(rel, 1, "error", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        issues.append(ParseIssue(rel, 1, "error", f"cannot read file: {exc}"))
        return None
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        issues.append(ParseIssue(rel, int(found[1]) if found else 1, "error", f"bad TOML: {exc}"))
        return None
    errors_before = _errors(issues)
    reviewed = about.get("last_reviewed")
    if not isinstance(reviewed, date):
        issues.append(
            ParseIssue(
                rel,
                _toml_line(text, "last_reviewed"),
                "error",
                "last_reviewed must be a date such as 2026-11-25 (no quotes)",
            )
        )
    note = about.get("classification_note")
    if not isinstance(note, str) or not note.strip():
        issues.append(
            ParseIssue(
                rel,
                _toml_line(text, "classification_note"),
                "error",
                "classification_note is empty",
            )
        )
    raw_citations = about.get("classification_citations", [])
    if not isinstance(raw_citations, list) or not all(isinstance(k, str) for k in raw_citations):
        raw_citations = []
    citations = _citations(
        LIST_SEPARATOR.join(raw_citations),
        references,
        rel=rel,
        line=_toml_line(text, "classification_citations"),
        what="classification note",
        issues=issues,
    )
    if _errors(issues) > errors_before:
        return None
    return reviewed, " ".join(note.split()), citations


def _unused_references(
    references: Sequence[Reference], cited: set[str], issues: list[ParseIssue]
) -> None:
    rel = f"{SUBTYPES_SUBDIR}/references.csv"
    for reference in references:
        if reference.key not in cited:
            issues.append(
                ParseIssue(rel, reference.line, "warning", f"{reference.key!r} is never cited")
            )


def load_subtypes(data_dir: Path) -> tuple[SubtypeData | None, list[ParseIssue]]:
    """Read and validate ``DATA_DIR/subtypes``.

    Parameters
    ----------
    data_dir
        The data directory (the one holding ``reports/`` and ``subtypes/``).

    Returns
    -------
    tuple
        ``(data, issues)``. ``data`` is None when there is any error: a table with an
        uncited or mis-cited statement must not be shown. ``issues`` name the file
        (relative to ``data_dir``) and the 1-based line of every problem.
    """
    folder = data_dir / SUBTYPES_SUBDIR
    issues: list[ParseIssue] = []
    references = _read_references(folder, issues)
    keys = [reference.key for reference in references]
    attributes = _read_attributes(folder, issues)
    forms = _read_forms(folder, keys, issues)
    statements = _read_statements(
        folder,
        {form.key: form.line for form in forms},
        {attribute.key: attribute.line for attribute in attributes},
        keys,
        issues,
    )
    glossary = _read_glossary(folder, keys, issues)
    about = _read_about(folder, keys, issues)
    cited = {key for s in statements for key in s.citations}
    cited |= {key for f in forms for key in f.chart.citations}
    cited |= {key for term in glossary for key in term.citations}
    if about is not None:
        cited |= set(about[2])
    _unused_references(references, cited, issues)
    if about is None or any(issue.severity == "error" for issue in issues):
        return None, issues
    reviewed, note, citations = about
    data = SubtypeData(
        forms=tuple(forms),
        attributes=tuple(attributes),
        statements=tuple(statements),
        references=tuple(references),
        glossary=tuple(glossary),
        last_reviewed=reviewed,
        classification_note=note,
        classification_citations=citations,
    )
    return data, issues


# --- using ---------------------------------------------------------------------------


def normalise_report_name(name: str) -> str:
    """Case- and spacing-insensitive form of a report name, for matching."""
    return " ".join(name.split()).casefold()


def map_report_names_to_forms(data: SubtypeData, names: Iterable[str]) -> dict[str, str | None]:
    """Which form each report name (synonym or subdivision) refers to.

    Returns a dict in the order given, mapping each name to a form key, or to None when
    the name is not one the curated data knows (e.g. a report for another disorder).
    """
    lookup = {normalise_report_name(n): form.key for form in data.forms for n in form.report_names}
    return {name: lookup.get(normalise_report_name(name)) for name in names}


def _markers(data: SubtypeData, citations: Iterable[str]) -> tuple[int, ...]:
    return tuple(sorted(data.marker(key) for key in citations))


def _same(texts: Iterable[str]) -> bool:
    return len({" ".join(text.split()).casefold() for text in texts}) <= 1


def comparison_table(
    data: SubtypeData,
    forms: Sequence[str],
    attributes: Sequence[str],
    *,
    only_differences: bool = False,
) -> Comparison:
    """Compare forms attribute by attribute.

    Parameters
    ----------
    data
        Validated subtype data.
    forms, attributes
        Keys to show, in the order to show them. Unknown keys raise ``KeyError``.
    only_differences
        Keep only attributes whose statements are not all the same (compared without
        regard to case and spacing; two missing statements count as the same).

    Returns
    -------
    Comparison
        Cells keyed by ``(attribute, form)`` with their citation markers, the references
        the shown cells cite (numbered as on the page), and ``.table`` as a DataFrame.
    """
    chosen_forms = tuple(data.form(key) for key in dict.fromkeys(forms))
    chosen_attributes = tuple(data.attribute(key) for key in dict.fromkeys(attributes))
    cells: dict[tuple[str, str], Cell] = {}
    for attribute in chosen_attributes:
        for form in chosen_forms:
            statement = data.statement(form.key, attribute.key)
            cells[(attribute.key, form.key)] = (
                Cell(statement.text, statement.citations, _markers(data, statement.citations))
                if statement
                else Cell(NO_STATEMENT, (), ())
            )
    if only_differences:
        chosen_attributes = tuple(
            a
            for a in chosen_attributes
            if not _same(cells[(a.key, f.key)].text for f in chosen_forms)
        )
        cells = {k: v for k, v in cells.items() if k[0] in {a.key for a in chosen_attributes}}
    cited = {key for cell in cells.values() for key in cell.citations}
    references = tuple(
        (number, reference)
        for number, reference in enumerate(data.references, start=1)
        if reference.key in cited
    )
    return Comparison(chosen_forms, chosen_attributes, cells, references)


def _cyclic_level(chart: AncChart, day: int) -> float:
    """Piecewise-linear cycle: flat at the low point, straight up to the peak and down.

    The rise takes whole days so the peak falls on a drawn day and reaches ``anc_high``.
    """
    assert chart.anc_high is not None and chart.period_days and chart.low_days
    offset = day % chart.period_days
    if offset < chart.low_days:
        return chart.anc_low
    rise = (chart.period_days - chart.low_days) // 2
    fall = chart.period_days - chart.low_days - rise
    since_low = offset - chart.low_days
    fraction = since_low / rise if since_low <= rise else (chart.period_days - offset) / fall
    return chart.anc_low + (chart.anc_high - chart.anc_low) * fraction


def anc_schematic(data: SubtypeData, forms: Sequence[str], *, days: int = 63) -> pd.DataFrame:
    """A tidy frame (``form``, ``day``, ``anc``) for the illustrative ANC-over-time chart.

    The curves come only from the cited chart parameters in ``forms.csv``; they show a
    typical pattern, not any person's counts. ``form`` holds the form's label.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    rows = []
    for key in dict.fromkeys(forms):
        form = data.form(key)
        for day in range(days + 1):
            level = (
                _cyclic_level(form.chart, day)
                if form.chart.shape == "cyclic"
                else form.chart.anc_low
            )
            rows.append((form.label, day, round(level, 3)))
    return pd.DataFrame(rows, columns=["form", "day", "anc"])


def glossary_mentions(glossary: Iterable[GlossaryTerm], text: str) -> tuple[Mention, ...]:
    """The first place each glossary term (or one of its aliases) occurs in ``text``.

    Matching ignores case and needs whole words, so ``ANC`` is not found in "chance";
    longer names win, so "autosomal dominant" is one mention, not two.
    """
    by_name = {name.casefold(): term for term in glossary for name in term.names}
    if not by_name or not text:
        return ()
    alternatives = "|".join(re.escape(name) for name in sorted(by_name, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    mentions: dict[str, Mention] = {}
    for match in pattern.finditer(text):
        term = by_name[match[0].casefold()]
        mentions.setdefault(term.term, Mention(match.start(), match.end(), term))
    return tuple(sorted(mentions.values(), key=lambda mention: mention.start))


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (OWASP CSV injection)."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def comparison_csv(data: SubtypeData, comparison: Comparison) -> bytes:
    """The comparison as CSV bytes (UTF-8 with BOM so spreadsheets show ×10⁹ correctly).

    The table comes first, then the references its markers point to, the review date
    and the notice, so the file stands on its own when opened or printed.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows: list[list[str]] = [["Attribute", *(form.label for form in comparison.forms)]]
    rows += [
        [a.label, *(comparison.cell(a.key, f.key).display for f in comparison.forms)]
        for a in comparison.attributes
    ]
    rows += [[], ["Reference", "Citation", "URL"]]
    rows += [[f"[{n}]", ref.citation(), ref.url] for n, ref in comparison.references]
    rows += [
        [],
        ["Last reviewed", data.last_reviewed.isoformat()],
        ["Note", data.classification_note],
        ["Notice", "For information only; not medical advice. Talk to your care team."],
    ]
    writer.writerows([[neutralise_cell(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")
