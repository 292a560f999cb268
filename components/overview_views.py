"""The Overview's sections beyond the report's own text: its names and forms as the report
means them, the report that replaced it, the terms it uses, and when to see a specialist.

Builders return Markdown (tested without a browser); ``render_*`` place it on the page.
Text from data is escaped with :func:`components.text.plain`; the only links are to
reference URLs the loader has checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath

import streamlit as st

from components.data import current_guidance, load_subtype_data
from components.notices import advice_markdown, sources_markdown
from components.subtype_text import report_names
from components.text import link, plain
from explorer.models import Disorder
from explorer.subtypes import (
    SEE_HAEMATOLOGIST,
    Guidance,
    SubtypeData,
    glossary_mentions,
    is_curated_for,
)

NO_OTHER_NAMES = "No other names listed."
NO_SUBDIVISIONS = "No subdivisions listed."
NOT_CURATED = (
    "No advice or comparison of forms has been curated for **{title}** yet. They are added "
    "in the data folder's `subtypes/`: the report's names for each form in `forms.csv` "
    "(`report_names`), what sources say about each form in `statements.csv`, and the cited "
    "advice in `guidance.csv`."
)
"""Said instead of another disorder's advice: curated content is per disorder."""


def names_markdown(names: Iterable[str], empty: str) -> str:
    """A bullet list of names from the report, or ``empty`` said in words."""
    return "\n".join(f"- {plain(name)}" for name in names) or empty


def successor_markdown(data: SubtypeData, disorder: Disorder) -> str:
    """The newer report that replaces this one, linked, and what changed; "" when none."""
    successor = data.successor(PurePosixPath(disorder.source.file).name)
    if successor is None:
        return ""
    reference = data.reference(successor.reference)
    when = f" ({plain(reference.year)})" if reference.year.isdigit() else ""
    return (
        f"**Newer report:** {link(reference.title, reference.url)}{when}, "
        f"{plain(reference.publisher)}. {plain(successor.note)}"
    )


def terms_markdown(data: SubtypeData, texts: Iterable[str]) -> str:
    """Definitions of the glossary terms the texts use, each with its sources; "" if none."""
    mentioned = {}
    for text in texts:
        for mention in glossary_mentions(data.glossary, text):
            mentioned.setdefault(mention.term.term, mention.term)
    return "\n".join(
        f"- **{plain(term.term)}**: {plain(term.definition)} "
        + sources_markdown(data.references, term.citations)
        for term in mentioned.values()
    )


def see_haematologist_markdown(guidance: Guidance) -> str:
    """The cited reasons to see a haematologist, as a list; "" when the data has none."""
    return "\n".join(f"- {advice_markdown(guidance, a)}" for a in guidance.topic(SEE_HAEMATOLOGIST))


def curated(data: SubtypeData | None, disorder: Disorder) -> bool:
    """Whether the curated comparison and advice are this disorder's (the Subtypes page's
    own test, so the link never leads to a page with nothing curated)."""
    return data is not None and is_curated_for(data, report_names(disorder))


def render_names(disorder: Disorder) -> None:
    """Other names and the subdivisions, as the report means them, and its successor; the
    link to the comparison only for a disorder that has one."""
    data, _ = load_subtype_data()
    names, subdivisions = st.columns(2)
    with names:
        st.header("Also known as")
        st.markdown(names_markdown(disorder.synonyms, NO_OTHER_NAMES))
    with subdivisions:
        st.header("Disorder subdivisions")
        st.markdown(names_markdown(disorder.subdivisions, NO_SUBDIVISIONS))
        for correction in disorder.corrections:
            st.caption(plain(correction))
        if curated(data, disorder):
            st.page_link("pages/subtypes.py", label="Compare the forms", icon=":material/compare:")
    successor = successor_markdown(data, disorder) if data else ""
    if successor:
        st.info(successor, icon=":material/update:")


def render_terms(texts: Iterable[str]) -> None:
    """What the report's abbreviations and jargon mean, right under the text using them."""
    data, _ = load_subtype_data()
    terms = terms_markdown(data, texts) if data else ""
    if terms:
        st.caption("Terms used above:\n" + terms)


def render_see_haematologist(disorder: Disorder) -> None:
    """The cited reasons to see a haematologist, for the disorder they were written for;
    for another, where its advice would be added."""
    if not curated(load_subtype_data()[0], disorder):
        st.info(NOT_CURATED.format(title=plain(disorder.title)), icon=":material/info:")
        return
    reasons = see_haematologist_markdown(current_guidance())
    if reasons:
        st.header("When to see a haematologist")
        st.markdown(reasons)
