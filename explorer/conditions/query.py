"""Questions asked of the extract: filter the conditions, compare a few side by side, export.

Pure functions over :class:`~explorer.conditions.extract.Extract`; the page and the CLI
call the same ones, so what the CLI prints is what the page shows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from explorer.cells import neutralise_cell
from explorer.conditions.extract import CONDITION_ID, Extract
from explorer.models import ParseIssue

KINDS = {"isolated": "Isolated", "syndrome": "Syndrome"}
"""Values of :attr:`ConditionFilters.kind` and their labels."""
NOT_LISTED = "—"
EXPORT_COLUMNS = ("id", "name", "genes", "inheritance", "frequency", "frequency_given")
"""What ``python -m explorer conditions`` prints, in this order."""


@dataclass(frozen=True)
class ConditionFilters:
    """The page's filters; empty values filter nothing."""

    gene: str = ""
    inheritance: tuple[str, ...] = ()
    onset: tuple[str, ...] = ()
    kind: str = ""
    """``""`` (all), or a key of :data:`KINDS`."""
    text: str = ""


def options(conditions: pd.DataFrame, column: str) -> list[str]:
    """The distinct values of a tuple column (genes, inheritance, onset), sorted."""
    return sorted({value for values in conditions[column] for value in values}, key=str.lower)


def filter_conditions(conditions: pd.DataFrame, filters: ConditionFilters) -> pd.DataFrame:
    """The conditions that pass every filter (the gene exactly, ignoring case; each word of
    the free text somewhere in the id, name or genes; any chosen inheritance or onset)."""
    keep = pd.Series(True, index=conditions.index)
    if gene := filters.gene.strip().upper():
        keep &= conditions["genes"].map(lambda genes: any(g.upper() == gene for g in genes))
    for column, chosen in (("inheritance", filters.inheritance), ("onset", filters.onset)):
        if chosen:
            keep &= ~conditions[column].map(set(chosen).isdisjoint).astype(bool)
    if filters.kind in KINDS:
        keep &= conditions["syndrome"] == (filters.kind == "syndrome")
    if words := filters.text.lower().split():
        keep &= conditions["search_text"].map(lambda text: all(word in text for word in words))
    return conditions[keep]


@dataclass(frozen=True)
class Comparison:
    """Chosen conditions side by side: one row per feature, grouped by body system."""

    conditions: pd.DataFrame
    """The chosen conditions' rows of ``extract.conditions``, in the order chosen."""
    table: pd.DataFrame
    """Columns ``system``, ``feature``, ``shared``, then one column per condition id."""


def compare(
    extract: Extract, condition_ids: Sequence[str], *, only_differences: bool = False
) -> Comparison:
    """Features of the chosen conditions side by side, with how often each is seen.

    A cell says how often the feature occurs in that condition (words and figures), "Not
    present (excluded)" when the annotation excludes it, "as <term>" when the condition
    lists a more specific term (cyclic neutropenia is a neutropenia), or :data:`NOT_LISTED`.
    A feature is *shared* when every chosen condition lists it or a more specific term as
    present; ``only_differences`` keeps the others.
    """
    known = set(extract.conditions["id"])
    ids = [key for key in dict.fromkeys(condition_ids) if key in known]
    chosen = extract.conditions.set_index("id").loc[ids].reset_index()
    cells: dict[str, dict[str, str]] = {key: {} for key in ids}
    holds: dict[str, set[str]] = {key: set() for key in ids}
    more_specific: dict[str, dict[str, set[str]]] = {key: {} for key in ids}
    rows: dict[str, tuple[str, str]] = {}
    for key, term, feature, system, frequency, present, ancestors in (
        row for chosen_id in ids for row in extract.features_by_condition.get(chosen_id, ())
    ):
        rows[term] = (system, feature)
        cells[key][term] = frequency
        if present:
            holds[key].add(term)
            for ancestor in ancestors:
                more_specific[key].setdefault(ancestor, set()).add(feature)
    records = []
    for term, (system, feature) in rows.items():
        row = {"system": system, "feature": feature}
        row["shared"] = all(term in holds[key] or term in more_specific[key] for key in ids)
        for key in ids:
            narrower = more_specific[key].get(term)
            row[key] = cells[key].get(term) or (
                "as " + "; ".join(sorted(narrower)) if narrower else NOT_LISTED
            )
        records.append(row)
    if only_differences:
        records = [row for row in records if not row["shared"]]
    records.sort(key=lambda row: (row["system"].lower(), row["feature"].lower()))
    table = pd.DataFrame.from_records(records, columns=["system", "feature", "shared", *ids])
    return Comparison(conditions=chosen, table=table)


def _export_rows(conditions: pd.DataFrame) -> list[tuple]:
    return list(zip(*(conditions[column] for column in EXPORT_COLUMNS), strict=True))


def conditions_csv(conditions: pd.DataFrame) -> str:
    """The export columns as CSV; a cell a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for key, name, genes, inheritance, frequency, given in _export_rows(conditions):
        cells = (key, name, "; ".join(genes), "; ".join(inheritance), frequency, given)
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return buffer.getvalue()


def conditions_json(conditions: pd.DataFrame) -> str:
    records = [
        dict(zip(EXPORT_COLUMNS, (*row[:2], list(row[2]), list(row[3]), *row[4:]), strict=True))
        for row in _export_rows(conditions)
    ]
    return json.dumps(records, ensure_ascii=False, indent=2)


def check_extract(extract: Extract) -> list[ParseIssue]:
    """Errors for a condition without a valid id or a name; the extract's frequency warnings."""
    issues = list(extract.issues)
    if extract.conditions.empty:
        issues.append(ParseIssue("phenotype.hpoa", 0, "error", "no condition has neutropenia"))
    for row in extract.conditions.itertuples():
        if not CONDITION_ID.match(row.id) or not row.name.strip():
            message = f"condition “{row.id}” has no valid OMIM/ORPHA id or no name"
            issues.append(ParseIssue("phenotype.hpoa", 0, "error", message))
    return issues
