"""Streamlit pieces of the subtype comparison page: loader, pickers and rendering.

What is shown is built by the pure functions of :mod:`components.subtype_text`
(Markdown and Altair charts, tested without a browser); this module only reads the
pickers and the link, and places those builders' output on the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from components.subtype_text import (
    GLOSSARY_ANCHOR,
    MAX_FORMS,
    MIN_FORMS,
    REFERENCES_ANCHOR,
    about_markdown,
    anc_panel,
    anchor_html,
    chart_notes_markdown,
    chart_top,
    comparison_markdown,
    glossary_markdown,
    markers_markdown,
    reference_markdown,
)
from components.text import plain, preview
from components.url_params import first_visit, link_values, mirror
from explorer.models import Disorder, ParseIssue
from explorer.subtypes import (
    Comparison,
    SubtypeData,
    comparison_csv,
)

FORMS_KEY = "subtype_forms"
ATTRIBUTES_KEY = "subtype_attributes"
ONLY_DIFF_KEY = "subtype_only_diff"
DOWNLOAD_KEY = "subtype_download"
CSV_NAME = "neutropenia_forms_comparison.csv"
FORM_PARAM, ROW_PARAM, DIFF_PARAM = "form", "row", "diff"
"""Query parameters that make a comparison shareable: ``?form=cyclic&form=autoimmune&diff=1``."""
URL_RESTORED = "subtype_url_restored"
URL_NOTICES = "subtype_url_notices"


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
    st.info(
        f"{plain(data.classification_note)} "
        f"{markers_markdown(data, data.classification_citations)}",
        icon=":material/account_tree:",
    )
    if mapping:
        st.markdown(about_markdown(data, mapping))


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
    st.caption(chart_notes_markdown(data, forms))


def render_glossary(data: SubtypeData) -> None:
    st.header("Glossary", anchor=GLOSSARY_ANCHOR)
    st.markdown(glossary_markdown(data))


def render_references(data: SubtypeData) -> None:
    """Numbered list matching the markers; each entry is its markers' jump target.

    The anchor is the only HTML on the page and is built from the validated key alone;
    the entry's text goes through plain Markdown like everything else.
    """
    st.header("References", anchor=REFERENCES_ANCHOR)
    with st.container(gap=None):
        for number, reference in enumerate(data.references, start=1):
            st.markdown(anchor_html(reference.key), unsafe_allow_html=True)
            st.markdown(reference_markdown(number, reference))


def render_not_curated(disorder: Disorder) -> None:
    """For a disorder whose report names match no curated form: its subdivisions, said plainly."""
    st.info(
        f"No comparison of forms has been curated for **{plain(disorder.title)}** yet. "
        "Its report lists these subdivisions:",
        icon=":material/info:",
    )
    names = disorder.subdivisions or ("(none listed)",)
    st.markdown("\n".join(f"- {plain(name)}" for name in names))
