"""The cold build's report reading in worker processes, beside the gazetteer build."""

from __future__ import annotations

import re
import shutil
import sys
import types
from pathlib import Path

import pytest

from explorer import cold_build
from explorer.catalog import READING, read_in_order, read_report_file
from explorer.pipeline import PLACING, build_catalog
from tests.conftest import BUNDLED_REPORT


def _two_reports_and_a_bad_one(data_dir: Path) -> list[tuple[Path, str]]:
    reports = data_dir / "reports"
    shutil.copy(BUNDLED_REPORT, reports / "second.txt")
    (reports / "unreadable.txt").write_bytes(b"\xff\xfe\x00broken")
    return [(p, f"reports/{p.name}") for p in sorted(reports.glob("*.txt"))]


def test_pool_reads_the_same_records_as_in_order(data_dir: Path):
    """Reports parsed in worker processes come back equal to those parsed here, in file
    order, with their issues; a file that is not a report does not stop the others."""
    jobs = _two_reports_and_a_bad_one(data_dir)
    stages = []
    pooled = list(cold_build.read_in_pool(jobs, lambda *step: stages.append(step)))
    here = list(read_in_order(jobs))
    assert pooled == here
    assert [disorder is not None for disorder, _ in pooled] == [True, True, False]
    assert stages == [(cold_build.LOADING_PLACES, 0, 1), (cold_build.LOADING_PLACES, 1, 1)]


def test_worker_failure_reads_the_file_here(data_dir: Path, monkeypatch):
    """A worker that dies costs time, not data: its file is read in this process."""
    jobs = _two_reports_and_a_bad_one(data_dir)
    monkeypatch.setattr(cold_build, "_read_pickled", _crash)
    pooled = list(cold_build.read_in_pool(jobs, None))
    assert pooled == list(read_in_order(jobs))
    assert pooled[0][0] is not None


def _crash(path: Path, name: str) -> bytes:
    """Stands in for a worker killed mid-file (e.g. by the out-of-memory killer)."""
    import os

    os._exit(1)


def test_build_reports_every_stage(data_dir: Path):
    """``build_catalog`` tells its progress callback each file read and the organizations
    placed, ending at the totals; without a callback the catalog is the same."""
    steps = []
    catalog = build_catalog(data_dir, progress=lambda *step: steps.append(step))
    assert (READING, 1, 1) in steps
    placed = [done for stage, done, total in steps if stage == PLACING]
    assert placed[0] == 0 and placed[-1] == len(catalog.organizations) == 7
    assert placed == sorted(placed)
    assert build_catalog(data_dir) == catalog
    assert all(org.location is not None for org in catalog.organizations)


def test_one_file_is_read_here(data_dir: Path, monkeypatch):
    """With one small report (under POOL_MIN_BYTES) no pool starts: the file is read here."""
    monkeypatch.setattr(cold_build, "read_in_pool", lambda *_: pytest.fail("pool started"))
    job = (BUNDLED_REPORT, "reports/one.txt")
    results = list(cold_build.reports_beside_gazetteer()([job]))
    assert results == list(read_in_order([job]))
    assert results[0][0] is not None


def test_reports_read_first_build_the_same_catalog(data_dir: Path):
    """The app reads the reports alone first (pages that need no directory); handing them
    to the build gives exactly the catalog a build from nothing gives, problems included,
    and tells the progress box that the place names are loading."""
    from explorer.pipeline import read_catalog

    _two_reports_and_a_bad_one(data_dir)
    read = read_catalog(data_dir)
    assert read.organizations == ()
    assert len(read.disorders) == 2 and read.errors
    stages = []
    reused = build_catalog(
        data_dir, lambda *step: stages.append(step), reports=(read.disorders, read.issues)
    )
    fresh = build_catalog(data_dir, read_files=read_in_order)
    assert reused == fresh
    assert (cold_build.LOADING_PLACES, 0, 1) in stages
    assert READING not in {stage for stage, _, _ in stages}, "the reports were read again"


def test_reading_the_reports_alone_does_not_build_the_gazetteer(data_dir: Path, monkeypatch):
    """Several reports read for the pages without a directory are parsed in workers, equal
    to those read here, and the place names are not loaded meanwhile."""
    jobs = _two_reports_and_a_bad_one(data_dir)
    monkeypatch.setattr(
        cold_build, "load_gazetteer", lambda: pytest.fail("the gazetteer was built")
    )
    assert list(cold_build.read_in_pool(jobs, None, load_places=False)) == list(read_in_order(jobs))
    assert list(cold_build.reports_in_workers()(jobs)) == list(read_in_order(jobs))


