"""Pure builders of the Subtypes page: Markdown text and Altair charts, no Streamlit calls.

Text from the data files is always escaped with :func:`components.text.plain`: the only
links are the ones built here (citation markers to each reference's own anchor, glossary
words to ``#glossary``, and reference URLs that the loader has checked are plain
http(s)). Anchors are built from validated reference keys only, never from free text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from components.text import plain
from explorer.models import Disorder
from explorer.subtypes import Cell, Comparison, Reference, SubtypeData, glossary_mentions

if TYPE_CHECKING:  # imported where a chart is drawn: the Overview's first view needs none
    import altair as alt

MAX_FORMS = 4
MIN_FORMS = 2
REFERENCES_ANCHOR = "references"
GLOSSARY_ANCHOR = "glossary"
REFERENCE_ANCHOR_PREFIX = "ref-"
_SAFE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
PANEL_HEIGHT = 210
"""Height of one form's ANC panel in pixels, title and axis included (Streamlit fits the
whole chart into it); the width follows the column."""


def report_names(disorder: Disorder | None) -> tuple[str, ...]:
    """The report's synonyms then subdivisions: the names a reader may arrive with."""
    return (*disorder.synonyms, *disorder.subdivisions) if disorder else ()


def default_forms(data: SubtypeData, mapping: dict[str, str | None]) -> list[str]:
    """The forms the report names, in data order, or every form if it names fewer than two."""
    named = {form for form in mapping.values() if form}
    chosen = [form.key for form in data.forms if form.key in named]
    return (chosen if len(chosen) >= MIN_FORMS else [form.key for form in data.forms])[:MAX_FORMS]


def reference_anchor(key: str) -> str:
    """The HTML id of a reference's entry, e.g. ``ref-genereviews_elane``.

    Keys were validated as lower_snake_case by the loader; checked again here because the
    id goes into HTML, so nothing else can ever reach it.
    """
    if not _SAFE_KEY.match(key):
        raise ValueError(f"not a reference key: {key!r}")
    return REFERENCE_ANCHOR_PREFIX + key


def anchor_html(key: str) -> str:
    """An empty element carrying the reference's id: the target of its citation markers.

    The scroll margin keeps the entry's first line clear of the page's top bar.
    """
    return f'<div id="{reference_anchor(key)}" style="scroll-margin-top: 4rem"></div>'


def markers_markdown(data: SubtypeData, citations: Iterable[str]) -> str:
    """Citation markers in page order, each linking to its own reference, e.g. ``[1][4]``."""
    numbered = sorted((data.marker(key), key) for key in citations)
    return "".join(f"[\\[{n}\\]](#{reference_anchor(key)})" for n, key in numbered)


def linked_text(data: SubtypeData, text: str) -> str:
    """Escaped text whose first mention of each glossary term links to the glossary."""
    parts, position = [], 0
    for mention in glossary_mentions(data.glossary, text):
        parts.append(plain(text[position : mention.start]))
        parts.append(f"[{plain(text[mention.start : mention.end])}](#{GLOSSARY_ANCHOR})")
        position = mention.end
    parts.append(plain(text[position:]))
    return "".join(parts)


def cell_markdown(data: SubtypeData, cell: Cell) -> str:
    """One table cell: linked text and markers, or the 'no sourced statement' note."""
    if not cell.sourced:
        return f"*{plain(cell.text)}*"
    return f"{linked_text(data, cell.text)} {markers_markdown(data, cell.citations)}"


def comparison_markdown(data: SubtypeData, comparison: Comparison) -> str:
    """The comparison as a Markdown table: wraps long text and prints well."""
    header = ["Attribute", *(plain(form.label) for form in comparison.forms)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for attribute in comparison.attributes:
        cells = [
            cell_markdown(data, comparison.cell(attribute.key, f.key)) for f in comparison.forms
        ]
        lines.append(f"| **{plain(attribute.label)}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparison_list_markdown(data: SubtypeData, comparison: Comparison) -> str:
    """The comparison row by row, the forms one under another: for a phone, where the
    table's columns do not fit and its row names would scroll out of view."""
    blocks = []
    for attribute in comparison.attributes:
        items = [
            f"- **{plain(form.label)}:** "
            + cell_markdown(data, comparison.cell(attribute.key, form.key))
            for form in comparison.forms
        ]
        blocks.append("\n".join([f"##### {plain(attribute.label)}", "", *items]))
    return "\n\n".join(blocks)


def about_markdown(data: SubtypeData, mapping: dict[str, str | None]) -> str:
    """How the report's names map to the forms compared here."""
    labels = {form.key: form.label for form in data.forms}
    return "**Names in the report and the form they refer to:**\n" + "\n".join(
        f"- {plain(name)} → "
        + (f"**{plain(labels[form])}**" if form else "not one of the forms compared here")
        for name, form in mapping.items()
    )


def chart_notes_markdown(data: SubtypeData, forms: Sequence[str]) -> str:
    """What each curve and each threshold line is drawn from, with citation markers."""
    notes = [
        f"- **{plain(data.form(key).label)}**: {plain(data.form(key).chart.note)} "
        + markers_markdown(data, data.form(key).chart.citations)
        for key in forms
    ]
    notes += [
        f"- Line at {plain(line.label)} " + markers_markdown(data, line.citations)
        for line in data.chart_lines
    ]
    return "Illustrative only, not a prediction for anyone.\n" + "\n".join(notes)


def glossary_markdown(data: SubtypeData) -> str:
    return "\n".join(
        f"- **{plain(term.term)}**"
        + (f" (also: {plain(', '.join(term.aliases))})" if term.aliases else "")
        + f": {plain(term.definition)} "
        + markers_markdown(data, term.citations)
        for term in data.glossary
    )


def reference_markdown(number: int, reference: Reference) -> str:
    """One numbered entry of the reference list; the URL in full so it survives printing."""
    note = f" — {plain(reference.note)}" if reference.note else ""
    return f"**[{number}]** {plain(reference.citation())} <{reference.url}>{note}"


def anc_panel(frame: pd.DataFrame, form: str, data: SubtypeData, top: float) -> alt.LayerChart:
    """One form's schematic ANC curve with the cited threshold lines, as wide as its column.

    One panel per form (not overlaid lines) because two forms may be drawn at the same
    level, and one would hide the other; all panels share the y scale ``0..top``.
    """
    import altair as alt

    scale = alt.Scale(domain=[0, top])
    curve = (
        alt.Chart(frame[frame["form"] == form])
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("day:Q", title="Day"),
            y=alt.Y("anc:Q", title="ANC (×10⁹/L)", scale=scale),
        )
    )
    lines = pd.DataFrame(
        [(line.anc, line.label) for line in data.chart_lines], columns=["anc", "label"]
    )
    rules = alt.Chart(lines).mark_rule(strokeDash=[4, 3], color="gray").encode(y="anc:Q")
    labels = (
        alt.Chart(lines)
        .mark_text(align="left", dx=4, dy=-6, fontSize=11, color="gray")
        .encode(y="anc:Q", x=alt.value(0), text="label:N")
    )
    return alt.layer(rules, curve, labels).properties(height=PANEL_HEIGHT, title=form)


def chart_top(frame: pd.DataFrame, data: SubtypeData) -> float:
    """The shared y-axis top: above the highest curve and the highest threshold line."""
    highest = max([*frame["anc"], *(line.anc for line in data.chart_lines), 0.1])
    return round(highest * 1.2, 2)
