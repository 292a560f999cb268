"""The app's one cached loader: data is read and geocoded once per process, not per session.

``st.cache_resource`` (not ``cache_data``) because the catalog is a tree of frozen
records and the directory frame is never mutated (every filter returns a new frame):
sharing one object avoids un-pickling 100,000 records on every rerun. The cache key
is the data directory plus a cheap signature of its files (names, sizes, mtimes), so
a report dropped into the folder is picked up on the next rerun.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.catalog import Catalog
from explorer.config import data_dir
from explorer.directory import build_catalog, directory_frame
from explorer.models import Disorder

DISORDER_KEY = "disorder"


def data_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of every data file: changes when any file does."""
    if not folder.is_dir():
        return ()
    return tuple(
        (p.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and (stat := p.stat())
    )


@st.cache_resource(show_spinner="Reading reports and placing organizations…", max_entries=4)
def _load(folder: str, signature: tuple) -> tuple[Catalog, pd.DataFrame]:
    catalog = build_catalog(Path(folder))
    return catalog, directory_frame(catalog.organizations)


def get_catalog() -> Catalog:
    """The catalog of the configured data directory."""
    folder = data_dir()
    return _load(str(folder), data_signature(folder))[0]


def get_directory() -> pd.DataFrame:
    """The directory table (one row per organization); treat as read-only."""
    folder = data_dir()
    return _load(str(folder), data_signature(folder))[1]


def selected_disorder() -> Disorder | None:
    """The disorder chosen in the sidebar (the only one when there is one report)."""
    catalog = get_catalog()
    chosen = catalog.disorder(st.session_state.get(DISORDER_KEY) or "")
    return chosen or (catalog.disorders[0] if catalog.disorders else None)