def test_with_the_gazetteer_built_workers_start_only_for_large_reports(data_dir: Path, monkeypatch):
    """Once the gazetteer is built there is nothing to overlap: small reports are read
    here (a worker's start would cost more than it saves), large ones are shared between
    the workers, which do not build the gazetteer again."""
    from explorer.places.gazetteer import load_gazetteer

    load_gazetteer()
    jobs = _two_reports_and_a_bad_one(data_dir)
    started = []

    def pool(jobs, progress, *, load_places=True):
        started.append(load_places)
        return read_in_order(jobs)

    monkeypatch.setattr(cold_build, "read_in_pool", pool)
    monkeypatch.setattr(cold_build, "usable_cores", lambda: 2)
    here = list(read_in_order(jobs))
    assert list(cold_build.reports_beside_gazetteer()(jobs)) == here
    assert started == []
    monkeypatch.setattr(cold_build, "POOL_MIN_BYTES", 1)
    assert list(cold_build.reports_beside_gazetteer()(jobs)) == here
    assert started == [False]


def test_finishing_carries_every_field_of_an_organization():
    """A build finishes each organization with one constructor call naming every
    field (``dataclasses.replace`` was a tenth of the build): a field added to
    ``Organization`` must be named there too, or it would silently fall back to its default."""
    import dataclasses
    import inspect

    from explorer import pipeline
    from explorer.models import Organization

    source = inspect.getsource(pipeline._Finisher.finish)
    call = source[source.index("return Organization(") :]
    call = call[: call.index("\n        )")]
    named = set(re.findall(r"^\s+(\w+)=", call, re.M))
    assert named == {field.name for field in dataclasses.fields(Organization)}


def _read_on_two_cores(jobs, monkeypatch) -> tuple[list, list[str]]:
    """``read_in_pool`` on two cores with no gazetteer to build: what it read, and the
    names of the files this process read itself."""
    read_here = []

    def here(path: Path, name: str):
        read_here.append(name)
        return read_report_file(path, name)

    monkeypatch.setattr(cold_build, "usable_cores", lambda: 2)
    monkeypatch.setattr(cold_build, "read_report_file", here)
    return list(cold_build.read_in_pool(jobs, None, load_places=False)), read_here


def test_with_nothing_else_to_do_this_process_reads_its_share(data_dir: Path, monkeypatch):
    """Reading reports without building the gazetteer, this process would only wait: it
    reads every other file itself (on two cores) and one worker reads the rest; the
    results are those read in order, in file order."""
    jobs = _two_reports_and_a_bad_one(data_dir)
    pooled, read_here = _read_on_two_cores(jobs, monkeypatch)
    assert pooled == list(read_in_order(jobs))
    assert read_here == [jobs[0][1], jobs[2][1]]  # the worker (another process) read jobs[1]


def test_workers_started_during_a_page_run_do_not_run_the_app_script(
    data_dir: Path, monkeypatch, tmp_path: Path
):
    """Streamlit installs each run's script as ``__main__`` (with its ``__file__``); a worker
    started then must not run that script first (it ran the whole app in bare mode, or died
    on it under AppTest), and must still read its report."""
    marker = tmp_path / "the app ran"
    script = tmp_path / "app.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nraise SystemExit('the app ran')\n")
    page_run = types.ModuleType("__main__")
    page_run.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page_run)
    jobs = _two_reports_and_a_bad_one(data_dir)
    pooled, read_here = _read_on_two_cores(jobs, monkeypatch)
    assert pooled == list(read_in_order(jobs))
    assert read_here == [jobs[0][1], jobs[2][1]], "the worker failed: its report was read here"
    assert not marker.exists()
    assert sys.modules["__main__"] is page_run, "the page run's module is put back"


def test_once_every_organization_is_finished_the_build_lets_the_listings_go(data_dir: Path):
    """The listings as read (kept pickled for a large report) and the merge are dropped
    once the last organization is finished, before the directory's last columns are made
    (at 200,000 organizations the memory they held was most of the build's peak)."""
    from explorer import pipeline

    build = pipeline._Finishing(data_dir, None, read_in_order, None)
    assert any(d.organizations for d in build.disorders)
    finished = list(build.organizations())
    assert finished == list(build_catalog(data_dir, read_files=read_in_order).organizations)
    assert not any(d.organizations for d in build.disorders) and len(build._merged) == 0
