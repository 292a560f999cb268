"""Streamlit pieces of the subtype comparison page: loader, pickers, table, chart, sources.

Builders (``cell_markdown``, ``comparison_markdown``, ``anc_chart``) are pure and return
Markdown or an Altair chart, so they can be tested without a browser; ``render_*``
functions only place them on the page. Text from the data files is always escaped with
:func:`components.notices.plain`: the only links on the page are the ones built here
(citation markers to ``#references``, glossary words to ``#glossary``, and reference
URLs that the loader has checked are plain http(s)).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from components.data import data_signature
from components.notices import plain, preview
from components.url_params import first_visit, link_values, mirror
from explorer.models import Disorder, ParseIssue
from explorer.subtypes import (
    SUBTYPES_SUBDIR,
    Cell,
    Comparison,
    SubtypeData,
    comparison_csv,
    glossary_mentions,
    load_subtypes,
)

FORMS_KEY = "subtype_forms"
ATTRIBUTES_KEY = "subtype_attributes"
ONLY_DIFF_KEY = "subtype_only_diff"
DOWNLOAD_KEY = "subtype_download"
MAX_FORMS = 4
MIN_FORMS = 2
REFERENCES_ANCHOR = "references"
GLOSSARY_ANCHOR = "glossary"
CSV_NAME = "neutropenia_forms_comparison.csv"
FORM_PARAM, ROW_PARAM, DIFF_PARAM = "form", "row", "diff"
"""Query parameters that make a comparison shareable: ``?form=cyclic&form=autoimmune&diff=1``."""
URL_RESTORED = "subtype_url_restored"
URL_NOTICES = "subtype_url_notices"


@st.cache_data(show_spinner=False, max_entries=4)
def _load(folder: str, signature: tuple) -> tuple[SubtypeData | None, list[ParseIssue]]:
    return load_subtypes(Path(folder))


def load_subtype_data(folder: Path) -> tuple[SubtypeData | None, list[ParseIssue]]:
    """The curated subtype data of ``folder``, cached by its path and a file signature.

    The signature (names, sizes, mtimes of ``subtypes/``) is part of the key so an
    edited statement shows on the next rerun without restarting the app.
    """
    return _load(str(folder), data_signature(folder / SUBTYPES_SUBDIR))


def show_issues(issues: Iterable[ParseIssue]) -> None:
    """Errors always visible, warnings folded away; each names its file and line."""
    issues = list(issues)
    for issue in issues:
        if issue.severity == "error":
            st.error(f"`{issue.file}:{issue.line}` {plain(issue.message)}", icon=":material/error:")
    warnings = [issue for issue in issues if issue.severity != "error"]
    if warnings:
        with st.expander(f"{len(warnings)} warning(s) in the subtype data"):
            st.markdown("\n".join(f"- `{w.file}:{w.line}` {plain(w.message)}" for w in warnings))


def report_names(disorder: Disorder | None) -> tuple[str, ...]:
    """The report's synonyms then subdivisions: the names a reader may arrive with."""
    return (*disorder.synonyms, *disorder.subdivisions) if disorder else ()


def default_forms(data: SubtypeData, mapping: dict[str, str | None]) -> list[str]:
    """The forms the report names, in data order, or every form if it names fewer than two."""
    named = {form for form in mapping.values() if form}
    chosen = [form.key for form in data.forms if form.key in named]
    return (chosen if len(chosen) >= MIN_FORMS else [form.key for form in data.forms])[:MAX_FORMS]


def markers_markdown(markers: Iterable[int]) -> str:
    """Citation markers as links to the reference list, e.g. ``[1][4]``."""
    return "".join(f"[\\[{n}\\]](#{REFERENCES_ANCHOR})" for n in sorted(markers))


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
    return f"{linked_text(data, cell.text)} {markers_markdown(cell.markers)}"


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


def anc_chart(frame: pd.DataFrame) -> alt.FacetChart:
    """One small schematic ANC-over-time panel per form, on a shared scale.

    Separate panels (not overlaid lines) because two forms may be drawn at the same
    level, and one would hide the other; they also print legibly in grey.
    """
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=alt.X("day:Q", title="Day"),
            y=alt.Y("anc:Q", title="ANC (×10⁹/L)", scale=alt.Scale(domainMin=0)),
            color=alt.Color("form:N", legend=None),
        )
        .properties(height=110)
        .facet(row=alt.Row("form:N", title=None, sort=list(dict.fromkeys(frame["form"]))))
        .properties(
            title=alt.TitleParams(
                "Illustrative ANC pattern (not real patient data)",
                subtitle="Shapes drawn from the cited statements; real counts vary.",
            )
        )
    )


def restore_from_url(data: SubtypeData) -> None:
    """Copy a shared link's forms, rows and switch into the pickers, once per session.

    Values are checked against the curated keys; unknown ones are dropped with a notice
    that echoes them only as short, escaped text (see :func:`show_url_notices`).
    """
    if not first_visit(URL_RESTORED):
        return
    params, notices = st.query_params, []
    for param, key, allowed, least, most in (
        (FORM_PARAM, FORMS_KEY, [form.key for form in data.forms], MIN_FORMS, MAX_FORMS),
        (ROW_PARAM, ATTRIBUTES_KEY, [attribute.key for attribute in data.attributes], 1, None),
    ):
        known, unknown = link_values(param, allowed)
        known = known[:most]
        if unknown:
            notices.append(f"Ignored unknown {param} “{preview(unknown[0])}” in the link.")
        if len(known) >= least:  # a single known form cannot be compared: keep the defaults
            st.session_state[key] = known
    if DIFF_PARAM in params:
        if params[DIFF_PARAM] == "1":
            st.session_state[ONLY_DIFF_KEY] = True
        else:
            value = preview(params[DIFF_PARAM])
            notices.append(f"Ignored unknown {DIFF_PARAM} “{value}” in the link.")
    st.session_state[URL_NOTICES] = notices


