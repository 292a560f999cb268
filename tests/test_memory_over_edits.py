"""Memory stays flat while a maintainer edits a report 16 times under a running app.

Each edit gives the data folder a new signature; the app's loaders (``components.data``:
the reports-only value, then the directory, as the pages ask for them) build the new data
and must release the old build, in memory and on disk. Not timed: the bound is on what is
kept, generous enough for allocator noise, and far below what 50 kept builds would hold.
"""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from pathlib import Path

import pytest

from explorer import cache

EDITS = 16
"""Ten edits fill the bounded look-up caches; the six after them must leave memory flat: one
build kept per edit would grow it by six builds, and the bound is two (each edit reloads and
fully collects about a million objects: 50 edits took 42 s of CPU, 25 edits 18 s)."""


@pytest.fixture
def loaders(tmp_path: Path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    from components import data as loaders

    loaders.forget_loaded()
    yield loaders
    loaders.forget_loaded()


def edit(report: Path, original: str, number: int) -> None:
    """A new first paragraph, longer each time (a new size: a new signature even where
    file times are coarse)."""
    paragraph = f"Edit number {number}: a paragraph long enough to be prose{' again' * number}."
    report.write_text(
        original.replace("General Discussion\n\n", f"General Discussion\n\n{paragraph}\n\n", 1),
        encoding="utf-8",
    )


def serve(loaders, folder: Path):
    """What a visit after the edit does: the reports first (Overview), then the directory."""
    signature = cache.files_signature(folder)
    loaders.reports_in(str(folder), signature)
    return loaders.load_folder(str(folder), signature)


def test_report_edits_keep_one_build_in_memory_and_on_disk(loaders, data_dir, tmp_path):
    report = data_dir / "reports" / "neutropenia_general.txt"
    original = report.read_text(encoding="utf-8")
    edit(report, original, 0)
    serve(loaders, data_dir)  # warms the imports and the gazetteer: not part of the bound
    gc.collect()
    tracemalloc.start()
    try:
        edit(report, original, 1)
        served = [weakref.ref(serve(loaders, data_dir))]
        gc.collect()
        with_build = tracemalloc.get_traced_memory()[0]
        loaders.forget_loaded()
        gc.collect()
        one_build = with_build - tracemalloc.get_traced_memory()[0]
        settled = None
        for number in range(2, EDITS + 1):
            edit(report, original, number)
            loaded = serve(loaders, data_dir)
            first_paragraph = loaded.catalog.disorders[0].general_discussion[0]
            assert first_paragraph.startswith(f"Edit number {number}:")
            served.append(weakref.ref(loaded))
            del loaded
            gc.collect()
            if number == 10:  # bounded look-up caches filled: from here memory must be flat
                settled = tracemalloc.get_traced_memory()[0]
        grown = tracemalloc.get_traced_memory()[0] - settled
    finally:
        tracemalloc.stop()
    alive = [number for number, ref in enumerate(served) if ref() is not None]
    assert alive == [EDITS - 1], f"builds still in memory after the edits: {alive}"
    assert len(loaders.DIRECTORY) == 1 and len(loaders.REPORTS) <= 1
    assert one_build > 0
    # Six more builds kept would add six builds; flat is well under two.
    assert grown < 2 * one_build, (
        f"grew {grown:,} bytes over {EDITS - 10} edits; one build {one_build:,}"
    )
    entries = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir() if p.is_file())
    assert entries.count("directory") == 1 and entries.count("reports") == 1, entries
