"""Streamlit pieces of the subtype comparison page: loader, pickers and rendering.

What is shown is built by the pure functions of :mod:`components.subtype_text`
(Markdown and Altair charts, tested without a browser); this module only reads the
pickers and the link, and places those builders' output on the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from components import page_state
from components.subtype_text import (
    CITATION_CSS,
    COMPARISON_ANCHOR,
    GLOSSARY_ANCHOR,
    MAX_FORMS,
    MIN_FORMS,
    REFERENCES_ANCHOR,
    Citations,
    about_markdown,
    anc_panel,
    chart_notes_markdown,
    chart_top,
    comparison_list_markdown,
    comparison_markdown,
    glossary_markdown,
)
from components.text import plain
from explorer.models import Disorder, ParseIssue
from explorer.subtypes import (
    Comparison,
    SubtypeData,
    comparison_csv,
)

FORMS_KEY, ATTRIBUTES_KEY, ONLY_DIFF_KEY = (
    page_state.FORMS,
    page_state.ROWS,
    page_state.ONLY_DIFFERENCES,
)
FLAG = page_state.FLAG
PAGE = "pages/subtypes.py"
DOWNLOAD_KEY = "subtype_download"
LAYOUT_KEY = "subtype_layout"
LAYOUTS = ("Table", "List, form by form")
CSV_NAME = "neutropenia_forms_comparison.csv"


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


def restore_from_url(data: SubtypeData) -> None:
    """Before the pickers are drawn: an old link's tokens (``form=cyclic``, ``diff=1``)
    become their labels, once per session; unknown values are dropped with a short, escaped
    notice (:func:`show_url_notices`). A link with fewer than two known forms gets the
    default forms (one form cannot be compared)."""
    forms = {form.key: form.label for form in data.forms}
    rows = {attribute.key: attribute.label for attribute in data.attributes}
    page_state.translate_link(
        "subtypes",
        PAGE,
        {FORMS_KEY: lambda: forms, ATTRIBUTES_KEY: lambda: rows, ONLY_DIFF_KEY: lambda: FLAG},
        least={FORMS_KEY: MIN_FORMS},
    )


def show_url_notices() -> None:
    for notice in page_state.link_notices(FORMS_KEY, ATTRIBUTES_KEY, ONLY_DIFF_KEY):
        st.info(notice, icon=":material/link_off:")


def pickers(data: SubtypeData, default_forms: Sequence[str]) -> tuple[list[str], list[str], bool]:
    """The forms (the page's default forms unless changed), the rows (every row unless
    changed) and the "only differences" switch, each in the link (:data:`~page_state.BOUND`)."""
    forms_chosen = _form_picker(data, default_forms)
    rows_chosen = _attribute_picker(data)
    only_differences = st.toggle(
        "Show only rows that differ",
        key=ONLY_DIFF_KEY,
        help="Hide rows where every chosen form has the same statement.",
        **page_state.BOUND,
    )
    return forms_chosen, rows_chosen, only_differences


def _form_picker(data: SubtypeData, default_forms: Sequence[str]) -> list[str]:
    labels = {form.key: form.label for form in data.forms}
    return st.multiselect(
        "Forms to compare (2 to 4)",
        options=list(labels),
        default=list(default_forms),
        format_func=labels.__getitem__,
        max_selections=MAX_FORMS,
        key=FORMS_KEY,
        **page_state.BOUND,
    )


def _attribute_picker(data: SubtypeData) -> list[str]:
    labels = {attribute.key: attribute.label for attribute in data.attributes}
    return st.multiselect(
        "What to compare",
        options=list(labels),
        default=list(labels),
        format_func=labels.__getitem__,
        key=ATTRIBUTES_KEY,
        **page_state.BOUND,
    )


def citations(data: SubtypeData) -> Citations:
    """The page's citation markers (one per run, handed to every render below), and the
    style that highlights where a citation jump lands (a ``<style>`` only ``st.html`` takes
    no room on the page)."""
    st.html(CITATION_CSS)
    return Citations(data)


def render_about(data: SubtypeData, mapping: dict[str, str | None], cites: Citations) -> None:
    """Review date, the classification caveat, and how the report's names map to forms.

    The caveat is in a bordered box rather than ``st.info``, whose Markdown drops HTML: its
    citation markers need ids for the references' links back to them.
    """
    st.caption(f"Table last reviewed: {data.last_reviewed:%d %B %Y}")
    with st.container(border=True, key="classification_note"):
        st.markdown(
            f":material/account_tree: {plain(data.classification_note)} "
            f"{cites.markers(data.classification_citations)}",
            unsafe_allow_html=True,
        )
    if mapping:
        st.markdown(about_markdown(data, mapping))


def render_comparison(
    data: SubtypeData,
    comparison: Comparison,
    cites: Citations,
    *,
    only_differences: bool = False,
    asked: int = 0,
) -> None:
    """The table and its download. With "only rows that differ" on, a word when the switch
    hid nothing (``asked``: how many rows were asked for), so it does not look broken."""
    st.subheader("Side by side", anchor=COMPARISON_ANCHOR)
    if not comparison.attributes:
        st.info("No rows to show: no attribute is chosen, or the chosen forms agree on all.")
        return
    if only_differences and len(comparison.attributes) == asked:
        st.caption(
            "Every row differs between the chosen forms, so “Show only rows that differ” "
            "hides none."
        )
    layout = st.segmented_control(
        "Show the comparison as",
        LAYOUTS,
        default=LAYOUTS[0],
        required=True,
        key=LAYOUT_KEY,
        persist_state="session",
        help="On a phone, a list keeps each row's name in view.",
    )
    if layout == LAYOUTS[1]:
        st.markdown(comparison_list_markdown(data, comparison, cites), unsafe_allow_html=True)
    else:
        # A box that scrolls sideways by itself: on a 390 px phone the table (about 650 px)
        # must not make the whole page, fever notice included, scroll sideways.
        with st.container(horizontal=True, wrap=False, key="comparison_box"):
            st.markdown(
                comparison_markdown(data, comparison, cites),
                width="content",
                unsafe_allow_html=True,
            )
    st.download_button(
        "Download this comparison (CSV)",
        data=comparison_csv(data, comparison),
        file_name=CSV_NAME,
        mime="text/csv",
        icon=":material/download:",
        key=DOWNLOAD_KEY,
    )


def render_anc_chart(
    data: SubtypeData, forms: Sequence[str], frame: pd.DataFrame, cites: Citations
) -> None:
    """One full-width panel per form on a shared scale, the threshold lines labelled."""
    st.header("Neutrophil count over time, schematically")
    st.caption(
        "Illustrative ANC pattern (not real patient data): shapes drawn from the cited "
        "statements; real counts vary."
    )
    top = chart_top(frame, data)
    for label in dict.fromkeys(frame["form"]):
        st.altair_chart(
            anc_panel(frame, label, data, top),
            width="stretch",
            alt=f"Illustrative ANC over time for {label}",
        )
    st.caption(chart_notes_markdown(data, forms, cites), unsafe_allow_html=True)


def render_glossary(data: SubtypeData, cites: Citations) -> None:
    st.header("Glossary", anchor=GLOSSARY_ANCHOR)
    st.markdown(glossary_markdown(data, cites), unsafe_allow_html=True)


def render_references(data: SubtypeData, cites: Citations) -> None:
    """Numbered list matching the markers, drawn after every marked text (``cites`` then
    knows them all). Each entry is its markers' jump target, highlighted when jumped to,
    and links back to each marker that cites it (the browser's Back button does not undo a
    jump within the page).

    The ids and links are the only HTML, built from validated keys alone; the entry's text
    is escaped Markdown like everything else.
    """
    st.header("References", anchor=REFERENCES_ANCHOR)
    with st.container(gap=None):
        for number, reference in enumerate(data.references, start=1):
            st.markdown(cites.entry(number, reference), unsafe_allow_html=True)


def render_not_curated(disorder: Disorder) -> None:
    """For a disorder whose report names match no curated form: its subdivisions, said plainly."""
    st.info(
        f"No comparison of forms has been curated for **{plain(disorder.title)}** yet. "
        "Its report lists these subdivisions:",
        icon=":material/info:",
    )
    names = disorder.subdivisions or ("(none listed)",)
    st.markdown("\n".join(f"- {plain(name)}" for name in names))
