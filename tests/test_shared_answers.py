"""Work a server does once per process, not once per session or page run.

A hundred sessions on one server ask the same questions: the gazetteer for their first
place search, the directory's counts and results for the same filters and places, the fever
rule for every page. These tests pin that each is computed once and shared, that a new
directory or an edited file is still picked up, and that nothing is shared across frames.
No timing is asserted (the load benchmark measures the CPU: ``bench/load.py``).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import threading
from pathlib import Path

import pytest

from components import data as loaders
from explorer import cache
from explorer.directory import facets, search
from explorer.directory.filters import Filters
from explorer.directory.table import directory_frame
from explorer.pipeline import build_catalog
from explorer.places.gazetteer import build as gazetteer_build
from explorer.places.resolve import resolve_place
from tests.conftest import BUNDLED_DATA

NOT_A_SECOND_READ_S = 1.0
"""How long the gazetteer test gives a second caller to start a second read before it
counts as waiting. Only a read that should not happen is waited for (the test passes
after this wait); nothing the test needs to see is timed."""


def test_sessions_searching_at_once_read_the_gazetteer_once(monkeypatch):
    """A second session's first place search, made while the first one's read of the
    gazetteer is under way, waits for that read instead of reading its own copy (with a
    hundred sessions each read its own: seconds of CPU and hundreds of megabytes)."""
    reads: list[object] = []
    first_reading, release = threading.Event(), threading.Event()
    second_read = threading.Event()

    def fake_load_or_build(*args, **kwargs):
        value = object()
        reads.append(value)
        if len(reads) == 1:
            first_reading.set()
            assert release.wait(timeout=60)
        else:
            second_read.set()
        return (value,), []

    monkeypatch.setattr(cache, "load_or_build", fake_load_or_build)
    gazetteer_build.load_gazetteer.cache_clear()
    got: dict[str, object] = {}

    def ask(name: str) -> None:
        got[name] = gazetteer_build.load_gazetteer()

    first = threading.Thread(target=ask, args=("first",))
    second = threading.Thread(target=ask, args=("second",))
    try:
        first.start()
        assert first_reading.wait(timeout=60)
        second.start()
        assert not second_read.wait(timeout=NOT_A_SECOND_READ_S), "a second read started"
        release.set()
        first.join(timeout=60)
        second.join(timeout=60)
        assert not first.is_alive() and not second.is_alive()
        assert len(reads) == 1
        assert got["first"] is got["second"] is reads[0]
    finally:
        release.set()
        for thread in (first, second):
            if thread.ident is not None:
                thread.join(timeout=60)
        gazetteer_build.load_gazetteer.cache_clear()  # no fake left for later tests


def _signature_by_rglob(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """The signature as it was defined with pathlib, to compare the faster walk with."""
    return tuple(
        (path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


def test_files_signature_lists_what_the_pathlib_walk_listed(tmp_path):
    """Nested, hidden and linked files, in the same order (``a/b`` before ``a-b``); a
    linked folder is not entered; an edit changes the signature."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.csv").write_text("1")
    (tmp_path / "a-b.csv").write_text("22")
    (tmp_path / ".hidden").write_text("333")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "x.txt").write_text("4444")
    os.symlink(tmp_path / "a-b.csv", tmp_path / "link.csv")
    os.symlink(tmp_path / "deep", tmp_path / "linked-folder")
    signature = cache.files_signature(tmp_path)
    assert signature == _signature_by_rglob(tmp_path)
    names = [name for name, _, _ in signature]
    assert names.index("a/b.csv") < names.index("a-b.csv")
    assert ".hidden" in names and "link.csv" in names
    assert not any(name.startswith("linked-folder/") for name in names)
    (tmp_path / "a" / "b.csv").write_text("changed")
    assert cache.files_signature(tmp_path) != signature
    assert cache.files_signature(tmp_path / "missing") == ()
    assert cache.files_signature(BUNDLED_DATA) == _signature_by_rglob(BUNDLED_DATA)


