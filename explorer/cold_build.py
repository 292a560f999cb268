"""A cold build's two slow steps side by side: reports parsed in other processes while this
one builds the gazetteer.

Reading reports is mostly phone validation (pure Python, one core); building the
gazetteer takes seconds too. On a machine with two or more cores they overlap: the
report files are handed to a small process pool, this process loads the gazetteer, then
collects the parsed reports in file order. With the gazetteer already built, large
reports are still shared between the cores: this process reads its share of the files
and one worker per other core reads the rest. A single large report is shared the same
way, by its organization blocks: this process reads the first share of them and each
worker one of the others (:func:`read_shared`). Each report (or share) comes back as one
pickle of its records written as constructor calls
(:func:`explorer.cache.record_pickler`), which reads back several times faster than the
dataclass default.

If the pool cannot start or a worker dies, the remaining files are read here, one after
another: the build is only slower, never different. Workers are started with "spawn" (a
fresh interpreter: forking a threaded server could copy a held lock). A spawned process
runs the parent's main script again unless told otherwise, and in a Streamlit server (or
under AppTest) the main module is the app's script itself, which Streamlit installs as
``__main__`` for each run: every worker ran the app in bare mode (the Overview, its data
load) before reading a report, or died on it. Workers are started with no main script
(:func:`_no_main_script`); what they run lives in this module, or in a module of the
pipeline (:func:`start_workers` starts them).

Workers die with the process that started them (:func:`_exit_with_parent`): a server
killed mid-build must not leave two workers of 170 MB each parsing for minutes.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import types
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from explorer.cache import record_pickler
from explorer.catalog import (
    MAX_REPORT_BYTES,
    FileReader,
    Progress,
    ReportJob,
    read_in_order,
    read_report_file,
)
from explorer.gc_pause import gc_paused
from explorer.models import Disorder, ParseIssue
from explorer.places.gazetteer import load_gazetteer
from explorer.places.gazetteer.build import kept_on_disk
from explorer.reading.report_text import read_report_text
from explorer.reading.reports import Share, fingerprint, parse_report_share

LOADING_PLACES = "Loading place names"
"""The progress stage while this process builds the gazetteer."""
POOL_MIN_BYTES = 2_000_000
"""Report bytes from which workers pay even with nothing to overlap (the gazetteer already
built): a worker's start costs about half a second of CPU and each file it reads is
pickled and unpickled, against about 0.5 s of parsing per MB, so below this the files
are read here, one after another."""

log = logging.getLogger(__name__)


def usable_cores() -> int:
    """Cores this process may run on (not every core of the machine)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def reports_beside_gazetteer(progress: Progress | None = None) -> FileReader:
    """A :data:`~explorer.catalog.FileReader` that parses in worker processes while this
    process builds the gazetteer (one large file shared by its organization blocks:
    :func:`read_shared`); in order, here, when that cannot help (one core, or too little
    to read to pay the workers' start with the gazetteer already built, or in one small
    file: :data:`POOL_MIN_BYTES`)."""

    def read(jobs: list[ReportJob]) -> Iterator[tuple[Disorder | None, list[ParseIssue]]]:
        if usable_cores() < 2 or multiprocessing.parent_process() is not None:
            yield from read_in_order(jobs)  # one core, or a worker: no pools of pools
        elif len(jobs) < 2:
            built = bool(load_gazetteer.cache_info().currsize)
            yield from _one_file(jobs, None if built else progress, load_places=not built)
        elif not load_gazetteer.cache_info().currsize:
            yield from read_in_pool(jobs, progress)
        elif _bytes_of(jobs) >= POOL_MIN_BYTES:  # nothing to overlap: the cores share the parse
            yield from read_in_pool(jobs, None, load_places=False)
        else:
            yield from read_in_order(jobs)

    return read


def _one_file(
    jobs: list[ReportJob], progress: Progress | None, *, load_places: bool
) -> Iterator[tuple[Disorder | None, list[ParseIssue]]]:
    """One report file: shared between the cores by its organization blocks when it is large
    enough to pay the workers' start (:data:`POOL_MIN_BYTES`), else read here."""
    if len(jobs) == 1 and POOL_MIN_BYTES <= _bytes_of(jobs) <= MAX_REPORT_BYTES:
        yield read_shared(jobs[0], progress, load_places=load_places)
    else:
        yield from read_in_order(jobs)


