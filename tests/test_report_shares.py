"""One large report read in shares of its organization blocks (one per core) is the same
report as one read whole: the same organizations in the same order, the same issues
(capped per kind over the whole file), whatever share a worker fails to deliver."""

from __future__ import annotations

import io
import itertools
import types
from concurrent.futures import Future
from pathlib import Path

import pytest

from explorer import cold_build
from explorer.cache import record_pickler
from explorer.catalog import read_in_order
from explorer.pickled_records import PickledRecords, unpacked_block
from explorer.reading.reports import (
    fingerprint,
    parse_report,
    parse_report_share,
    share_bounds,
)

HEAD = (
    "Some Disorder\nNational Organization for Rare Disorders, Inc.\n\n"
    "General Discussion\n\nA paragraph of prose, long enough to be read as a paragraph and "
    "not as the name of an organization, as the discussion's text is.\n\n"
)


def _report(count: int) -> str:
    """A report of ``count`` organizations, with warnings of several kinds all along it
    (no address, an empty Tel line, text after the contact lines, a cut name)."""
    blocks = []
    for n in range(count):
        lines = [f"Group {n} Association" + ("x" * 400 if n % 7 == 3 else "")]
        if n % 5 != 1:
            lines.append(f"{n} Main Street\nBrighton, MI 48116")
        lines.append("Tel: " if n % 4 == 2 else f"Tel: (734) 555-{n % 10_000:04d}")
        if n % 6 == 5:
            lines.append("a note after the contacts")
        blocks.append("\n".join(lines))
    return HEAD + "\n\n".join(blocks) + "\n\nFor a Complete Report\nboilerplate\n"


@pytest.mark.parametrize("count", [0, 1, 2, 3, 40])
@pytest.mark.parametrize("shares", [2, 3])
def test_shares_read_elsewhere_make_the_same_report(count, shares):
    text = _report(count)
    whole = parse_report(text, file="reports/big.txt")

    def others(text_fingerprint: str):
        assert text_fingerprint == fingerprint(text)
        for share in range(1, shares):
            yield parse_report_share(text, file="reports/big.txt", share=share, shares=shares)

    shared = parse_report(text, file="reports/big.txt", shares=shares, others=others)
    assert shared == whole
    if count == 40:  # the warnings were capped over the file, not per share
        assert any("more warnings like this one" in issue.message for issue in whole.issues)


def test_a_share_not_delivered_is_read_here():
    text = _report(40)
    shared = parse_report(text, file="reports/big.txt", shares=3, others=lambda _: [None, None])
    assert shared == parse_report(text, file="reports/big.txt")


def test_shares_cover_every_block_once_in_order():
    for blocks in (0, 1, 5, 99_999):
        for shares in (1, 2, 3, 8):
            bounds = share_bounds(blocks, shares)
            assert bounds[0][0] == 0 and bounds[-1][1] == blocks
            assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))


def test_a_share_read_from_another_text_is_not_used():
    """The file changed between this process's read and the worker's: read it here."""
    future: Future[bytes] = Future()
    buffer = io.BytesIO()
    record_pickler(buffer).dump(("another text's fingerprint", ((), [])))
    future.set_result(buffer.getvalue())
    assert cold_build._share_or_none(future, fingerprint("this text"), "reports/x.txt") is None


@pytest.fixture
def large_report(tmp_path: Path, monkeypatch) -> list[tuple[Path, str]]:
    """One report counted as large (any size is), on two cores."""
    path = tmp_path / "reports" / "big.txt"
    path.parent.mkdir()
    path.write_text(_report(300), encoding="utf-8")
    monkeypatch.setattr(cold_build, "POOL_MIN_BYTES", 1)
    monkeypatch.setattr(cold_build, "usable_cores", lambda: 2)
    return [(path, "reports/big.txt")]


def test_one_large_report_is_shared_with_a_worker(large_report, monkeypatch):
    """The reports read alone (as a page's frame does) share one large file with a worker
    process and give what reading it here gives."""
    delivered = []
    share_or_none = cold_build._share_or_none
    monkeypatch.setattr(
        cold_build,
        "_share_or_none",
        lambda *a: delivered.append(share_or_none(*a)) or delivered[-1],
    )
    results = list(cold_build.reports_in_workers()(large_report))
    assert len(delivered) == 1 and delivered[0] is not None, "no share came from a worker"
    assert len(delivered[0][0]) == 150
    assert results == list(read_in_order(large_report))
    assert len(results[0][0].organizations) == 300
    assert isinstance(results[0][0].organizations, PickledRecords), "not kept pickled"


def test_while_the_place_names_are_built_one_more_worker_takes_a_share(large_report, monkeypatch):
    """This process builds the place names before its share, so the report is cut into one
    share more than cores: each of two workers parses a third (the spare core is not idle
    while the place names are built), and the report is what reading it here gives."""
    delivered, built = [], []
    share_or_none = cold_build._share_or_none
    monkeypatch.setattr(
        cold_build,
        "_share_or_none",
        lambda *a: delivered.append(share_or_none(*a)) or delivered[-1],
    )

    def load_gazetteer():  # stands in for the place names, already on disk
        built.append(True)

    load_gazetteer.cache_info = lambda: types.SimpleNamespace(currsize=0)
    monkeypatch.setattr(cold_build, "load_gazetteer", load_gazetteer)
    monkeypatch.setattr(cold_build, "kept_on_disk", lambda: True)
    result = cold_build.read_shared(large_report[0], None, load_places=True)
    assert built == [True]
    assert [len(share[0]) for share in delivered] == [100, 100]
    assert result == next(iter(read_in_order(large_report)))


