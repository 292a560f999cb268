"""The data pipeline, named once: a data folder → the catalog → the directory with map points.

:func:`build_catalog` is what the app's loader, the CLI, the benchmark and the tests build
from a data folder, so all of them see the same data and the same problems. Each step
lives with its job: reading and merging reports (:mod:`explorer.catalog`), the curated
contact status (:mod:`explorer.reading.contact_status`) and type rules
(:mod:`explorer.reading.classify`),
placing addresses (:mod:`explorer.places.geocode`). :func:`build_stored` makes the same
build into the directory table with each organization's map point: the value the app's disk
cache keeps, keyed on this module and every module it imports
(:func:`explorer.cache.sources_of`). For a large report it uses both cores to the end: a
worker process finishes the last organizations and makes their table rows while this
process does the first (:meth:`_Finishing.finished_here_and_rows_elsewhere`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import multiprocessing
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import NamedTuple, TypeVar

import pyarrow as pa

from explorer.catalog import (
    Catalog,
    FileReader,
    Progress,
    currency,
    merged_listings,
    phones_for_country,
    read_reports,
)
from explorer.cold_build import (
    LOADING_PLACES,
    reports_beside_gazetteer,
    reports_in_workers,
    start_workers,
    usable_cores,
)
from explorer.gc_pause import gc_paused
from explorer.models import Address, Disorder, Location, Organization, ParseIssue
from explorer.pickled_records import BLOCK_ROWS, Concatenated, PickledRecords
from explorer.places.gazetteer import load_gazetteer
from explorer.places.geocode import placer
from explorer.reading.classify import Override, load_overrides, make_classifier
from explorer.reading.contact_status import (
    Correction,
    load_contact_status,
    make_corrector,
    unmatched_corrections,
)
from explorer.stored import (
    StoredDirectory,
    TableRows,
    directory_table,
    stored_directory,
    table_rows,
)

PLACING = "Placing organizations"
BUILDING_MAP = "Building the directory and the map"
PROGRESS_STEP = 5_000
"""Organizations placed between two progress reports."""
FINISH_ELSEWHERE_MIN = 50_000
"""Organizations from which a worker process finishes part of them (a large report kept
pickled): below, its start (about a second of CPU, the place names read back) and the
records sent back cost more than the worker saves."""
FINISHED_HERE = 0.6
"""The part of the organizations this process finishes when a worker finishes the rest
and makes their rows: this process also started the worker, waits for its rows and joins
them to its own."""

log = logging.getLogger(__name__)
T = TypeVar("T")
Reports = tuple[Sequence[Disorder], Sequence[ParseIssue]]
"""Reports as :func:`~explorer.catalog.read_reports` gives them: disorders, and problems met."""


def read_catalog(data_dir: Path, read_files: FileReader | None = None) -> Catalog:
    """The reports of ``data_dir`` read, nothing merged, typed or placed: what a page that
    shows no directory needs (the disorders' text), without waiting for the place names.

    Its ``organizations`` are empty and its issues are those of reading the reports; hand
    ``(catalog.disorders, catalog.issues)`` to :func:`build_catalog` so they are not read
    twice. Several report files are parsed in worker processes (``read_files``, by default
    :func:`~explorer.cold_build.reports_in_workers`).
    """
    with gc_paused():
        disorders, issues = read_reports(data_dir, read_files or reports_in_workers())
    return Catalog(
        data_dir=data_dir, disorders=tuple(disorders), organizations=(), issues=tuple(issues)
    )


def curation_issues(data_dir: Path) -> tuple[ParseIssue, ...]:
    """The problems of the curated type rules and contact status (as :func:`build_catalog`
    lists them), for a page that reads only the reports."""
    return (*load_overrides(data_dir)[1], *load_contact_status(data_dir)[1])


def build_catalog(
    data_dir: Path,
    progress: Progress | None = None,
    *,
    read_files: FileReader | None = None,
    reports: Reports | None = None,
) -> Catalog:
    """Every report under ``data_dir`` read, its organizations merged, corrected by the
    curated contact status, typed, placed, their phones read for the country they are in,
    and each given its currency (:func:`~explorer.catalog.currency`).

    Reports are read by ``read_files``, by default in worker processes while this one
    builds the gazetteer (:mod:`explorer.cold_build`); ``progress`` is told each stage's
    advance. The cyclic garbage collector is paused meanwhile: 100,000 organizations are
    about a million long-lived records, which it would otherwise rescan again and again
    (a third of the time). ``reports`` already read (by :func:`read_catalog`) are used as
    they are; only the gazetteer is loaded then.
    """
    with gc_paused():
        build = _Finishing(data_dir, progress, read_files, reports)
        organizations = tuple(build.organizations())
        return Catalog(
            data_dir=data_dir,
            disorders=_with_merged_organizations(build.disorders, organizations),
            organizations=organizations,
            issues=build.issues(),
        )


def build_stored(
    data_dir: Path, progress: Progress | None = None, *, reports: Reports | None = None
) -> StoredDirectory:
    """:func:`build_catalog` in the shape the app keeps and caches on disk: the directory
    table with each organization's map point, each record as bytes until a card asks for
    it (:mod:`explorer.stored`). Each organization goes into the table as it is finished,
    so the finished records are never all held at once."""
    with gc_paused(), contextlib.closing(_Finishing(data_dir, progress, None, reports)) as build:
        finished, elsewhere = build.finished_here_and_rows_elsewhere()
        if progress is not None:  # the table is built as the organizations are placed
            elsewhere = _then(elsewhere, lambda: progress(BUILDING_MAP, 0, 1))
        table, looked_up = directory_table(finished, more=elsewhere)
        if progress is not None:
            progress(BUILDING_MAP, 1, 1)
        catalog = Catalog(data_dir, tuple(build.disorders), (), build.issues())
        return stored_directory(catalog, table, looked_up)


class _Finishing:
    """One build's reports read (or given), the gazetteer loaded and the organizations
    merged; :meth:`organizations` then finishes them one at a time, in order, and
    :meth:`issues` is every problem met once they have all been finished."""

    def __init__(
        self,
        data_dir: Path,
        progress: Progress | None,
        read_files: FileReader | None,
        reports: Reports | None,
    ) -> None:
        self._data_dir = data_dir
        overrides, self._override_issues = load_overrides(data_dir)
        corrections, self._status_issues = load_contact_status(data_dir)
        self._progress = progress
        if reports is None:
            self.disorders, self._issues = read_reports(
                data_dir, read_files or reports_beside_gazetteer(progress), progress
            )
        else:
            self.disorders, self._issues = list(reports[0]), list(reports[1])
            _load_places(progress)
        listings = Concatenated(d.organizations for d in self.disorders)
        self._merged = merged_listings(listings, self._issues)
        self._status_issues += unmatched_corrections(corrections, self._merged)
        titles = {d.source.file: (d.title, d.retrieved) for d in self.disorders}
        self._finisher = _Finisher(overrides, corrections, titles)
        self._worker: _Worker | None = None

    def organizations(self) -> Iterator[Organization]:
        """Each merged organization finished (placing is the slow part), telling
        ``progress`` every few thousand."""
        yield from self._finished(len(self._merged))
        self._release_listings()

    def finished_here_and_rows_elsewhere(
        self,
    ) -> tuple[Iterator[Organization], Iterator[TableRows]]:
        """The first organizations finished here, and the directory rows of the others,
        which a worker process finishes and makes meanwhile (:meth:`_start_worker`; none
        when it cannot pay)."""
        worker = self._start_worker()
        if worker is None:
            return self.organizations(), iter(())
        return self._finished(worker.here), self._rows_from(worker)

    def _finished(self, count: int) -> Iterator[Organization]:
        total = len(self._merged)
        place = placer()  # its places found are kept while finishing, not after
        for done, org in enumerate(itertools.islice(self._merged, count)):
            if self._progress is not None and done % PROGRESS_STEP == 0:
                self._progress(PLACING, done, total)
            yield self._finisher.finish(org, place, self._issues)
        if self._progress is not None:
            self._progress(PLACING, count, total)

    def _start_worker(self) -> _Worker | None:
        """A worker process finishing the last organizations and making their directory
        rows, while this process finishes the first (None when that cannot pay: a small
        build, one core, listings that are not kept pickled; or no worker can start).

        The worker is sent the merge's part and the listings kept pickled (a few
        megabytes) and reads the place names back from the disk cache; its rows come
        back as Arrow columns. The part starts at a whole block of records, so the records
        column is the same as one made here.
        """
        total = len(self._merged)
        listings = self._merged.listings
        if (
            total < FINISH_ELSEWHERE_MIN
            or usable_cores() < 2
            or multiprocessing.parent_process() is not None
            or not all(isinstance(part, PickledRecords) for part in listings.parts)
        ):
            return None
        here = int(total * FINISHED_HERE) // BLOCK_ROWS * BLOCK_ROWS
        part = self._merged.part(here, total)
        try:
            handle, path = tempfile.mkstemp(prefix="explorer-rows-", suffix=".arrow")
            os.close(handle)
        except OSError as exc:
            log.warning("organizations finished in this process: no rows file (%s)", exc)
            return None
        call = (_rows_in_worker, self._data_dir, self._finisher.titles, part, path)
        try:
            pool, (future,) = start_workers(1, [call])
        except (OSError, RuntimeError) as exc:
            log.warning("organizations finished in this process: no worker (%s)", exc)
            Path(path).unlink(missing_ok=True)
            return None
        self._worker = _Worker(here, part, pool, future, path)
        return self._worker

    def _rows_from(self, worker: _Worker) -> Iterator[TableRows]:
        """The worker's rows, its problems added after this process's; finished and made
        here if it could not deliver (the build is then only slower, never different)."""
        with worker.pool:
            try:
                looked_up, found = worker.future.result()
                rows = TableRows.received(worker.rows_file, looked_up)
            except (BrokenProcessPool, OSError, pa.ArrowException, MemoryError) as exc:
                log.warning("organizations finished in this process: worker failed (%s)", exc)
                place, part = placer(), worker.part
                rows = table_rows(
                    self._finisher.finish(part[at], place, self._issues) for at in range(len(part))
                )
                found = []
        self._issues.extend(found)
        if self._progress is not None:
            total = len(self._merged)
            self._progress(PLACING, total, total)
        self._release_listings()
        yield rows

    def close(self) -> None:
        """Let go of the worker, if any: its rows file is removed (read already, or never to
        be: the build failed first). A worker still at work finishes on its own and writes
        nowhere (:meth:`~explorer.stored.TableRows.sent` does not make the file again)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.pool.shutdown(wait=False, cancel_futures=True)
            Path(worker.rows_file).unlink(missing_ok=True)

    def _release_listings(self) -> None:
        """Drop what only finishing needed, once every organization is finished: the
        listings as read (kept pickled for a large report), the merge and the places found,
        about 130 MB at 200,000 organizations that the directory's last columns reuse."""
        self._merged = ()
        self.disorders = [dataclasses.replace(d, organizations=()) for d in self.disorders]

    def issues(self) -> tuple[ParseIssue, ...]:
        return (*self._issues, *self._override_issues, *self._status_issues)


