"""Pure builders of the Subtypes page: Markdown text and Altair charts, no Streamlit calls.

Text from the data files is always escaped with :func:`components.text.plain`: the only
links are the ones built here (citation markers to each reference's own anchor, glossary
words to ``#glossary``, and reference URLs that the loader has checked are plain
http(s)). Anchors are built from validated reference keys only, never from free text.

Citation markers and reference entries are the only HTML: a marker needs an ``id`` (the
target of its reference's "back" link) and Markdown cannot give a link one. Streamlit 1.67
keeps ``id`` and ``class`` in ``st.markdown(..., unsafe_allow_html=True)``, and every data
text around them is :func:`plain`, whose escaped ``<`` can never open a tag.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from components.text import plain
from explorer.models import Disorder
from explorer.subtypes import Cell, Comparison, Reference, SubtypeData, glossary_mentions

if TYPE_CHECKING:  # imported where a chart is drawn: the Overview's first view needs none
    import altair as alt
    import pandas as pd

MAX_FORMS = 4
MIN_FORMS = 2
REFERENCES_ANCHOR = "references"
GLOSSARY_ANCHOR = "glossary"
COMPARISON_ANCHOR = "comparison"
REFERENCE_ANCHOR_PREFIX = "ref-"
MARKER_ANCHOR_PREFIX = "cite-"
MARKER_CLASS = "citation-marker"
ENTRY_CLASS = "reference-entry"
BACK_TO_COMPARISON = f"[↑ Back to the comparison](#{COMPARISON_ANCHOR})"
"""For a reference no marker on the page cites (its forms are not chosen): somewhere to go."""
CITATION_CSS = f"""<style>
.{ENTRY_CLASS} {{ display: block; scroll-margin-top: 4rem; padding: 0.15rem 0.4rem;
  margin: 0 -0.4rem; border-radius: 0.25rem; }}
