"""Messages every page may show: the safety notice, data problems and faults.

The text helpers (:func:`plain`, :func:`preview`, :func:`link`) live in
:mod:`components.text`.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import streamlit as st

from components.data import current_guidance
from components.text import MISSING, link, plain
from explorer.catalog import Catalog
from explorer.config import DATA_DIR_ENV, data_dir
from explorer.gazetteer_packages import MissingPackageError
from explorer.links import is_allowed_link
from explorer.subtypes import (
    FEVER,
    Advice,
    Guidance,
    Reference,
)

__all__ = [
    "MEDICAL_NOTICE",
    "advice_markdown",
    "explain_faults",
    "fever_details_markdown",
    "fever_rule_markdown",
    "named_sources",
    "safety_notice",
    "show_data_errors",
    "show_data_warnings",
    "source_name",
    "sources_markdown",
]

MEDICAL_NOTICE = (
    "For information only, **not medical advice**: talk to your care team about diagnosis "
    "and treatment."
)
NO_FEVER_RULE = (
    "The fever guidance could not be read from the data. If you are worried about someone "
    "with neutropenia, contact their care team now."
)
"""Shown instead of the fever rule when ``guidance.csv`` has none: no threshold we cannot cite."""


def sources_markdown(references: Iterable[Reference], citations: Iterable[str]) -> str:
    """Links to the cited sources themselves, for pages with no reference list of their own.

    Each link's target is a URL the loader checked; its label is the escaped title.
    """
    by_key = {reference.key: reference for reference in references}
    links = [link(by_key[key].title, by_key[key].url) for key in citations if key in by_key]
    return f"(Source: {'; '.join(links)})" if links else ""


def advice_markdown(guidance: Guidance, advice: Advice) -> str:
    """One piece of advice, escaped, followed by links to its sources."""
    return f"{plain(advice.text)} {sources_markdown(guidance.references, advice.citations)}"


def source_name(reference: Reference) -> str:
    """A short name a reader recognises, e.g. "GeneReviews 2018" or "NICE 2012": the
    publisher's acronym in brackets, else its name up to the first comma, bracket or
    volume number, then the year (a link named "1" says nothing about where it leads)."""
    acronym = re.search(r"\(([A-Z]{2,})\)", reference.publisher)
    name = acronym[1] if acronym else re.split(r"[,(]|\s\d", reference.publisher)[0].strip()
    year = reference.year if reference.year[:1].isdigit() else ""
    return " ".join(part for part in (name or reference.title, year) if part)


def named_sources(guidance: Guidance, citations: Iterable[str]) -> str:
    """Short links named by their source, e.g. ``Sources: GeneReviews 2018 · NICE 2012``."""
    links = [
        link(source_name(guidance.reference(key)), guidance.reference(key).url)
        for key in citations
        if is_allowed_link(guidance.reference(key).url)
    ]
    return f"Sources: {' · '.join(links)}" if links else ""


@functools.lru_cache(maxsize=8)
def fever_rule_markdown(guidance: Guidance) -> str:
    """The always-visible line: the first fever row and its sources, named (built once per
    guidance read, not on every page run: every page of every session shows it)."""
    fever = guidance.topic(FEVER)
    if not fever:
        return NO_FEVER_RULE
    return f"{plain(fever[0].text)} {named_sources(guidance, fever[0].citations)}"


@functools.lru_cache(maxsize=8)
def fever_details_markdown(guidance: Guidance) -> str:
    """The other fever rows with their sources, then the full titles behind the line's names
    (built once per guidance read, as :func:`fever_rule_markdown`)."""
    fever = guidance.topic(FEVER)
    if not fever:
        return ""
    titles = [
        f"- {plain(source_name(guidance.reference(key)))}: "
        f"{link(guidance.reference(key).title, guidance.reference(key).url)}"
        for key in fever[0].citations
    ]
    return "\n".join(
        [f"- {advice_markdown(guidance, a)}" for a in fever[1:]]
        + ["", "**Sources of the line above:**", *titles]
    )


def safety_notice() -> None:
    """The fever rule and the not-medical-advice line, compact enough for a phone.

    The first ``fever`` row is one always-visible line with short named links to its
    sources; the other rows and the sources' titles wait in an expander, so the page's
    own content starts near the top of a 390 px screen.
    """
    guidance = current_guidance()
    st.warning(fever_rule_markdown(guidance), icon=":material/thermometer:")
    details = fever_details_markdown(guidance)
    if details:
        with st.expander("What to do if there is a fever, and why"):
            st.markdown(details)
    st.caption(MEDICAL_NOTICE)


@contextlib.contextmanager
def explain_faults() -> Iterator[None]:
    """Turn a missing package or an unreadable data folder into a message saying how to fix it.

    Wraps the whole run in ``app.py``: a visitor sees what is wrong instead of a traceback.
    """
    try:
        yield
    except MissingPackageError as exc:
        st.error(plain(str(exc)), icon=":material/extension_off:")
        st.stop()
    except OSError as exc:
        what = plain(_visible_path(exc.filename) or "a data file")
        st.error(
            f"The app cannot read {what}: {plain(exc.strerror or str(exc))}. Check that the "
            f"data directory exists and is readable by the app (or point {DATA_DIR_ENV} at "
            "one that is), then reload. `python -m explorer check` names the problem too.",
            icon=":material/folder_off:",
        )
        st.stop()


def _visible_path(filename: object) -> str:
    """A path as a visitor may see it: relative to the data folder, else its name only (the
    server's own folders are none of a visitor's business)."""
    if not filename:
        return ""
    path = Path(str(filename))
    try:
        return path.relative_to(data_dir()).as_posix()
    except ValueError:
        return path.name


def show_data_errors(catalog: Catalog) -> None:
    """Errors stay visible on every page, each naming its file and line."""
    for issue in catalog.errors:
        where = (f"{issue.file}:{issue.line}" if issue.line else issue.file).replace("`", "'")
        st.error(f"Data problem in `{where}`: {plain(issue.message)}", icon=":material/error:")


def show_data_warnings(catalog: Catalog) -> None:
    """Warnings are for maintainers: folded away in one place, each naming file and line."""
    warnings = [issue for issue in catalog.issues if issue.severity == "warning"]
    if warnings:
        with st.expander(
            f"For maintainers: {len(warnings)} data warning(s) — the rest of the data is shown"
        ):
            st.caption("`python -m explorer check` lists the same warnings.")
            st.dataframe(
                # Line 0 means "the whole file": shown as the table's empty mark, not as 0.
                [{"file": w.file, "line": w.line or None, "warning": w.message} for w in warnings],
                hide_index=True,
                placeholder=MISSING,
            )
