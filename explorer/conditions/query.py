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

from explorer.conditions.extract import CONDITION_ID, Extract
from explorer.export import neutralise_cell
from explorer.models import ParseIssue

KINDS = {"isolated": "Mainly neutropenia", "syndrome": "Syndrome"}
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


def matches_text(row: pd.Series, words: Sequence[str]) -> bool:
    haystack = " ".join((row["id"], row["name"], *row["genes"])).lower()
    return all(word in haystack for word in words)


def filter_conditions(conditions: pd.DataFrame, filters: ConditionFilters) -> pd.DataFrame:
    """The conditions that pass every filter (the gene exactly, ignoring case; each word of
    the free text somewhere in the id, name or genes; any chosen inheritance or onset)."""
    keep = pd.Series(True, index=conditions.index)
    if gene := filters.gene.strip().upper():
        keep &= conditions["genes"].map(lambda genes: gene in {g.upper() for g in genes})
    for column, chosen in (("inheritance", filters.inheritance), ("onset", filters.onset)):
        if chosen:
            keep &= ~conditions[column].map(set(chosen).isdisjoint).astype(bool)
    if filters.kind in KINDS:
        keep &= conditions["syndrome"] == (filters.kind == "syndrome")
    if words := filters.text.lower().split():
        keep &= conditions.apply(matches_text, axis=1, words=words)
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
    features = extract.features[extract.features["condition_id"].isin(ids)]
    cells: dict[str, dict[str, str]] = {key: {} for key in ids}
    holds: dict[str, set[str]] = {key: set() for key in ids}
    more_specific: dict[str, dict[str, list[str]]] = {key: {} for key in ids}
    for row in features.itertuples():
        cells[row.condition_id][row.term] = row.frequency
        if row.present:
            holds[row.condition_id].add(row.term)
            for ancestor in row.ancestors:
                more_specific[row.condition_id].setdefault(ancestor, []).append(row.feature)
    records = []
    for (system, feature, term), _ in features.groupby(["system", "feature", "term"]):
        row = {"system": system, "feature": feature}
        row["shared"] = all(term in holds[key] or term in more_specific[key] for key in ids)
        for key in ids:
            narrower = more_specific[key].get(term)
            row[key] = cells[key].get(term) or (
                "as " + "; ".join(sorted(set(narrower))) if narrower else NOT_LISTED
            )
        records.append(row)
    table = pd.DataFrame.from_records(records, columns=["system", "feature", "shared", *ids])
    if only_differences:
        table = table[~table["shared"]]
    table = table.sort_values(["system", "feature"], key=lambda column: column.str.lower())
    return Comparison(conditions=chosen, table=table.reset_index(drop=True))


def _export_frame(conditions: pd.DataFrame) -> pd.DataFrame:
    frame = conditions.loc[:, list(EXPORT_COLUMNS)].copy()
    for column in ("genes", "inheritance"):
        frame[column] = frame[column].map("; ".join)
    return frame


def conditions_csv(conditions: pd.DataFrame) -> str:
    """The export columns as CSV; a cell a spreadsheet would run as a formula is neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in _export_frame(conditions).itertuples(index=False):
        writer.writerow([neutralise_cell(value) for value in row])
    return buffer.getvalue()


def conditions_json(conditions: pd.DataFrame) -> str:
    frame = conditions.loc[:, list(EXPORT_COLUMNS)]
    records = [
        {**row, "genes": list(row["genes"]), "inheritance": list(row["inheritance"])}
        for row in frame.to_dict(orient="records")
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