class _Finisher:
    """What finishing an organization needs, apart from the place names: the curated type
    rules and contact status, and each report's title and date. Made again in a worker
    from the same files (its closures do not travel)."""

    def __init__(
        self,
        overrides: dict[str, Override],
        corrections: dict[str, Correction],
        titles: dict[str, tuple[str, str]],
    ) -> None:
        self._classify = make_classifier(overrides)
        self._correct = make_corrector(corrections)
        self.titles = titles

    @classmethod
    def of_folder(cls, data_dir: Path, titles: dict[str, tuple[str, str]]) -> _Finisher:
        return cls(load_overrides(data_dir)[0], load_contact_status(data_dir)[0], titles)

    def finish(
        self, org: Organization, place: Callable[[Address], Location], issues: list[ParseIssue]
    ) -> Organization:
        """Corrected, typed, placed, phones read for its country (each number not valid
        there told to ``issues``), currency said: every step's result goes into one copy
        of the record (not one copy per step)."""
        corrected = self._correct(org)
        org_type, reach = self._classify(corrected)
        location = place(corrected.address)
        country = corrected.address.country or (location.country if location else "")
        phones, listed = phones_for_country(corrected, country, issues)
        # The constructor, not dataclasses.replace: replace walks the fields by
        # introspection on every call (10 % of a cold build at 100,000 organizations).
        return Organization(
            id=corrected.id,
            name=corrected.name,
            address=corrected.address,
            phones=phones,
            email=corrected.email,
            website=corrected.website,
            source=corrected.source,
            disorders=corrected.disorders,
            sources=corrected.sources,
            org_type=org_type,
            reach=reach,
            location=location,
            status=corrected.status,
            as_listed=listed,
            currency=currency(corrected, self.titles),
        )