def show_url_notices() -> None:
    for notice in st.session_state.get(URL_NOTICES, []):
        st.info(notice, icon=":material/link_off:")


def write_to_url(
    data: SubtypeData, forms: Sequence[str], default: Sequence[str], attributes: Sequence[str]
) -> None:
    """Mirror choices that differ from the defaults into the query string (a shareable link).

    No chosen row at all is not written: the link then shows every row, not an empty table.
    """
    attribute_keys = [attribute.key for attribute in data.attributes]
    mirror(
        {
            FORM_PARAM: list(forms) if list(forms) != list(default) else None,
            ROW_PARAM: list(attributes)
            if attributes and list(attributes) != attribute_keys
            else None,
            DIFF_PARAM: "1" if st.session_state.get(ONLY_DIFF_KEY) else None,
        }
    )


def _unless_restored(key: str, default: list[str]) -> list[str] | None:
    """The picker's default, or None when a link already put its value in session state
    (Streamlit warns when a widget gets both)."""
    return None if key in st.session_state else default


def form_picker(data: SubtypeData, default: Sequence[str]) -> list[str]:
    labels = {form.key: form.label for form in data.forms}
    return st.multiselect(
        "Forms to compare (2 to 4)",
        options=list(labels),
        default=_unless_restored(FORMS_KEY, list(default)),
        format_func=labels.__getitem__,
        max_selections=MAX_FORMS,
        key=FORMS_KEY,
    )


def attribute_picker(data: SubtypeData) -> list[str]:
    labels = {attribute.key: attribute.label for attribute in data.attributes}
    return st.multiselect(
        "What to compare",
        options=list(labels),
        default=_unless_restored(ATTRIBUTES_KEY, list(labels)),
        format_func=labels.__getitem__,
        key=ATTRIBUTES_KEY,
    )


def differences_switch() -> bool:
    return st.toggle(
        "Show only rows that differ",
        key=ONLY_DIFF_KEY,
        help="Hide rows where every chosen form has the same statement.",
    )


def render_about(data: SubtypeData, mapping: dict[str, str | None]) -> None:
    """Review date, the classification caveat, and how the report's names map to forms."""
    st.caption(f"Table last reviewed: {data.last_reviewed:%d %B %Y}")
    markers = [data.marker(key) for key in data.classification_citations]
    st.info(
        f"{plain(data.classification_note)} {markers_markdown(markers)}",
        icon=":material/account_tree:",
    )
    if mapping:
        labels = {form.key: form.label for form in data.forms}
        st.markdown(
            "**Names in the report and the form they refer to:**\n"
            + "\n".join(
                f"- {plain(name)} → "
                + (f"**{plain(labels[form])}**" if form else "not one of the forms compared here")
                for name, form in mapping.items()
            )
        )


def render_comparison(data: SubtypeData, comparison: Comparison) -> None:
    if not comparison.attributes:
        st.info("No rows to show: no attribute is chosen, or the chosen forms agree on all.")
        return
    st.markdown(comparison_markdown(data, comparison))
    st.download_button(
        "Download this comparison (CSV)",
        data=comparison_csv(data, comparison),
        file_name=CSV_NAME,
        mime="text/csv",
        icon=":material/download:",
        key=DOWNLOAD_KEY,
    )


def render_anc_chart(data: SubtypeData, forms: Sequence[str], frame: pd.DataFrame) -> None:
    st.header("Neutrophil count over time, schematically")
    st.altair_chart(anc_chart(frame), alt="Illustrative ANC over time for the chosen forms")
    notes = [
        f"- **{plain(data.form(key).label)}**: {plain(data.form(key).chart.note)} "
        + markers_markdown(data.marker(ref) for ref in data.form(key).chart.citations)
        for key in forms
    ]
    st.caption("Illustrative only, not a prediction for anyone.\n" + "\n".join(notes))


def render_glossary(data: SubtypeData) -> None:
    st.header("Glossary", anchor=GLOSSARY_ANCHOR)
    st.markdown(
        "\n".join(
            f"- **{plain(term.term)}**"
            + (f" (also: {plain(', '.join(term.aliases))})" if term.aliases else "")
            + f": {plain(term.definition)} "
            + markers_markdown(data.marker(key) for key in term.citations)
            for term in data.glossary
        )
    )


def render_references(data: SubtypeData) -> None:
    """Numbered list matching the markers; the URL is shown in full so it survives printing."""
    st.header("References", anchor=REFERENCES_ANCHOR)
    st.markdown(
        "\n".join(
            f"- **[{number}]** {plain(reference.citation())} <{reference.url}>"
            + (f" — {plain(reference.note)}" if reference.note else "")
            for number, reference in enumerate(data.references, start=1)
        )
    )


def render_not_curated(disorder: Disorder) -> None:
    """For a disorder whose report names match no curated form: its subdivisions, said plainly."""
    st.info(
        f"No comparison of forms has been curated for **{plain(disorder.title)}** yet. "
        "Its report lists these subdivisions:",
        icon=":material/info:",
    )
    names = disorder.subdivisions or ("(none listed)",)
    st.markdown("\n".join(f"- {plain(name)}" for name in names))
