"""The typed records of the subtype content: sources, forms, statements, glossary, guidance.

Every record keeps the 1-based ``line`` of the data file it came from, so a checker or a
page can point a maintainer at the line to edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

SUBTYPES_SUBDIR = "subtypes"
NO_STATEMENT = "no sourced statement"
CHART_SHAPES = ("steady", "cyclic")
UNDATED = "n.d."


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

    def citation(self, *, authors: str | None = None) -> str:
        """One-line citation in the usual order: authors, title, publisher, year, and the
        date the page was read (web pages change; a dated citation says which version).
        ``authors`` replaces the author list (a shortened one, on paper)."""
        parts = [self.authors if authors is None else authors, self.title, self.publisher]
        text = ". ".join(part.rstrip(".") for part in [*parts, self.year] if part) + "."
        return f"{text} Accessed {self.accessed}." if self.accessed else text


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
class ChartLine:
    """A cited ANC threshold drawn across the chart (e.g. 0.5 ×10⁹/L, severe below it)."""

    anc: float
    label: str
    citations: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Successor:
    """The newer report that replaces a report file, and what changed, said in one line."""

    report: str
    reference: str
    note: str
    line: int = 0


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
    chart_lines: tuple[ChartLine, ...] = ()
    successors: tuple[Successor, ...] = ()

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

    def reference(self, key: str) -> Reference:
        """The reference with this key; ``KeyError`` for an unknown one."""
        for reference in self.references:
            if reference.key == key:
                return reference
        raise KeyError(f"unknown reference {key!r}")

    def successor(self, report_file: str) -> Successor | None:
        """The newer report that replaces ``report_file`` (a file name), if one is known."""
        return next((s for s in self.successors if s.report == report_file), None)

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
        import pandas as pd  # here: every page's frame reads these records, few draw a table

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


@dataclass(frozen=True, slots=True)
class Advice:
    """One cited line of practical guidance (e.g. the fever rule), in its topic's order."""

    topic: str
    order: int
    text: str
    citations: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True, slots=True)
class Guidance:
    """What families are told to do (``guidance.csv``), with the references it cites."""

    advice: tuple[Advice, ...]
    references: tuple[Reference, ...]

    def topic(self, name: str) -> tuple[Advice, ...]:
        """The advice of one topic in display order; empty when the topic has none."""
        return tuple(sorted((a for a in self.advice if a.topic == name), key=lambda a: a.order))

    def reference(self, key: str) -> Reference:
        """The cited reference with this key; ``KeyError`` for one the loader did not accept."""
        for reference in self.references:
            if reference.key == key:
                return reference
        raise KeyError(f"unknown reference {key!r}")


def normalise_report_name(name: str) -> str:
    """Case- and spacing-insensitive form of a report name, for matching."""
    return " ".join(name.split()).casefold()
