"""Reading and checking the comparison's files; see the package docstring for the layout.

:func:`load_subtypes` is what the Subtypes page and ``python -m explorer check`` call:
any error hides the comparison, and every problem names its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from explorer.models import ParseIssue
from explorer.subtypes.about import read_about
from explorer.subtypes.guidance import read_guidance
from explorer.subtypes.records import (
    CHART_SHAPES,
    NO_STATEMENT,
    SUBTYPES_SUBDIR,
    AncChart,
    Attribute,
    ChartLine,
    Form,
    GlossaryTerm,
    Reference,
    Statement,
    SubtypeData,
    Successor,
    normalise_report_name,
)
from explorer.subtypes.references import REFERENCES_FILE, read_references
from explorer.subtypes.rows import (
    check_key,
    citation_keys,
    error_count,
    positive_number,
    read_rows,
    split_list,
)

MAX_STATEMENT_CHARS = 300
"""Longer statements draw a warning: a cell should be readable at a glance."""
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
CHART_LINE_COLUMNS = ("anc", "label", "citations")
SUCCESSOR_COLUMNS = ("report", "reference", "note")
REPORTS_SUBDIR = "reports"


def _read_attributes(folder: Path, issues: list[ParseIssue]) -> list[Attribute]:
    rel = f"{SUBTYPES_SUBDIR}/attributes.csv"
    attributes: list[Attribute] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(folder / "attributes.csv", rel, ATTRIBUTE_COLUMNS, issues):
        key = row["attribute"]
        if not check_key(key, seen, rel=rel, line=line, kind="attribute", issues=issues):
            continue
        if not row["label"]:
            issues.append(ParseIssue(rel, line, "error", f"attribute {key!r} has no label"))
            continue
        attributes.append(Attribute(key, row["label"], line))
    return attributes


def _read_chart(
    row: dict[str, str], references: Iterable[str], *, rel: str, line: int, issues: list[ParseIssue]
) -> AncChart | None:
    """The chart parameters of a form row, or None when any of them is invalid."""
    errors_before = error_count(issues)
    where = {"rel": rel, "line": line, "issues": issues}
    shape = row["chart_shape"]
    if shape not in CHART_SHAPES:
        issues.append(
            ParseIssue(
                rel, line, "error", f"chart_shape {shape!r} is not one of {', '.join(CHART_SHAPES)}"
            )
        )
    citations = citation_keys(
        row["chart_citations"], references, rel=rel, line=line, what="chart", issues=issues
    )
    low = positive_number(row["anc_low"], column="anc_low", integer=False, **where)
    high = period = low_days = None
    if shape == "cyclic":
        high = positive_number(row["anc_high"], column="anc_high", integer=False, **where)
        period = positive_number(row["period_days"], column="period_days", integer=True, **where)
        low_days = positive_number(row["low_days"], column="low_days", integer=True, **where)
        if low is not None and high is not None and high <= low:
            issues.append(ParseIssue(rel, line, "error", "anc_high must be above anc_low"))
        if period is not None and low_days is not None and low_days >= period:
            issues.append(ParseIssue(rel, line, "error", "low_days must be below period_days"))
    if error_count(issues) > errors_before or low is None:
        return None
    return AncChart(shape, low, citations, high, period, low_days, row["chart_note"])


def _read_forms(folder: Path, references: Iterable[str], issues: list[ParseIssue]) -> list[Form]:
    rel = f"{SUBTYPES_SUBDIR}/forms.csv"
    forms: list[Form] = []
    seen: dict[str, int] = {}
    name_owner: dict[str, tuple[str, int]] = {}
    references = tuple(references)
    for line, row in read_rows(folder / "forms.csv", rel, FORM_COLUMNS, issues):
        key = row["form"]
        if not check_key(key, seen, rel=rel, line=line, kind="form", issues=issues):
            continue
        if not row["label"]:
            issues.append(ParseIssue(rel, line, "error", f"form {key!r} has no label"))
        names = split_list(row["report_names"])
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
    for line, row in read_rows(folder / "statements.csv", rel, STATEMENT_COLUMNS, issues):
        form, attribute, text = row["form"], row["attribute"], row["text"]
        errors_before = error_count(issues)
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
        citations = citation_keys(
            row["citations"], references, rel=rel, line=line, what="statement", issues=issues
        )
        if error_count(issues) == errors_before:
            statements.append(Statement(form, attribute, text, citations, line))
    return statements


def _read_glossary(
    folder: Path, references: Iterable[str], issues: list[ParseIssue]
) -> list[GlossaryTerm]:
    rel = f"{SUBTYPES_SUBDIR}/glossary.csv"
    terms: list[GlossaryTerm] = []
    seen: dict[str, int] = {}
    references = tuple(references)
    for line, row in read_rows(folder / "glossary.csv", rel, GLOSSARY_COLUMNS, issues):
        names = (row["term"], *split_list(row["aliases"]))
        errors_before = error_count(issues)
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
        citations = citation_keys(
            row["citations"], references, rel=rel, line=line, what="definition", issues=issues
        )
        if error_count(issues) == errors_before:
            terms.append(GlossaryTerm(row["term"], names[1:], row["definition"], citations, line))
    return terms


def _read_chart_lines(
    folder: Path, references: Iterable[str], issues: list[ParseIssue]
) -> list[ChartLine]:
    rel = f"{SUBTYPES_SUBDIR}/chart_lines.csv"
    lines: list[ChartLine] = []
    references = tuple(references)
    for line, row in read_rows(folder / "chart_lines.csv", rel, CHART_LINE_COLUMNS, issues):
        errors_before = error_count(issues)
        anc = positive_number(
            row["anc"], column="anc", integer=False, rel=rel, line=line, issues=issues
        )
        if not row["label"]:
            issues.append(ParseIssue(rel, line, "error", "chart line has no label"))
        citations = citation_keys(
            row["citations"], references, rel=rel, line=line, what="chart line", issues=issues
        )
        if error_count(issues) == errors_before and anc is not None:
            lines.append(ChartLine(float(anc), row["label"], citations, line))
    return lines


def _read_successors(
    data_dir: Path, references: Iterable[str], issues: list[ParseIssue]
) -> list[Successor]:
    """``successors.csv``: which newer report replaces a report file (optional file)."""
    path = data_dir / SUBTYPES_SUBDIR / "successors.csv"
    if not path.is_file():
        return []
    rel = f"{SUBTYPES_SUBDIR}/successors.csv"
    known = set(references)
    successors: list[Successor] = []
    for line, row in read_rows(path, rel, SUCCESSOR_COLUMNS, issues):
        errors_before = error_count(issues)
        if not (data_dir / REPORTS_SUBDIR / row["report"]).is_file():
            message = f"no report {row['report']!r} in {REPORTS_SUBDIR}/"
            issues.append(ParseIssue(rel, line, "error", message))
        if row["reference"] not in known:
            message = f"successor cites unknown reference {row['reference']!r}"
            issues.append(ParseIssue(rel, line, "error", message))
        if not row["note"]:
            issues.append(ParseIssue(rel, line, "error", "successor has no note"))
        if error_count(issues) == errors_before:
            successors.append(Successor(row["report"], row["reference"], row["note"], line))
    return successors


def _unused_references(
    references: Sequence[Reference], cited: set[str], issues: list[ParseIssue]
) -> None:
    rel = f"{SUBTYPES_SUBDIR}/{REFERENCES_FILE}"
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
    references = read_references(folder, issues)
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
    about = read_about(folder, keys, issues)
    chart_lines = _read_chart_lines(folder, keys, issues)
    guidance = read_guidance(folder, keys, issues)
    successors = _read_successors(data_dir, keys, issues)
    cited = {key for s in statements for key in s.citations}
    cited |= {key for advice in guidance for key in advice.citations}
    cited |= {key for chart_line in chart_lines for key in chart_line.citations}
    cited |= {successor.reference for successor in successors}
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
        chart_lines=tuple(chart_lines),
        successors=tuple(successors),
    )
    return data, issues
