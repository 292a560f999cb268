"""``guidance.csv``: what to do, cited: the fever rule and when to see a haematologist.

Each row is ``topic,order,text,citations``. The fever rule is shown on every page, so it
is read on its own by :func:`load_guidance`: a broken statement elsewhere must not take
the safety notice off the page. A row with an error is left out and reported with its
line; the other rows still show.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from explorer.models import ParseIssue
from explorer.subtypes.records import SUBTYPES_SUBDIR, Advice, Guidance
from explorer.subtypes.references import read_references
from explorer.subtypes.rows import KEY, citation_keys, error_count, positive_number, read_rows

GUIDANCE_FILE = "guidance.csv"
GUIDANCE_COLUMNS = ("topic", "order", "text", "citations")
FEVER = "fever"
SEE_HAEMATOLOGIST = "see_haematologist"
REQUIRED_TOPICS = (FEVER, SEE_HAEMATOLOGIST)
"""Topics the pages show: each must have at least one row."""


def read_guidance(
    folder: Path, references: Iterable[str], issues: list[ParseIssue]
) -> list[Advice]:
    """The valid rows of ``guidance.csv``; every problem is added to ``issues`` with its line."""
    rel = f"{SUBTYPES_SUBDIR}/{GUIDANCE_FILE}"
    references = tuple(references)
    advice: list[Advice] = []
    seen: dict[tuple[str, int], int] = {}
    errors_at_start = error_count(issues)
    for line, row in read_rows(folder / GUIDANCE_FILE, rel, GUIDANCE_COLUMNS, issues):
        errors_before = error_count(issues)
        topic = row["topic"]
        if not KEY.match(topic):
            issues.append(
                ParseIssue(rel, line, "error", f"topic {topic!r} must be lower_snake_case")
            )
        order = positive_number(
            row["order"], column="order", integer=True, rel=rel, line=line, issues=issues
        )
        if not row["text"]:
            issues.append(ParseIssue(rel, line, "error", "advice has no text"))
        citations = citation_keys(
            row["citations"], references, rel=rel, line=line, what="advice", issues=issues
        )
        if order is not None and (topic, order) in seen:
            first = seen[(topic, order)]
            message = f"duplicate order {order} in topic {topic!r} (first at line {first})"
            issues.append(ParseIssue(rel, line, "error", message))
        if error_count(issues) == errors_before and order is not None:
            seen[(topic, order)] = line
            advice.append(Advice(topic, int(order), row["text"], citations, line))
    if error_count(issues) == errors_at_start or advice:
        for topic in REQUIRED_TOPICS:
            if not any(item.topic == topic for item in advice):
                issues.append(ParseIssue(rel, 1, "error", f"no advice for topic {topic!r}"))
    return advice


def load_guidance(data_dir: Path) -> tuple[Guidance, list[ParseIssue]]:
    """The guidance of ``DATA_DIR/subtypes``, as much of it as is valid, and its problems.

    Only the problems of ``guidance.csv`` are returned; those of ``references.csv`` are
    :func:`~explorer.subtypes.loader.load_subtypes`'s to report (once).
    """
    folder = data_dir / SUBTYPES_SUBDIR
    references = read_references(folder, [])
    issues: list[ParseIssue] = []
    advice = read_guidance(folder, (reference.key for reference in references), issues)
    cited = {key for item in advice for key in item.citations}
    return (
        Guidance(tuple(advice), tuple(r for r in references if r.key in cited)),
        issues,
    )