def _bytes_of(jobs: list[ReportJob]) -> int:
    """The size of the jobs' files (0 for one that cannot be read: its reader says why)."""
    total = 0
    for path, _ in jobs:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def reports_in_workers() -> FileReader:
    """A :data:`~explorer.catalog.FileReader` that parses in worker processes and does not
    build the gazetteer meanwhile: for reading the reports alone (pages that show no
    directory must not wait for the place names); one large file shared by its
    organization blocks (:func:`read_shared`); in order, here, for one small file or one
    core."""

    def read(jobs: list[ReportJob]) -> Iterator[tuple[Disorder | None, list[ParseIssue]]]:
        if usable_cores() < 2 or multiprocessing.parent_process() is not None:
            yield from read_in_order(jobs)
        elif len(jobs) < 2:
            yield from _one_file(jobs, None, load_places=False)
        else:
            yield from read_in_pool(jobs, None, load_places=False)

    return read


def read_in_pool(
    jobs: list[ReportJob], progress: Progress | None, *, load_places: bool = True
) -> Iterator[tuple[Disorder | None, list[ParseIssue]]]:
    """The jobs read by a pool of worker processes while this process builds the gazetteer
    (unless ``load_places`` is false), yielded in file order; read here, in order, if the
    pool cannot start or a worker fails.

    Without the gazetteer to build this process would only wait, so it reads a share of
    the files itself (every one in :func:`usable_cores`, the first among them): one worker
    fewer to start, and those files are neither pickled nor unpickled.
    """
    cores = usable_cores()
    here = set() if load_places else set(range(0, len(jobs), cores))
    elsewhere = [index for index in range(len(jobs)) if index not in here]
    workers = min(len(elsewhere), cores - (0 if load_places else 1))
    if workers < 1:
        yield from read_in_order(jobs)
        return
    try:
        pool, started = start_workers(workers, [(_read_pickled, *jobs[i]) for i in elsewhere])
        futures = dict(zip(elsewhere, started, strict=True))
    except (OSError, RuntimeError) as exc:
        log.warning("reports read in this process: no worker pool (%s)", exc)
        yield from read_in_order(jobs)
        return
    with pool:
        if load_places:
            _load_places_meanwhile(progress)
        for index, job in enumerate(jobs):
            if index in here:
                yield read_report_file(*job)
            else:  # drop each pickle once read: only one is held at a time
                yield _result_or_read_here(futures.pop(index), job)


def read_shared(
    job: ReportJob, progress: Progress | None, *, load_places: bool
) -> tuple[Disorder | None, list[ParseIssue]]:
    """One report read by this process and one worker per other core, each a share of its
    organization blocks (:func:`~explorer.reading.reports.share_bounds`), while this
    process builds the gazetteer first (if ``load_places``).

    Every process reads the report's text and its head (title, discussion, where the
    organizations start); each parses only its share. Results come back in order, and a
    share a worker could not deliver, or read from a text that changed since, is parsed
    here: the report is the same as one read by a single process, issues included.

    While this process builds the gazetteer, the report is cut into one share more (one
    more worker): this process's part, the place names and one share, then weighs about
    what each other core parses, where with a share per core the other cores were idle
    for the gazetteer's seconds (at 200,000 organizations, 3 s of a 24 s load).
    """
    path, name = job
    shares = usable_cores() + (1 if load_places else 0)
    try:
        pool, futures = start_workers(
            shares - 1, [(_read_share_pickled, path, name, k, shares) for k in range(1, shares)]
        )
    except (OSError, RuntimeError) as exc:
        log.warning("report read in this process: no worker pool (%s)", exc)
        return read_report_file(path, name)

    def others(text_fingerprint: str) -> Iterator[Share | None]:
        for future in futures:
            yield _share_or_none(future, text_fingerprint, name)

    with pool:
        if load_places:
            _load_places_meanwhile(progress)
        return read_report_file(path, name, shares=shares, others=others)


def _load_places_meanwhile(progress: Progress | None) -> None:
    """Load the gazetteer while the workers read, as its own stage of the progress box:
    built by one more worker when the disk cache does not hold it
    (:func:`_places_built_elsewhere`)."""
    if progress is not None:
        progress(LOADING_PLACES, 0, 1)
    if not load_gazetteer.cache_info().currsize and not kept_on_disk():
        _places_built_elsewhere()
    load_gazetteer()
    gc.collect()  # the build's temporary objects: the caller has paused the collector
    if progress is not None:
        progress(LOADING_PLACES, 1, 1)


def _places_built_elsewhere() -> None:
    """The gazetteer built by a worker process into the disk cache, for this process to
    read back: built here, it took 190 MB of this process's memory that stayed after it
    (freed temporaries), against 100 MB read back, and a large build's peak is here. If the
    worker cannot build it, or the disk cache cannot keep it, this process builds it."""
    try:
        pool, (future,) = start_workers(1, [(_build_places,)])
    except (OSError, RuntimeError) as exc:
        log.warning("place names built in this process: no worker (%s)", exc)
        return
    with pool:
        try:
            future.result()
        except (BrokenProcessPool, OSError, MemoryError) as exc:
            log.warning("place names built in this process: its worker failed (%s)", exc)