.{MARKER_CLASS} {{ scroll-margin-top: 5rem; }}
[data-testid="stMarkdownContainer"] .{ENTRY_CLASS}:target,
[data-testid="stMarkdownContainer"] a.{MARKER_CLASS}:target {{
  background-color: light-dark(#fff1b8, #4d3d00); border-radius: 0.2rem;
  box-shadow: inset 0.25rem 0 0 light-dark(#b45309, #fbbf24); }}
[data-testid="stMarkdownContainer"] a.{MARKER_CLASS}:target {{ padding-left: 0.3rem; }}
</style>"""
"""Where a citation jump lands is highlighted (CSS ``:target``, no script): the reference
entry after a marker was clicked, the marker after its "back" link was. A bar as well as a
colour, so the place is seen without telling colours apart; ``light-dark()`` follows the
theme shown. The scroll margin keeps the target clear of the page's top bar. As specific
as Streamlit's own focus ring on Markdown links (``a:focus``), which the jump also sets."""
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


def _letters(index: int) -> str:
    """``0`` → ``a``, ``25`` → ``z``, ``26`` → ``aa``: the labels of a reference's back links."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("a") + rest) + label
    return label


@dataclasses.dataclass
class Citations:
    """The citation markers of one page, in the order they are printed.

    Each marker gets its own id (``cite-<key>-<n>``), so its reference entry can link back
    to every place that cites it, as Wikipedia's ↑ a b c do: after a jump to the list the
    reader returns to the sentence they were reading, not to the top of the page. Make one
    per page run, build every marked text with it, and the reference list last.
    """

    data: SubtypeData
    printed: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    """Reference key → the ids of its markers, in page order."""

    def markers(self, citations: Iterable[str]) -> str:
        """Markers in number order, each linking to its reference, e.g. ``[1][4]``."""
        numbered = sorted((self.data.marker(key), key) for key in citations)
        return "".join(self._marker(number, key) for number, key in numbered)

    def _marker(self, number: int, key: str) -> str:
        target = reference_anchor(key)
        ids = self.printed.setdefault(key, [])
        ids.append(f"{MARKER_ANCHOR_PREFIX}{key}-{len(ids) + 1}")
        return f'<a id="{ids[-1]}" class="{MARKER_CLASS}" href="#{target}">\\[{number}\\]</a>'

    def back_links(self, key: str) -> str:
        """Links from a reference entry back to each marker citing it: ``↑`` for one,
        ``↑ a b c`` for several; the comparison's heading when none is on the page."""
        ids = self.printed.get(key, [])
        number = self.data.marker(key)
        if not ids:
            return BACK_TO_COMPARISON
        if len(ids) == 1:
            return f'<a href="#{ids[0]}" aria-label="Back to where [{number}] is cited">↑</a>'
        return "↑ " + " ".join(
            f'<a href="#{marker}" aria-label="Back to citation [{number}] {_letters(i)}">'
            f"{_letters(i)}</a>"
            for i, marker in enumerate(ids)
        )

    def entry(self, number: int, reference: Reference) -> str:
        """One reference entry: the jump target of its markers (highlighted when jumped to),
        with the way back first, where the eye lands, as Wikipedia puts its ↑."""
        back, body = self.back_links(reference.key), _reference_body(reference)
        text = f"{back} {body}" if self.printed.get(reference.key) else f"{body} {back}"
        anchor = reference_anchor(reference.key)
        return f'<span id="{anchor}" class="{ENTRY_CLASS}">**[{number}]** {text}</span>'


def markers_markdown(
    data: SubtypeData, citations: Iterable[str], cites: Citations | None = None
) -> str:
    """Citation markers in page order, each linking to its own reference, e.g. ``[1][4]``;
    ``cites``: the page's :class:`Citations` (a new one when not given)."""
    return (cites or Citations(data)).markers(citations)


def linked_text(data: SubtypeData, text: str) -> str:
    """Escaped text whose first mention of each glossary term links to the glossary."""
    parts, position = [], 0
    for mention in glossary_mentions(data.glossary, text):
        parts.append(plain(text[position : mention.start]))
        parts.append(f"[{plain(text[mention.start : mention.end])}](#{GLOSSARY_ANCHOR})")
        position = mention.end
    parts.append(plain(text[position:]))
    return "".join(parts)


def cell_markdown(data: SubtypeData, cell: Cell, cites: Citations | None = None) -> str:
    """One table cell: linked text and markers, or the 'no sourced statement' note."""
    if not cell.sourced:
        return f"*{plain(cell.text)}*"
    return f"{linked_text(data, cell.text)} {markers_markdown(data, cell.citations, cites)}"


def comparison_markdown(
    data: SubtypeData, comparison: Comparison, cites: Citations | None = None
) -> str:
    """The comparison as a Markdown table: wraps long text and prints well."""
    cites = cites or Citations(data)
    header = ["Attribute", *(plain(form.label) for form in comparison.forms)]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for attribute in comparison.attributes:
        cells = [
            cell_markdown(data, comparison.cell(attribute.key, f.key), cites)
            for f in comparison.forms
        ]
        lines.append(f"| **{plain(attribute.label)}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def comparison_list_markdown(
    data: SubtypeData, comparison: Comparison, cites: Citations | None = None
) -> str:
    """The comparison row by row, the forms one under another: for a phone, where the
    table's columns do not fit and its row names would scroll out of view."""
    cites = cites or Citations(data)
    blocks = []
    for attribute in comparison.attributes:
        items = [
            f"- **{plain(form.label)}:** "
            + cell_markdown(data, comparison.cell(attribute.key, form.key), cites)
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


def chart_notes_markdown(
    data: SubtypeData, forms: Sequence[str], cites: Citations | None = None
) -> str:
    """What each curve and each threshold line is drawn from, with citation markers."""
    cites = cites or Citations(data)
    notes = [
        f"- **{plain(data.form(key).label)}**: {plain(data.form(key).chart.note)} "
        + cites.markers(data.form(key).chart.citations)
        for key in forms
    ]
    notes += [
        f"- Line at {plain(line.label)} " + cites.markers(line.citations)
        for line in data.chart_lines
    ]
    return "Illustrative only, not a prediction for anyone.\n" + "\n".join(notes)


def glossary_markdown(data: SubtypeData, cites: Citations | None = None) -> str:
    cites = cites or Citations(data)
    return "\n".join(
        f"- **{plain(term.term)}**"
        + (f" (also: {plain(', '.join(term.aliases))})" if term.aliases else "")
        + f": {plain(term.definition)} "
        + cites.markers(term.citations)
        for term in data.glossary
    )


def _reference_body(reference: Reference) -> str:
    note = f" — {plain(reference.note)}" if reference.note else ""
    return f"{plain(reference.citation())} <{reference.url}>{note}"


def reference_markdown(number: int, reference: Reference) -> str:
    """One numbered entry of the reference list; the URL in full so it survives printing."""
    return f"**[{number}]** {_reference_body(reference)}"


def anc_panel(frame: pd.DataFrame, form: str, data: SubtypeData, top: float) -> alt.LayerChart:
    """One form's schematic ANC curve with the cited threshold lines, as wide as its column.

    One panel per form (not overlaid lines) because two forms may be drawn at the same
    level, and one would hide the other; all panels share the y scale ``0..top``.
    """
    import altair as alt
    import pandas as pd

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