@pytest.fixture(scope="module")
def frame():
    return directory_frame(build_catalog(BUNDLED_DATA).organizations)


def test_counts_and_results_are_computed_once_per_frame_and_filters(frame):
    """The second session asking the same of the same directory gets the same answer
    object, not a recomputation; other filters or another frame get their own."""
    filters = Filters(org_types=("Patient registry",))
    assert facets.facet_counts(frame, filters) is facets.facet_counts(frame, filters)
    assert facets.facet_counts(frame, Filters()) is not facets.facet_counts(frame, filters)
    first = search.search(frame, filters)
    assert search.search(frame, Filters(org_types=("Patient registry",))) is first
    assert search.search(frame, Filters()) is not first
    reloaded = frame.copy()  # a reloaded directory is another frame
    assert search.search(reloaded, filters) is not first
    assert search.search(reloaded, filters).nearby_rows.tolist() == first.nearby_rows.tolist()
    with pytest.raises(TypeError):
        facets.facet_counts(frame, filters).org_types["Patient registry"] = 0  # shared: read-only


def test_the_unfiltered_list_and_a_filtered_one_are_kept_together(frame, monkeypatch):
    """Going back and forth between every organization (the page's default) and one filter
    computes neither again, whatever the directory's size: the budget is two directories'
    worth of rows (with one, the unfiltered list pushed every other result out)."""
    monkeypatch.setattr(search, "KEPT_ROWS_MIN", 0)  # the bundled directory is smaller
    search._KEPT.clear()
    registries = Filters(org_types=("Patient registry",))
    everything = search.search(frame, Filters())
    filtered = search.search(frame, registries)
    assert search.search(frame, Filters()) is everything
    assert search.search(frame, registries) is filtered
    assert 0 < len(filtered) < len(everything) == len(frame)


def test_results_for_a_searched_place_are_kept_per_place(frame):
    """Two sessions searching the same place share one result; another place has its own,
    with its own distances."""
    detroit, seattle = resolve_place("Detroit, MI"), resolve_place("Seattle, WA")
    assert detroit.found and seattle.found
    near = search.search(frame, Filters(radius=100), detroit)
    assert search.search(frame, Filters(radius=100), resolve_place("Detroit, MI")) is near
    far = search.search(frame, Filters(radius=100), seattle)
    assert far is not near
    assert near.nearby["distance_km"].max() <= 100
    assert list(far.nearby["id"]) != list(near.nearby["id"])


def test_a_new_place_reuses_the_filters_mask(frame):
    """Searching a second place with the same filters scans the text columns no more: the
    mask of the non-location filters is kept (radius, unit and closed switch aside), and
    it is read-only, so no search can change another's; closed ones still hide per search."""
    filters = Filters(disorder="neutropenia-general", text="network", radius=250)
    before = search._MASKS.misses
    search.search(frame, filters, resolve_place("Detroit, MI"))
    search.search(frame, dataclasses.replace(filters, unit="mi"), resolve_place("Seattle, WA"))
    shown = search.search(frame, dataclasses.replace(filters, show_closed=True), None)
    assert search._MASKS.misses == before + 1
    mask = search.filter_mask(frame, filters)
    with pytest.raises(ValueError):
        mask[0] = not mask[0]
    assert shown.nearby_rows.tolist() == mask.nonzero()[0].tolist()