def _build_places() -> bytes:
    """In a worker: the gazetteer built and kept in the disk cache."""
    with gc_paused():
        load_gazetteer()
    return b""


def _share_or_none(future: Future[bytes], text_fingerprint: str, name: str) -> Share | None:
    """A worker's share, or None (to be read here) if it failed or read another text."""
    try:
        delivered = pickle.loads(future.result())
    except (BrokenProcessPool, OSError, pickle.UnpicklingError, MemoryError) as exc:
        log.warning("part of %s read in this process: its worker failed (%s)", name, exc)
        return None
    if delivered is None or delivered[0] != text_fingerprint:
        log.warning("part of %s read in this process: the file changed while read", name)
        return None
    return delivered[1]


def _read_share_pickled(path: Path, name: str, share: int, shares: int) -> bytes:
    """In a worker: share ``share`` of ``shares`` of the report's organization blocks with
    the text's fingerprint (None if it cannot be read), pickled as :func:`_read_pickled`."""
    buffer = io.BytesIO()
    with gc_paused():
        try:
            text, _ = read_report_text(path, display_name=name)
        except OSError:
            text = None
        read = (
            None
            if text is None
            else parse_report_share(text, file=name, share=share, shares=shares)
        )
        record_pickler(buffer).dump(None if read is None else (fingerprint(text), read))
    return buffer.getvalue()


def start_workers(
    count: int, calls: list[tuple[Callable[..., bytes], ...]]
) -> tuple[ProcessPoolExecutor, list[Future[bytes]]]:
    """A pool of ``count`` worker processes given ``calls`` (each a function and its
    arguments), and their futures in order. Workers are "spawn"ed (a fresh interpreter,
    safe in a threaded server: fork could copy held locks), die with this process
    (:func:`_exit_with_parent`) and run no main script (:func:`_no_main_script`). Raises
    ``OSError`` or ``RuntimeError`` when processes cannot be started."""
    context = multiprocessing.get_context("spawn")
    with _no_main_script():
        pool = ProcessPoolExecutor(
            max_workers=count, mp_context=context, initializer=_exit_with_parent
        )
        return pool, [pool.submit(*call) for call in calls]


_WORKERS_MAIN = types.ModuleType("__main__")
"""The main module a worker is started with: no file and no spec, so it runs no script."""


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """Start worker processes (inside this block) without running the parent's main script.

    "spawn" hands a new process the main module's file (or module name) to run first
    (:func:`multiprocessing.spawn.get_preparation_data`). Streamlit installs each run's
    script as ``__main__`` (with the script's ``__file__``), so a worker started during a
    page run ran ``app.py`` in bare mode, loading the data, before its report; under
    AppTest the temporary script failed and the worker died. Processes start in
    ``submit``; the main module is put back after (unless a page run has installed its
    own meanwhile)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = _WORKERS_MAIN
    try:
        yield
    finally:
        if sys.modules.get("__main__") is _WORKERS_MAIN and main is not None:
            sys.modules["__main__"] = main


def _exit_with_parent() -> None:
    """In a worker: exit as soon as the process that started it is gone.

    multiprocessing gives every spawned process a sentinel of its parent
    (:func:`multiprocessing.parent_process`), which ``join`` waits on: it returns when the
    parent exits for any reason, ``kill -9`` included. A daemon thread waits there and
    ends the worker; on every platform, without polling.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def exit_when_parent_exits() -> None:
        parent.join()
        os._exit(1)  # at once: the parent that wanted the result is gone

    threading.Thread(target=exit_when_parent_exits, name="exit-with-parent", daemon=True).start()


def _result_or_read_here(
    future: Future[bytes], job: ReportJob
) -> tuple[Disorder | None, list[ParseIssue]]:
    """The worker's result; the file read here when the worker could not deliver it."""
    try:
        return pickle.loads(future.result())
    except (BrokenProcessPool, OSError, pickle.UnpicklingError, MemoryError) as exc:
        log.warning("%s read in this process: its worker failed (%s)", job[1], exc)
        return read_report_file(*job)


def _read_pickled(path: Path, name: str) -> bytes:
    """In a worker: :func:`read_report_file`, pickled as constructor calls, with the cyclic
    collector paused as :func:`~explorer.pipeline.build_catalog` does (it would rescan the
    growing records again and again)."""
    buffer = io.BytesIO()
    with gc_paused():
        record_pickler(buffer).dump(read_report_file(path, name))
    return buffer.getvalue()
