"""The typed records of the count diary: units, rows as read, checked counts, problems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
DATE_ORDERS = {DAY_FIRST: "day first (31/12/2026)", MONTH_FIRST: "month first (12/31/2026)"}


@dataclass(frozen=True, slots=True)
class Unit:
    """A way labs write an absolute neutrophil count, and its factor to ×10⁹/L."""

    key: str
    label: str
    factor: float


UNITS = {
    "e9_per_l": Unit("e9_per_l", "×10⁹/L", 1.0),
    "e3_per_ul": Unit("e3_per_ul", "×10³/µL", 1.0),
    "cells_per_ul": Unit("cells_per_ul", "cells/µL", 0.001),
    "per_mm3": Unit("per_mm3", "/mm³", 0.001),
}
"""×10⁹/L and ×10³/µL are the same number; cells/µL and /mm³ are 1,000 times larger."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One row as given (typed or read from a file): its line, and the date and count
    when they could be read (``None`` otherwise; the raw text keeps what was given)."""

    line: int
    day: date | None
    value: float | None
    raw_date: str = ""
    raw_value: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that is not used for the estimate, with its line and why: it is listed, and
    kept in the downloaded diary, never silently dropped."""

    line: int
    message: str
    raw_date: str = ""
    raw_value: str = ""


@dataclass(frozen=True, slots=True)
class Count:
    """A checked absolute neutrophil count, in ×10⁹/L, and the line it came from."""

    day: date
    anc: float
    line: int = 0


@dataclass(frozen=True, slots=True)
class Checked:
    """The usable counts (sorted by date) and the rows left out, each with its reason."""

    counts: tuple[Count, ...]
    problems: tuple[Problem, ...]
