"""The app's one cached loader: data is read and geocoded once per process, not per session.

``st.cache_resource`` (not ``cache_data``) because the catalog is a tree of frozen
records and the directory frame is never mutated (every filter returns a new frame):
sharing one object avoids un-pickling 100,000 records on every rerun. The cache key
is the data directory plus a cheap signature of its files (names, sizes, mtimes), so
a report dropped into the folder is picked up on the next rerun.

Below that, :mod:`explorer.cache` keeps the built catalog and directory (with the
map's pre-serialised points) on disk, so a new process reads them back in under a
second instead of parsing and geocoding again.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import pandas as pd
import streamlit as st

from components import org_map
from explorer.cache import CORE_SOURCES, load_or_build
from explorer.catalog import Catalog
from explorer.config import data_dir
from explorer.directory import build_catalog, directory_frame
from explorer.models import Disorder, Organization

DISORDER_KEY = "disorder"
CACHE_SOURCES = (*CORE_SOURCES, Path(org_map.__file__), Path(__file__))
"""The code whose output the disk cache holds (the core, the map's points, this loader)."""


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


@st.cache_resource(show_spinner="Reading reports and placing organizations…", max_entries=4)
def _load(folder: str, signature: tuple) -> Loaded:
    (catalog, frame), cache_issues = load_or_build(
        Path(folder),
        signature,
        lambda: build(Path(folder)),
        expect=(Catalog, pd.DataFrame),
        sources=CACHE_SOURCES,
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
    """Everything loaded from the configured data directory (cached per process)."""
    folder = data_dir()
    return _load(str(folder), data_signature(folder))


def build(folder: Path) -> tuple[Catalog, pd.DataFrame]:
    """The catalog and its directory frame, with the map points serialised once."""
    catalog = build_catalog(folder)
    return catalog, org_map.with_map_points(directory_frame(catalog.organizations))


def get_catalog() -> Catalog:
    """The catalog of the configured data directory."""
    return loaded().catalog


def get_directory() -> pd.DataFrame:
    """The directory table (one row per organization); treat as read-only."""
    return loaded().directory


def selected_disorder() -> Disorder | None:
    """The disorder chosen in the sidebar (the only one when there is one report)."""
    catalog = get_catalog()
    chosen = catalog.disorder(st.session_state.get(DISORDER_KEY) or "")
    return chosen or (catalog.disorders[0] if catalog.disorders else None)