def test_kept_answers_are_bounded_by_entries_and_rows(frame):
    """Old answers go first; an answer larger than the row budget is returned, not kept;
    answers of a frame that is gone are dropped with it."""
    from explorer.directory.per_frame import PerFrame

    computed: list[int] = []

    def rows(table, count: int) -> list[int]:
        computed.append(count)
        return list(range(count))

    kept = PerFrame(rows, max_entries=2, weight=len, max_weight=lambda table: 5)
    kept(frame, 1), kept(frame, 2), kept(frame, 3)  # 1 is dropped: two entries at most
    kept(frame, 2)
    assert computed == [1, 2, 3]
    kept(frame, 1)
    assert computed == [1, 2, 3, 1]
    kept(frame, 9), kept(frame, 9)  # over the row budget: computed each time
    assert computed[-2:] == [9, 9]
    other = frame.copy()
    kept(other, 1)
    assert computed[-1] == 1 and kept.misses == 7 and kept.hits == 1
    assert len(kept) == 2  # (frame, 1) and (other, 1)
    del other  # a reloaded directory: the old frame is dropped, and its answers with it
    kept(frame, 1)
    assert len(kept) == 1 and kept.hits == 2


def test_the_fever_guidance_is_read_once_and_again_after_an_edit(tmp_path, monkeypatch):
    """Every page run draws the fever rule from one guidance value per data folder; a
    visitor's ``clear_cache`` does not drop it; an edited ``guidance.csv`` is read again."""
    import streamlit as st

    shutil.copytree(BUNDLED_DATA / "subtypes", tmp_path / "subtypes")
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(tmp_path))
    try:
        first = loaders.current_guidance()
        st.cache_data.clear()
        st.cache_resource.clear()
        assert loaders.current_guidance() is first
        guidance_file = tmp_path / "subtypes" / "guidance.csv"
        text = guidance_file.read_text(encoding="utf-8")
        guidance_file.write_text(text + "\n", encoding="utf-8")
        edited = loaders.current_guidance()
        assert edited is not first
        assert edited == dataclasses.replace(first)  # the same rows, read again
    finally:
        loaders.GUIDANCE.clear()


def test_the_app_moves_the_gazetteer_out_of_the_collectors_way(monkeypatch):
    """Once the app has read the gazetteer (about a million objects), they are frozen like
    the directory, so a full collection no longer rescans them (a pause for everyone);
    the core alone (the CLI) freezes nothing."""
    import gc

    assert loaders._out_of_collectors_way in gazetteer_build.ON_LOAD
    index = [{"place": str(number)} for number in range(5_000)]  # stands for the index
    monkeypatch.setattr(cache, "load_or_build", lambda *args, **kwargs: ((index,), []))
    gazetteer_build.load_gazetteer.cache_clear()
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        assert gazetteer_build.load_gazetteer() is index
        assert gc.get_freeze_count() >= len(index)
        frozen = gc.get_freeze_count()
        assert gazetteer_build.load_gazetteer() is index  # kept: nothing is frozen again
        assert gc.get_freeze_count() == frozen
        monkeypatch.setattr(gazetteer_build, "ON_LOAD", [])
        gazetteer_build.load_gazetteer.cache_clear()
        gc.unfreeze()
        gazetteer_build.load_gazetteer()
        assert gc.get_freeze_count() == 0
    finally:
        gazetteer_build.load_gazetteer.cache_clear()
        gc.unfreeze()


def test_a_second_session_reuses_the_first_ones_table_and_list():
    """Two sessions opening the Organizations page near the same place draw the same
    table page and nearest-list from one build (the second takes them as they are), and
    both see the same rows."""
    from components import directory_table
    from tests.apptest_helpers import run_app

    directory_table._PAGE_TABLES.clear()
    directory_table._LIST_HTML.clear()
    first = run_app("pages/organizations.py", place="48116")
    second = run_app("pages/organizations.py", place="48116")
    assert not first.exception and not second.exception
    assert directory_table._PAGE_TABLES.hits >= 1
    assert directory_table._LIST_HTML.hits >= 1
    tables = [at.dataframe[0].value for at in (first, second)]
    assert tables[0].equals(tables[1]) and not tables[0].empty
    lists = [[h.body for h in at.html if "<ol>" in h.body] for at in (first, second)]
    assert lists[0] and lists[0] == lists[1]