def test_a_worker_that_dies_costs_its_share_nothing(large_report, monkeypatch):
    monkeypatch.setattr(cold_build, "_read_share_pickled", _crash)
    results = list(cold_build.reports_beside_gazetteer()(large_report))
    assert results == list(read_in_order(large_report))


def _crash(path: Path, name: str, share: int, shares: int) -> bytes:
    """Stands in for a worker killed mid-share (e.g. by the out-of-memory killer)."""
    import os

    os._exit(1)


@pytest.fixture
def large_folder(tmp_path: Path, monkeypatch) -> Path:
    """A data folder of one report counted as large, on two cores, with organizations
    enough for a worker to finish the last of them (any number is)."""
    from explorer import pipeline

    (tmp_path / "reports").mkdir()
    # Two numbers the finishing step finds not valid, one for each process.
    text = _report(300).replace("Tel: (734) 555-0011", "Tel: +44 20 8725 000")
    text = text.replace("Tel: (734) 555-0291", "Tel: +44 20 8725 001")
    (tmp_path / "reports" / "big.txt").write_text(text, encoding="utf-8")
    monkeypatch.setattr(cold_build, "POOL_MIN_BYTES", 1)
    monkeypatch.setattr(cold_build, "usable_cores", lambda: 2)
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    monkeypatch.setattr(pipeline, "FINISH_ELSEWHERE_MIN", 1)
    return tmp_path


def _same_directory(built, folder: Path) -> None:
    """``built`` is the directory a build in this process alone makes of ``folder``."""
    import pandas as pd

    from explorer import stored
    from explorer.pipeline import build_catalog

    alone = build_catalog(folder, read_files=read_in_order)
    expected = stored.stored_directory(alone, *stored.directory_table(alone.organizations))
    pd.testing.assert_frame_equal(built.frame, expected.frame)
    records, expected_records = built.records.to_pylist(), expected.records.to_pylist()
    assert [bool(block) for block in records] == [bool(block) for block in expected_records]
    assert [unpacked_block(b) for b in records if b] == [  # the same records, in blocks
        unpacked_block(b) for b in expected_records if b
    ]
    assert (built.countries, built.reach, built.postcode_towns) == (
        expected.countries,
        expected.reach,
        expected.postcode_towns,
    )
    assert built.catalog == expected.catalog  # every problem, in the same order
    assert sum("not a valid number" in issue.message for issue in built.catalog.issues) == 2


def test_a_worker_finishes_the_last_organizations_into_the_same_directory(
    large_folder, monkeypatch
):
    """A large report's last organizations are finished and made into rows by a worker
    process while this one does the first; the directory is the one a single process
    makes, rows, records (blocks split across the two), look-ups and problems alike."""
    from explorer import pipeline

    started = []
    start_workers = pipeline.start_workers
    monkeypatch.setattr(
        pipeline,
        "start_workers",
        lambda count, calls: started.append(calls[0][0].__name__) or start_workers(count, calls),
    )
    built = pipeline.build_stored(large_folder)
    assert started == ["_rows_in_worker"]
    assert len(built.frame) == 300
    _same_directory(built, large_folder)


def test_a_worker_that_dies_costs_the_organizations_it_had_nothing(large_folder, monkeypatch):
    from explorer import pipeline

    monkeypatch.setattr(pipeline, "_rows_in_worker", _crash_finishing)
    _same_directory(pipeline.build_stored(large_folder), large_folder)


def _crash_finishing(data_dir: Path, titles: dict, part, path: str) -> bytes:
    """Stands in for a worker killed while finishing (e.g. by the out-of-memory killer)."""
    import os

    os._exit(1)


def _crash_after_writing(data_dir: Path, titles: dict, part, path: str) -> bytes:
    """Stands in for a worker killed once its rows file is written, before it could answer."""
    import os

    Path(path).write_bytes(b"rows")
    os._exit(1)


def _rows_files(folder: Path) -> list[str]:
    return [path.name for path in folder.glob("explorer-rows-*")]


def test_no_rows_file_is_left_behind(large_folder, tmp_path, monkeypatch):
    """The worker's rows file is removed after the build, whether it was read, written by a
    worker that then died, or never read because the build failed first."""
    import tempfile

    from explorer import pipeline

    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    made = []
    mkstemp = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda **kw: made.append(1) or mkstemp(**kw))
    pipeline.build_stored(large_folder)
    assert len(made) == 1 and _rows_files(temporary) == []

    monkeypatch.setattr(pipeline, "_rows_in_worker", _crash_after_writing)
    _same_directory(pipeline.build_stored(large_folder), large_folder)
    assert len(made) == 2 and _rows_files(temporary) == []

    def failing_table(*args, **kwargs):
        raise RuntimeError("the build failed while the worker was at work")

    monkeypatch.setattr(pipeline, "directory_table", failing_table)
    with pytest.raises(RuntimeError, match="while the worker was at work"):
        pipeline.build_stored(large_folder)
    assert len(made) == 3 and _rows_files(temporary) == []
