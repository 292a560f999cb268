"""Messages every page may show: data problems, the medical notice, safe text."""

from __future__ import annotations

import re

import streamlit as st

from explorer.catalog import Catalog

MEDICAL_NOTICE = (
    "This site is for information only and is **not medical advice**. It does not replace "
    "the advice of a doctor: talk to your care team about diagnosis and treatment."
)
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def plain(text: str) -> str:
    """Text from data, escaped so Markdown shows it literally (no links, no HTML, no styling)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def medical_notice() -> None:
    st.info(MEDICAL_NOTICE, icon=":material/medical_information:")


def show_data_problems(catalog: Catalog) -> None:
    """Errors always visible, warnings folded away; each names its file and line."""
    for issue in catalog.errors:
        where = f"{issue.file}:{issue.line}" if issue.line else issue.file
        st.error(f"Data problem in `{where}`: {plain(issue.message)}", icon=":material/error:")
    warnings = [issue for issue in catalog.issues if issue.severity == "warning"]
    if warnings:
        with st.expander(f"{len(warnings)} data warning(s) — the rest of the data is shown"):
            st.dataframe(
                [{"file": w.file, "line": w.line, "warning": w.message} for w in warnings],
                hide_index=True,
            )