class _Worker(NamedTuple):
    """A worker process finishing the organizations from ``here`` on (``part``)."""

    here: int
    part: Sequence[Organization]
    pool: ProcessPoolExecutor
    future: Future[tuple[object, list[ParseIssue]]]
    rows_file: str
    """Where the worker writes its rows: made and removed by this process, so a worker
    that dies, or a build that fails, leaves no file behind."""


def _rows_in_worker(
    data_dir: Path, titles: dict[str, tuple[str, str]], part: Sequence[Organization], path: str
) -> tuple[object, list[ParseIssue]]:
    """In a worker: ``part`` finished as the build's process finishes its organizations
    (the curated files read again, the place names read back from the disk cache) and made
    into directory rows (:func:`~explorer.stored.table_rows`) written to ``path``; returns
    their look-ups and the problems met."""
    with gc_paused():
        finisher = _Finisher.of_folder(data_dir, titles)
        place = placer()
        issues: list[ParseIssue] = []
        rows = table_rows(finisher.finish(part[at], place, issues) for at in range(len(part)))
        return rows.sent(path), issues


def _then(items: Iterator[T], after: Callable[[], None]) -> Iterator[T]:
    """``items``, then ``after()`` called once they are exhausted."""
    yield from items
    after()


def _load_places(progress: Progress | None) -> None:
    """Build the gazetteer now, as its own stage of the progress box (it takes seconds)."""
    if progress is not None:
        progress(LOADING_PLACES, 0, 1)
    load_gazetteer()
    if progress is not None:
        progress(LOADING_PLACES, 1, 1)


def _with_merged_organizations(
    disorders: Iterable[Disorder], organizations: tuple[Organization, ...]
) -> tuple[Disorder, ...]:
    """Each disorder listing the merged, typed and placed records of its organizations.

    The catalog then holds one record per organization: the parsed per-report copies
    are dropped (about 15 % of the disk cache's load time at 100,000 organizations).
    """
    listed: dict[str, list[Organization]] = defaultdict(list)
    for org in organizations:
        for disorder_id in org.disorders:
            listed[disorder_id].append(org)
    return tuple(
        dataclasses.replace(disorder, organizations=tuple(listed[disorder.id]))
        for disorder in disorders
    )
